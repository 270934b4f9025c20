#!/bin/bash
# bench/run.sh — reproducible throughput benchmark: OrleansTracker against opentracker.
#
# For each tracker in $TRACKERS, in turn: start it pinned to CPU $TRACKER_CPU, wait until
# its UDP port answers a BEP 15 connect, warm up (udpload -F: every peer announces once),
# run the UDP load (udpload pinned to CPU $LOADGEN_CPU), then a short HTTP check
# (wrk + announce.lua validate=1) and the measured HTTP announce load. Tracker CPU time and
# RSS come from /proc/PID/stat and /proc/PID/status. Everything targets loopback only.
#
# Output: one line per run
#   RESULT tracker=T proto=udp|http rps=... cpu_us_per_resp=... rss_mb=... timeouts=... invalid=... err=...
# then RATIO lines (orleans/opentracker) when both trackers were measured.
#
# env (defaults in brackets):
#   TRACKERS ["opentracker orleans orleans-sqlite orleans-mysql"]  (also: orleans-private = mode
#            private_listed; nulltracker = UDP-only calibration of udpload's ceiling)
#   QUICK [0]  (1: 1k torrents, 2k peers, 3 s runs)
#   DURATION [15] UDP run, s            HTTP_DURATION [$DURATION]   CHECK_DURATION [2] (validate=1 run)
#   TORRENTS [100000] PEERS [200000]    NUMWANT [30]   MIX [100:1] announce:scrape for udpload
#   INFLIGHT [128] udpload -c           SOCKETS [4] udpload -s
#   HTTP_CONNS [64] WRK_THREADS [1]     HTTP_SCRAPE [0] percent scrapes in the HTTP load
#   TRACKER_CPU [0] LOADGEN_CPU [1]     taskset CPU lists
#   OT_PORT [26969] (opentracker tcp+udp)  OR_UDP_PORT [16969] OR_HTTP_PORT [17070]
#   SHARED_DIR [<repo>/../shared]       WORK [<repo>/bench/work]
#   BUILD [1] (0: use the existing Release build of Silo)   START_TIMEOUT [90] s
#   WARMUP_MAX [120] s bound for the warm-up   INSTALL [1] (0: never apt-get)
#   COLD [0] s: when > 0, the measured UDP load shape runs for COLD s as soon as the tracker
#     answers, before the fill: RESULT proto=udp-cold (a start at peak traffic: the swarms fill during
#     it, the JIT compiles), and a COLDWARM line divides its CPU per response by the warm udp run's
#   JIT_WARMUP [0] s of untimed UDP load after the fill, and of HTTP load after the check, before each measured run (lets .NET's
#     tiered JIT finish: without it the measured window still pays for compilation)
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED_DIR=${SHARED_DIR:-$REPO/../shared}
WORK=${WORK:-$REPO/bench/work}
TRACKERS=${TRACKERS:-opentracker orleans orleans-sqlite orleans-mysql}
if [ "${QUICK:-0}" = 1 ]; then
  : "${DURATION:=3}" "${TORRENTS:=1000}" "${PEERS:=2000}" "${CHECK_DURATION:=1}"
fi
DURATION=${DURATION:-15}; HTTP_DURATION=${HTTP_DURATION:-$DURATION}; CHECK_DURATION=${CHECK_DURATION:-2}
TORRENTS=${TORRENTS:-100000}; PEERS=${PEERS:-200000}; NUMWANT=${NUMWANT:-30}; MIX=${MIX:-100:1}
INFLIGHT=${INFLIGHT:-128}; SOCKETS=${SOCKETS:-4}
HTTP_CONNS=${HTTP_CONNS:-64}; WRK_THREADS=${WRK_THREADS:-1}; HTTP_SCRAPE=${HTTP_SCRAPE:-0}
TRACKER_CPU=${TRACKER_CPU:-0}; LOADGEN_CPU=${LOADGEN_CPU:-1}
OT_PORT=${OT_PORT:-26969}; OR_UDP_PORT=${OR_UDP_PORT:-16969}; OR_HTTP_PORT=${OR_HTTP_PORT:-17070}
BUILD=${BUILD:-1}; START_TIMEOUT=${START_TIMEOUT:-90}; WARMUP_MAX=${WARMUP_MAX:-120}; INSTALL=${INSTALL:-1}
JIT_WARMUP=${JIT_WARMUP:-0}; COLD=${COLD:-0}
HOST=127.0.0.1
BENCH_KEY=BenchKey000000000000000000000001
HZ=$(getconf CLK_TCK)

