#!/bin/bash
# bench/cluster.sh — one silo against N silos of one cluster, with the same CPU budget.
#
# For each N in $SILOS_LIST: start N tracker processes ("localhost" clustering, the first is the
# primary, persistence off), ALL pinned to the CPU list $TRACKER_CPU, so N silos share what one
# silo had. Warm up (udpload -F through silo 0: every peer announces once), then run N udpload
# processes at once, one per silo, each with INFLIGHT/N requests in flight (announces arrive at the
# silos round-robin, as behind DNS; the loads share udpload's seed, so they use the same warmed
# peers). A torrent lives on one silo, so about (N-1)/N of the announces cross to another silo.
# Tracker CPU = the sum over the N processes, from /proc/PID/stat.
#
# Output: RESULT silos=N rps=... cpu_us_per_resp=... timeouts=... err=... invalid=...
# and, for N > 1, OVERHEAD silos=N extra_cpu_us_per_remote_announce=...
#
# env: SILOS_LIST ["1 3"] DURATION [15] TORRENTS [100000] PEERS [200000] NUMWANT [30]
#      INFLIGHT [128] SOCKETS [4] TRACKER_CPU [0] LOADGEN_CPU [1] BUILD [1] START_TIMEOUT [90]
#      SHARED_DIR [<repo>/../shared] WORK [<repo>/bench/work]. Loopback only; bounded; every
#      process started here is stopped on exit.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
SHARED_DIR=${SHARED_DIR:-$REPO/../shared}; WORK=${WORK:-$REPO/bench/work}
SILOS_LIST=${SILOS_LIST:-1 3}; DURATION=${DURATION:-15}; TORRENTS=${TORRENTS:-100000}; PEERS=${PEERS:-200000}
NUMWANT=${NUMWANT:-30}; INFLIGHT=${INFLIGHT:-128}; SOCKETS=${SOCKETS:-4}
TRACKER_CPU=${TRACKER_CPU:-0}; LOADGEN_CPU=${LOADGEN_CPU:-1}; BUILD=${BUILD:-1}; START_TIMEOUT=${START_TIMEOUT:-90}
HOST=127.0.0.1; HZ=$(getconf CLK_TCK); DLL=$REPO/Silo/bin/Release/net10.0/orleans-tracker.dll
die() { echo "cluster.sh: $*" >&2; exit 1; }
[ "$DURATION" -ge 1 ] && [ "$DURATION" -le 600 ] || die "DURATION must be 1..600"

PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; PIDS=(); }
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK"
UDPLOAD=$WORK/udpload
if [ ! -x "$UDPLOAD" ]; then gcc -O2 -Wall -o "$UDPLOAD" "$SHARED_DIR/tools/udpload/udpload.c" -lm || die "building udpload failed"; fi
[ "$BUILD" = 1 ] && { dotnet build "$REPO/Silo" -c Release -v q >/dev/null || die "build failed"; }
[ -f "$DLL" ] || die "no build at $DLL"

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12+$13}'; }
kv() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
udp_port() { echo $((18969 + $1)); }   # not run.sh's 16969: both may run on a shared machine
port_busy() { ss -Hln"${1:0:1}" "sport = :$2" 2>/dev/null | grep -q .; }

write_config() {   # write_config INDEX N FILE
  local i=$1 n=$2 primary=""
  [ "$i" -gt 0 ] && primary="primary_silo = \"127.0.0.1:22111\""
  cat > "$3" <<EOF
log_level = "warn"
mode = "public"
persistence = false
cleanup_interval = 600
max_numwant = 74
http_trackers = []

[[udp_trackers]]
bind_address = "$HOST:$(udp_port "$i")"

[http_api]
enabled = false

[cluster]
cluster_id = "bench-$n"
silo_port = $((22111 + i))
gateway_port = $((32000 + i))
$primary
EOF
}