die()  { echo "run.sh: $*" >&2; exit 1; }
info() { echo "# $*"; }
for v in DURATION HTTP_DURATION CHECK_DURATION TORRENTS PEERS NUMWANT INFLIGHT SOCKETS HTTP_CONNS \
         WRK_THREADS HTTP_SCRAPE OT_PORT OR_UDP_PORT OR_HTTP_PORT START_TIMEOUT WARMUP_MAX JIT_WARMUP COLD; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number (got '${!v}')"
done
[ "$DURATION" -ge 1 ] && [ "$DURATION" -le 600 ] && [ "$HTTP_DURATION" -ge 1 ] && [ "$HTTP_DURATION" -le 600 ] \
  || die "DURATION and HTTP_DURATION must be 1..600"
for t in $TRACKERS; do case $t in opentracker|orleans|orleans-sqlite|orleans-mysql|orleans-private|orleans-dashboard|orleans-dashboard-viewed|orleans-base|nulltracker) ;; *) die "unknown tracker '$t' (opentracker, orleans, orleans-sqlite, orleans-mysql, orleans-private, orleans-dashboard, orleans-dashboard-viewed, orleans-base, nulltracker)";; esac; done
[[ " $TRACKERS " == *" orleans-base "* ]] && { [ -f "${BASE_DLL:-}" ] || die "orleans-base needs BASE_DLL=/path/to/orleans-tracker.dll (a Release build of another commit)"; }

# ---------------------------------------------------------------- cleanup: only what we started
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do
    kill -0 "$p" 2>/dev/null || continue
    kill -TERM "$p" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
  done
  PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM
stop_pid() {   # stop_pid PID: TERM, wait up to 10 s, then KILL
  local p=$1
  kill -TERM "$p" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$p" 2>/dev/null
  wait "$p" 2>/dev/null
  local keep=(); for q in "${PIDS[@]}"; do [ "$q" = "$p" ] || keep+=("$q"); done; PIDS=("${keep[@]}")
}

# ---------------------------------------------------------------- prerequisites
need_pkg() {   # need_pkg COMMAND PACKAGE
  command -v "$1" >/dev/null && return 0
  [ "$INSTALL" = 1 ] || die "$1 missing (apt-get install $2), INSTALL=0"
  info "installing $2"
  apt-get install -y "$2" >/dev/null || die "apt-get install $2 failed"
}
need_pkg gcc gcc
need_pkg wrk wrk
need_pkg taskset util-linux
need_pkg python3 python3
[[ " $TRACKERS " == *" opentracker "* ]] && need_pkg opentracker opentracker
[[ " $TRACKERS " == *" orleans"* ]] && { command -v dotnet >/dev/null || die "dotnet SDK not found"; }

NCPU=$(nproc)
if [ "$NCPU" -lt 2 ] && [ "$TRACKER_CPU" = 0 ] && [ "$LOADGEN_CPU" = 1 ]; then
  info "only $NCPU CPU: tracker and load generator share CPU 0"; LOADGEN_CPU=0
fi
UDPSRC=$SHARED_DIR/tools/udpload/udpload.c
LUA=$SHARED_DIR/tools/httpload/announce.lua
[ -f "$UDPSRC" ] || die "udpload source not found at $UDPSRC (set SHARED_DIR)"
[ -f "$LUA" ] || die "announce.lua not found at $LUA (set SHARED_DIR)"

mkdir -p "$WORK"
UDPLOAD=$WORK/udpload
# udpload plus one option of ours (-U: BEP 41 URL data, for the private-mode runs).
UDPPATCH=$REPO/bench/udpload-urldata.patch
if [ ! -x "$UDPLOAD" ] || [ "$UDPSRC" -nt "$UDPLOAD" ] || [ "$UDPPATCH" -nt "$UDPLOAD" ]; then
  patch -s -o "$WORK/udpload.c" "$UDPSRC" "$UDPPATCH" || die "patching udpload failed"
  gcc -O2 -Wall -o "$UDPLOAD" "$WORK/udpload.c" -lm || die "building udpload failed"
fi
HASHES=$WORK/hashes.txt
"$UDPLOAD" -H "$HASHES" -t "$TORRENTS" >/dev/null || die "udpload -H failed"
[ "$(wc -l < "$HASHES")" -eq "$TORRENTS" ] || die "hash file has the wrong length"

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$WORK/results-$STAMP.txt
{
  echo "# bench/run.sh $STAMP commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "# host: nproc=$NCPU cpu='$(lscpu | sed -n 's/^Model name: *//p' | head -1)' kernel=$(uname -r)"
  echo "# sizes: torrents=$TORRENTS peers=$PEERS numwant=$NUMWANT mix=$MIX inflight=$INFLIGHT sockets=$SOCKETS jit_warmup=${JIT_WARMUP}s" \
       "udp=${DURATION}s http=${HTTP_DURATION}s conns=$HTTP_CONNS wrk_threads=$WRK_THREADS http_scrape=$HTTP_SCRAPE%" \
       "pin tracker=$TRACKER_CPU loadgen=$LOADGEN_CPU"
} | tee "$RESULTS"

# ---------------------------------------------------------------- helpers
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12+$13}'; }   # utime+stime
status_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status" 2>/dev/null; }
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
kv() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }    # kv LINE KEY

port_busy() {   # port_busy udp|tcp PORT
  ss -Hln"${1:0:1}" "sport = :$2" 2>/dev/null | grep -q .
}

# udp_ready PORT PID TIMEOUT: a BEP 15 connect answered within the bound, and PID alive
udp_ready() {
  local port=$1 pid=$2 end=$((SECONDS + $3))
  while [ $SECONDS -lt $end ]; do
    kill -0 "$pid" 2>/dev/null || return 2
    python3 - "$HOST" "$port" <<'PY' && return 0
import socket, struct, sys, os
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.3)
tid = int.from_bytes(os.urandom(4), "big")
s.sendto(struct.pack(">qiI", 0x41727101980, 0, tid), (sys.argv[1], int(sys.argv[2])))
try:
    d = s.recv(64)
except OSError:
    sys.exit(1)
sys.exit(0 if len(d) >= 16 and struct.unpack(">iI", d[:8]) == (0, tid) else 1)
PY
    sleep 0.5
  done
  return 1
}
tcp_ready() {   # tcp_ready PORT PID TIMEOUT
  local end=$((SECONDS + $3))
  while [ $SECONDS -lt $end ]; do
    kill -0 "$2" 2>/dev/null || return 2
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}

declare -A R   # R[tracker:proto:field]