wait_ready() {   # wait_ready PORT PID: a BEP 15 connect is answered
  local end=$((SECONDS + START_TIMEOUT))
  while [ $SECONDS -lt $end ]; do
    kill -0 "$2" 2>/dev/null || return 1
    "$UDPLOAD" -a $HOST -p "$1" -d 1 -t 1 -n 1 -c 1 -s 1 2>/dev/null | grep -q '^RESULT rps=[1-9]' && return 0
    sleep 0.5
  done
  return 1
}

BASE_CPU_US=""
for n in $SILOS_LIST; do
  silos=()
  for i in $(seq 0 $((n - 1))); do
    for port in "udp $(udp_port "$i")" "tcp $((22111 + i))" "tcp $((32000 + i))"; do
      port_busy $port && die "port ${port#* } (${port% *}) is in use: another tracker or benchmark is running"
    done
    cfg=$WORK/cluster-$n-$i.toml; write_config "$i" "$n" "$cfg"
    taskset -c "$TRACKER_CPU" dotnet "$DLL" --config "$cfg" > "$WORK/cluster-$n-$i.log" 2>&1 &
    PIDS+=($!); silos+=($!)
    wait_ready "$(udp_port "$i")" $! || { tail -20 "$WORK/cluster-$n-$i.log" >&2; die "silo $i of $n did not start"; }
  done
  echo "# $n silo(s) ready: pids ${silos[*]}"
  "$UDPLOAD" -a $HOST -p "$(udp_port 0)" -F -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" -c "$INFLIGHT" -s "$SOCKETS" -d 120 \
    | grep '^RESULT' | sed 's/^/# warm-up: /'

  before=0; for p in "${silos[@]}"; do before=$((before + $(cpu_ticks "$p"))); done
  outs=(); loads=()
  for i in $(seq 0 $((n - 1))); do
    out=$WORK/cluster-$n-load-$i.txt; outs+=("$out")
    taskset -c "$LOADGEN_CPU" timeout $((DURATION + 30)) "$UDPLOAD" -a $HOST -p "$(udp_port "$i")" -d "$DURATION" \
      -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" -c $((INFLIGHT / n)) -s "$SOCKETS" > "$out" 2>&1 &
    loads+=($!)
  done
  wait "${loads[@]}"
  after=0; for p in "${silos[@]}"; do after=$((after + $(cpu_ticks "$p"))); done

  rps=0; ok=0; timeouts=0; err=0; invalid=0
  for out in "${outs[@]}"; do
    r=$(grep '^RESULT' "$out" | tail -1); [ -n "$r" ] || { tail -5 "$out" >&2; die "a load run of $n silos gave no result"; }
    rps=$((rps + $(kv "$r" rps))); ok=$((ok + $(kv "$r" ok))); timeouts=$((timeouts + $(kv "$r" timeouts)))
    err=$((err + $(kv "$r" err))); invalid=$((invalid + $(kv "$r" invalid)))
  done
  cpu_us=$(awk -v t=$((after - before)) -v hz="$HZ" -v ok="$ok" 'BEGIN{printf "%.2f", ok ? t * 1e6 / hz / ok : 0}')
  echo "RESULT silos=$n rps=$rps cpu_us_per_resp=$cpu_us ok=$ok timeouts=$timeouts err=$err invalid=$invalid"
  if [ "$n" = 1 ]; then BASE_CPU_US=$cpu_us
  elif [ -n "$BASE_CPU_US" ]; then
    awk -v n="$n" -v a="$BASE_CPU_US" -v b="$cpu_us" \
      'BEGIN{printf "OVERHEAD silos=%d extra_cpu_us_per_remote_announce=%.2f (remote fraction %.2f)\n", n, (b - a) / ((n - 1) / n), (n - 1) / n}'
  fi
  for p in "${silos[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${silos[@]}"; do for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -KILL "$p" 2>/dev/null; done
  PIDS=()
done