emit() {   # emit TRACKER PROTO "k=v k=v ..." ...
  local t=$1 p=$2; shift 2
  local fields="$*"
  echo "RESULT tracker=$t proto=$p $fields" | tee -a "$RESULTS"
  local f; for f in $fields; do R["$t:$p:${f%%=*}"]=${f#*=}; done
}

# run_load MAX_SECONDS PID CMD...: runs the load generator pinned (killed after MAX_SECONDS), samples the tracker once a second;
# sets LOAD_OUT, CPU_TICKS (tracker, whole run), TRK_PCT, LG_PCT and FOREIGN_PCT (medians of
# 1 s samples, % of one core; FOREIGN = every other process on the machine).
run_load() {   # run_load MAX_SECONDS TRACKER_PID CMD...
  local bound=$1 spid=$2; shift 2
  local out; out=$(mktemp)
  local c0; c0=$(cpu_ticks "$spid")
  taskset -c "$LOADGEN_CPU" "$@" > "$out" 2>&1 & local lg=$!
  PIDS+=("$lg")
  local s0=$c0 l0 b0; l0=$(cpu_ticks $lg); b0=$(busy_ticks); local t0; t0=$(date +%s%N)
  local samples=() until_s=$((SECONDS + bound))
  while kill -0 $lg 2>/dev/null; do
    sleep 1
    if [ $SECONDS -gt $until_s ]; then
      info "load generator overran ${bound}s: killing it"; kill -TERM $lg 2>/dev/null; break
    fi
    local s1 l1 b1 t1; s1=$(cpu_ticks "$spid"); l1=$(cpu_ticks $lg); b1=$(busy_ticks); t1=$(date +%s%N)
    [ -n "$l1" ] && kill -0 $lg 2>/dev/null || break
    samples+=("$(awk -v s=$((s1-s0)) -v l=$((l1-l0)) -v b=$((b1-b0)) -v dt=$((t1-t0)) -v hz="$HZ" \
                 'BEGIN{d=dt/1e9; f=(b-s-l)/hz/d*100; if (f<0) f=0; printf "%.0f %.0f %.0f", s/hz/d*100, l/hz/d*100, f}')")
    s0=$s1 l0=$l1 b0=$b1 t0=$t1
  done
  wait $lg; local rc=$?
  local keep=(); for q in "${PIDS[@]}"; do [ "$q" = $lg ] || keep+=("$q"); done; PIDS=("${keep[@]}")
  local c1; c1=$(cpu_ticks "$spid")
  CPU_TICKS=$(( ${c1:-$c0} - c0 ))
  LOAD_OUT=$(cat "$out"); rm -f "$out"
  # medians, skipping the first (ramp-up) second
  TRK_PCT=$(printf '%s\n' "${samples[@]}" | tail -n +2 | awk 'NF{print $1}' | median)
  LG_PCT=$(printf '%s\n' "${samples[@]}" | tail -n +2 | awk 'NF{print $2}' | median)
  FOREIGN_PCT=$(printf '%s\n' "${samples[@]}" | tail -n +2 | awk 'NF{print $3}' | median)
  [ "${FOREIGN_PCT:-0}" -gt 10 ] && info "WARNING: other processes used ${FOREIGN_PCT}% of a core during this run: numbers are noisy"
  return $rc
}

median() { sort -n | awk '{a[NR]=$1} END{print (NR ? a[int((NR+1)/2)] : 0)}'; }
us_per() { awk -v t="$1" -v n="$2" -v hz="$HZ" 'BEGIN{ if (n > 0) printf "%.2f", t/hz*1e6/n; else print "nan" }'; }

# ---------------------------------------------------------------- trackers
start_opentracker() {
  local dir=$WORK/opentracker; mkdir -p "$dir"
  cp "$HASHES" "$dir/whitelist.txt"
  chmod 755 "$dir"; chmod 644 "$dir/whitelist.txt"
  cat > "$dir/opentracker.conf" <<EOF
listen.tcp $HOST:$OT_PORT
listen.udp $HOST:$OT_PORT
listen.udp.workers 1
access.whitelist $dir/whitelist.txt
EOF
  UDP_PORT=$OT_PORT HTTP_PORT=$OT_PORT
  port_busy udp "$UDP_PORT" && { echo "udp port $UDP_PORT already in use" >&2; return 1; }
  [ -n "$HTTP_PORT" ] && port_busy tcp "$HTTP_PORT" && { echo "tcp port $HTTP_PORT already in use" >&2; return 1; }
  # opentracker chroots to its working directory and drops to user nobody
  ( cd "$dir" && exec taskset -c "$TRACKER_CPU" opentracker -f "$dir/opentracker.conf" ) \
     > "$dir/opentracker.log" 2>&1 &
  TPID=$!; PIDS+=("$TPID"); TLOG=$dir/opentracker.log; READY_TIMEOUT=15
}

# nulltracker: udpload's stateless calibration responder (UDP only); measures the ceiling
# of the load generator on this machine. NT_PORT [26979]
start_nulltracker() {
  local dir=$WORK/nulltracker.run; mkdir -p "$dir"
  local src=$SHARED_DIR/tools/udpload/nulltracker.c
  if [ ! -x "$WORK/nulltracker" ] || [ "$src" -nt "$WORK/nulltracker" ]; then
    gcc -O2 -Wall -o "$WORK/nulltracker" "$src" || return 1
  fi
  UDP_PORT=${NT_PORT:-26979} HTTP_PORT=
  port_busy udp "$UDP_PORT" && { echo "udp port $UDP_PORT already in use" >&2; return 1; }
  # exits by itself after the bound
  taskset -c "$TRACKER_CPU" "$WORK/nulltracker" "$UDP_PORT" $((WARMUP_MAX + DURATION + 60)) > "$dir/log" 2>&1 &
  TPID=$!; PIDS+=("$TPID"); TLOG=$dir/log; READY_TIMEOUT=10
}

# start_orleans_db STORAGE: memory (persistence = false), sqlite (data.db in the work folder) or
# mysql (a throwaway mariadbd started by start_mariadb). The storage only matters when a grain is
# activated (state read) or a completed count is flushed; the steady-state load sends event none.
start_orleans() { start_orleans_db memory; }
# The same memory-only tracker with the Orleans dashboard on (nobody viewing it), viewed (a poller
# asks the dashboard for its counters every second, as its page does, which keeps the per-call
# profiler on), or another build (BASE_DLL) for before/after comparisons in one run. UDP only.
start_orleans-dashboard() { OR_VARIANT=dashboard start_orleans_db memory; }
start_orleans-dashboard-viewed() { OR_VARIANT=dashboard-viewed start_orleans_db memory && view_dashboard; }
start_orleans-base() { OR_VARIANT=base start_orleans_db memory; }
OR_DASHBOARD_PORT=${OR_DASHBOARD_PORT:-18080}
view_dashboard() {   # polls the dashboard while the tracker lives (bounded), like an open browser tab
  local tracker=$TPID n=$((WARMUP_MAX + DURATION + START_TIMEOUT + 120))
  ( for _ in $(seq "$n"); do
      kill -0 "$tracker" 2>/dev/null || exit 0
      for p in DashboardCounters ClusterStats TopGrainMethods; do
        curl -s -m 2 -o /dev/null "http://$HOST:$OR_DASHBOARD_PORT/$p"
      done
      sleep 1
    done ) > /dev/null 2>&1 &
  PIDS+=("$!")
}
start_orleans-sqlite() { start_orleans_db sqlite; }
start_orleans-mysql() { start_mariadb && start_orleans_db mysql; }
# orleans-private: mode private_listed (key in BEP 41 URL data, every torrent whitelisted), in memory
start_orleans-private() { start_orleans_db private; }

start_mariadb() {
  local dir=$WORK/mariadb port=${MYSQL_PORT:-23306}
  command -v mariadb-install-db >/dev/null || apt-get install -y -qq mariadb-server >/dev/null
  rm -rf "$dir"; mkdir -p "$dir"
  mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal --user=root \
      --skip-test-db > "$dir/install.log" 2>&1 || { tail -5 "$dir/install.log" >&2; return 1; }
  /usr/sbin/mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$port" \
      --bind-address=127.0.0.1 --user=root --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" \
      --innodb-buffer-pool-size=256M --skip-log-bin > /dev/null 2>&1 &
  PIDS+=("$!"); MYSQL_PID=$!
  local i; for i in $(seq 1 60); do
    mariadb --no-defaults -h127.0.0.1 -P"$port" -uroot -e 'select 1' >/dev/null 2>&1 && { MYSQL_URL="mysql://root@127.0.0.1:$port/orleans_tracker_bench"; return 0; }
    sleep 1
  done
  echo "mariadbd did not start" >&2; return 1
}

start_orleans_db() {
  local storage=$1 variant=${OR_VARIANT:-}
  local dir=$WORK/orleans-${variant:-$1}; rm -rf "$dir"; mkdir -p "$dir"
  local db mode=public
  case $storage in
    memory) db='persistence = false' ;;
    private) db=$(printf 'persistence = false\ndb_path = "%s/data.db"' "$dir"); mode=private_listed ;;
    sqlite) db=$(printf 'persistence = true\ndb_driver = "sqlite3"\ndb_path = "%s/data.db"' "$dir") ;;
    mysql)  db=$(printf 'persistence = true\ndb_driver = "mysql"\ndb_path = "%s"' "$MYSQL_URL") ;;
  esac
  local dll=$REPO/Silo/bin/Release/net10.0/orleans-tracker.dll extra=
  case $variant in
    base) dll=$BASE_DLL ;;
    dashboard|dashboard-viewed) extra=$(printf '[dashboard]\nenabled = true\nbind_address = "%s:%s"' "$HOST" "$OR_DASHBOARD_PORT") ;;
  esac
  if [ "$BUILD" = 1 ] && [ "$variant" != base ] && [ -z "${BUILT:-}" ]; then
    BUILT=1
    info "building Silo (Release): log in $dir/build.log"
    if ! (cd "$REPO" && dotnet build Silo -c Release -nologo) > "$dir/build.log" 2>&1; then
      tail -n 15 "$dir/build.log" >&2; echo "dotnet build Silo -c Release failed" >&2; return 1
    fi
  fi
  [ -f "$dll" ] || { echo "$dll not found (build first, or BUILD=1)" >&2; return 1; }
  cat > "$dir/config.toml" <<EOF
log_level = "warn"
mode = "$mode"
$db
announce_interval = 120

[[udp_trackers]]
enabled = true
bind_address = "$HOST:$OR_UDP_PORT"

[[http_trackers]]
enabled = true
bind_address = "$HOST:$OR_HTTP_PORT"

# Several trackers may run at once here: the health-check API would want the same port.
[health_check_api]
enabled = false

[http_api]
enabled = false

$extra
EOF
  UDP_PORT=$OR_UDP_PORT HTTP_PORT=$OR_HTTP_PORT
  # Storage and mode variants are compared on UDP only (the HTTP path takes the same turns).
  [ "$storage" = memory ] || HTTP_PORT=
  [ -z "$variant" ] || [ "$variant" = base ] || HTTP_PORT=
  if [ "$mode" = private_listed ]; then
    # Every torrent of the run whitelisted and one key, seeded with the tracker's own commands.
    (cd "$dir" && dotnet "$dll" --config config.toml keys add --key "$BENCH_KEY" > /dev/null \
      && dotnet "$dll" --config config.toml whitelist add --file "$HASHES" > /dev/null) || { echo "seeding keys/whitelist failed" >&2; return 1; }
    URLDATA=(-U "/announce/$BENCH_KEY")
  fi
  port_busy udp "$UDP_PORT" && { echo "udp port $UDP_PORT already in use" >&2; return 1; }
  [ -n "$HTTP_PORT" ] && port_busy tcp "$HTTP_PORT" && { echo "tcp port $HTTP_PORT already in use" >&2; return 1; }
  ( cd "$dir" && DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
      exec taskset -c "$TRACKER_CPU" dotnet "$dll" --config "$dir/config.toml" ) > "$dir/tracker.log" 2>&1 &
  TPID=$!; PIDS+=("$TPID"); TLOG=$dir/tracker.log; READY_TIMEOUT=$START_TIMEOUT
}

bench_tracker() {
  local t=$1 TPID= TLOG= UDP_PORT= HTTP_PORT= READY_TIMEOUT=10 URLDATA=()
  info "=== $t"
  if ! "start_$t"; then
    emit "$t" udp "status=start_failed"; emit "$t" http "status=start_failed"; return
  fi
  local t0=$SECONDS rc=0
  udp_ready "$UDP_PORT" "$TPID" "$READY_TIMEOUT" || rc=$?
  if [ $rc -eq 0 ] && [ -n "$HTTP_PORT" ]; then tcp_ready "$HTTP_PORT" "$TPID" 10 || rc=$?; fi
  if [ $rc -ne 0 ]; then
    [ $rc -eq 2 ] && echo "$t exited during start-up; log tail:" >&2 || echo "$t: no answer within ${READY_TIMEOUT}s; log tail:" >&2
    tail -n 20 "$TLOG" >&2
    emit "$t" udp "status=not_ready"; emit "$t" http "status=not_ready"
    stop_pid "$TPID"; return
  fi
  info "$t pid $TPID ($(cat /proc/$TPID/comm)) ready after $((SECONDS - t0)) s, rss $(( $(status_kb $TPID VmRSS) / 1024 )) MB"

  if [ "$COLD" -gt 0 ]; then
    run_load $((COLD + 40)) "$TPID" "$UDPLOAD" -a $HOST -p "$UDP_PORT" -d "$COLD" -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" \
             -m "$MIX" -c "$INFLIGHT" -s "$SOCKETS" "${URLDATA[@]}"
    local c; c=$(echo "$LOAD_OUT" | grep '^RESULT' | tail -1)
    emit "$t" udp-cold "rps=$(kv "$c" rps) cpu_us_per_resp=$(us_per $CPU_TICKS "$(kv "$c" ok)") timeouts=$(kv "$c" timeouts)" \
"ok=$(kv "$c" ok) tracker_cpu_pct=$TRK_PCT foreign_cpu_pct=$FOREIGN_PCT"
  fi

  # warm-up: every peer announces once (bounded by WARMUP_MAX)
  local w; w=$(taskset -c "$LOADGEN_CPU" "$UDPLOAD" -a $HOST -p "$UDP_PORT" -F -t "$TORRENTS" -n "$PEERS" \
               -w "$NUMWANT" -c "$INFLIGHT" -s "$SOCKETS" -d "$WARMUP_MAX" "${URLDATA[@]}" 2>&1 | grep '^RESULT')
  info "warm-up: ${w:-no result}; rss $(( $(status_kb $TPID VmRSS) / 1024 )) MB"
  if [ "$JIT_WARMUP" -gt 0 ]; then
    w=$(timeout -k 5 $((JIT_WARMUP + 30)) taskset -c "$LOADGEN_CPU" "$UDPLOAD" -a $HOST -p "$UDP_PORT" -d "$JIT_WARMUP" -t "$TORRENTS" \
        -n "$PEERS" -w "$NUMWANT" -m "$MIX" -c "$INFLIGHT" -s "$SOCKETS" "${URLDATA[@]}" 2>&1 | grep '^RESULT')
    info "jit warm-up (${JIT_WARMUP} s, untimed): ${w:-no result}"
  fi

  # UDP load
  run_load $((DURATION + 40)) "$TPID" "$UDPLOAD" -a $HOST -p "$UDP_PORT" -d "$DURATION" -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" \
           -m "$MIX" -c "$INFLIGHT" -s "$SOCKETS" "${URLDATA[@]}"
  local r; r=$(echo "$LOAD_OUT" | grep '^RESULT' | tail -1)
  if [ -z "$r" ] || ! kill -0 "$TPID" 2>/dev/null; then
    echo "$LOAD_OUT" | tail -5 >&2
    emit "$t" udp "status=failed alive=$(kill -0 "$TPID" 2>/dev/null && echo yes || echo no)"
  else
    local ok; ok=$(kv "$r" ok)
    emit "$t" udp "rps=$(kv "$r" rps) cpu_us_per_resp=$(us_per $CPU_TICKS "$ok") rss_mb=$(( $(status_kb $TPID VmRSS) / 1024 ))" \
"hwm_mb=$(( $(status_kb $TPID VmHWM) / 1024 )) timeouts=$(kv "$r" timeouts) invalid=$(kv "$r" invalid) err=$(kv "$r" err)" \
"ok=$ok p50_us=$(kv "$r" p50_us) p99_us=$(kv "$r" p99_us) tracker_cpu_pct=$TRK_PCT loadgen_cpu_pct=$LG_PCT foreign_cpu_pct=$FOREIGN_PCT"
  fi

  # HTTP: short validated check, then the measured run
  if [ -z "$HTTP_PORT" ]; then stop_pid "$TPID"; return; fi
  local url="http://$HOST:$HTTP_PORT" largs=(hashes="$HASHES" peers="$PEERS" numwant="$NUMWANT" scrape="$HTTP_SCRAPE")
  local chk; chk=$(timeout -k 5 $((CHECK_DURATION + 20)) taskset -c "$LOADGEN_CPU" wrk -t1 -c8 -d"${CHECK_DURATION}s" \
                   -s "$LUA" "$url" -- "${largs[@]}" validate=1 2>&1 | grep '^RESULT' | tail -1)
  local valid bad
  local fr ot; valid=$(kv "$chk" valid); fr=$(kv "$chk" failure_reason); ot=$(kv "$chk" other)
  bad=$(( ${fr:-0} + ${ot:-0} ))
  info "http check: ${chk:-no result}"
  if [ "$JIT_WARMUP" -gt 0 ] && [ -n "$chk" ]; then
    # The same untimed warm-up for the HTTP path (Kestrel's and our handler's methods tier up too).
    w=$(timeout -k 5 $((JIT_WARMUP + 30)) taskset -c "$LOADGEN_CPU" wrk -t"$WRK_THREADS" -c"$HTTP_CONNS" -d"${JIT_WARMUP}s" \
        -s "$LUA" "$url" -- "${largs[@]}" 2>&1 | grep '^RESULT' | tail -1)
    info "http jit warm-up (${JIT_WARMUP} s, untimed): ${w:-no result}"
  fi
  if [ -z "$chk" ] || [ "${valid:-0}" = 0 ]; then
    emit "$t" http "status=check_failed valid=${valid:-0} invalid=$bad"
  else
    run_load $((HTTP_DURATION + 30)) "$TPID" wrk -t"$WRK_THREADS" -c"$HTTP_CONNS" -d"${HTTP_DURATION}s" \
             --latency -s "$LUA" "$url" -- "${largs[@]}"
    r=$(echo "$LOAD_OUT" | grep '^RESULT' | tail -1)
    if [ -z "$r" ]; then
      echo "$LOAD_OUT" | tail -5 >&2; emit "$t" http "status=failed"
    else
      local n; n=$(kv "$r" requests)
      local err=$(( $(kv "$r" non2xx) + $(kv "$r" connect_err) + $(kv "$r" write_err) ))
      emit "$t" http "rps=$(kv "$r" rps) cpu_us_per_resp=$(us_per $CPU_TICKS "$n") rss_mb=$(( $(status_kb $TPID VmRSS) / 1024 ))" \
"hwm_mb=$(( $(status_kb $TPID VmHWM) / 1024 )) timeouts=$(kv "$r" timeouts) invalid=$bad err=$err read_err=$(kv "$r" read_err)" \
"requests=$n p50_us=$(kv "$r" p50_us) p99_us=$(kv "$r" p99_us) tracker_cpu_pct=$TRK_PCT loadgen_cpu_pct=$LG_PCT foreign_cpu_pct=$FOREIGN_PCT check_valid=$valid"
    fi
  fi
  stop_pid "$TPID"
}

for t in $TRACKERS; do bench_tracker "$t"; done

# ---------------------------------------------------------------- ratios
ratio() {   # ratio PROTO FIELD
  local a=${R[orleans:$1:$2]:-} b=${R[opentracker:$1:$2]:-} v=n/a
  if [[ "$a" =~ ^[0-9.]+$ && "$b" =~ ^[0-9.]+$ ]]; then
    v=$(awk -v a="$a" -v b="$b" 'BEGIN{ if (b > 0) printf "%.3f", a/b; else print "n/a" }')
  fi
  echo "RATIO $1 ${3:-$2} orleans/opentracker=$v" | tee -a "$RESULTS"
}
if [[ " $TRACKERS " == *" orleans "* && " $TRACKERS " == *" opentracker "* ]]; then
  ratio udp rps; ratio udp cpu_us_per_resp cpu_per_resp; ratio udp rss_mb
  ratio http rps; ratio http cpu_us_per_resp cpu_per_resp
fi
if [ "$COLD" -gt 0 ]; then
  for t in $TRACKERS; do
    a=${R[$t:udp-cold:cpu_us_per_resp]:-} b=${R[$t:udp:cpu_us_per_resp]:-}
    [[ "$a" =~ ^[0-9.]+$ && "$b" =~ ^[0-9.]+$ ]] \
      && echo "COLDWARM tracker=$t cold_us=$a warm_us=$b cold_over_warm=$(awk -v a="$a" -v b="$b" 'BEGIN{ printf "%.2f", a/b }')" | tee -a "$RESULTS"
  done
fi
storage_ratio() {   # storage_ratio VARIANT: persistence on versus off, same run
  local a=${R[orleans-$1:udp:rps]:-} b=${R[orleans:udp:rps]:-} v=n/a
  [[ "$a" =~ ^[0-9.]+$ && "$b" =~ ^[0-9.]+$ ]] && v=$(awk -v a="$a" -v b="$b" 'BEGIN{ printf "%.3f", a/b }')
  echo "RATIO udp rps orleans-$1/orleans(memory)=$v" | tee -a "$RESULTS"
}
for v in sqlite mysql private; do [[ " $TRACKERS " == *" orleans-$v "* && " $TRACKERS " == *" orleans "* ]] && storage_ratio "$v"; done
variant_ratio() {   # variant_ratio A B FIELD: A/B in the same run
  local a=${R[$1:udp:$3]:-} b=${R[$2:udp:$3]:-} v=n/a
  [[ "$a" =~ ^[0-9.]+$ && "$b" =~ ^[0-9.]+$ ]] && v=$(awk -v a="$a" -v b="$b" 'BEGIN{ if (b > 0) printf "%.3f", a/b; else print "n/a" }')
  echo "RATIO udp $3 $1/$2=$v" | tee -a "$RESULTS"
}
for v in orleans-dashboard orleans-dashboard-viewed; do
  [[ " $TRACKERS " == *" $v "* && " $TRACKERS " == *" orleans "* ]] && { variant_ratio "$v" orleans rps; variant_ratio "$v" orleans cpu_us_per_resp; }
done
if [[ " $TRACKERS " == *" orleans-base "* && " $TRACKERS " == *" orleans "* ]]; then
  variant_ratio orleans orleans-base rps; variant_ratio orleans orleans-base cpu_us_per_resp
  for f in rps cpu_us_per_resp; do
    a=${R[orleans:http:$f]:-} b=${R[orleans-base:http:$f]:-}
    [[ "$a" =~ ^[0-9.]+$ && "$b" =~ ^[0-9.]+$ ]] && echo "RATIO http $f orleans/orleans-base=$(awk -v a="$a" -v b="$b" 'BEGIN{ printf "%.3f", a/b }')" | tee -a "$RESULTS"
  done
fi
info "results saved in $RESULTS (total ${SECONDS} s)"
