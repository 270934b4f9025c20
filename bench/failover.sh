#!/bin/bash
# bench/failover.sh — how long the survivors leave torrents unanswered after one silo of three dies.
#
# For each mode in $MODES and each silo index in its victim list: start three silos on loopback
# ("localhost": silo 0 is the primary, one shared SQLite file; "adonet": a private mariadbd started
# here, a fresh database per round), seed $TORRENTS torrents through all three, then
# bench/failover-probe.py announces every torrent every 0.1 s through the two survivors, sends
# SIGKILL to the victim (or SIGSTOP for $PAUSE seconds, then SIGCONT: a GC pause or frozen VM that
# must NOT be declared dead) and reports the unanswered window per torrent. With LOAD=cpu two busy
# loops run beside the cluster, with LOAD=udp udpload sends UDP announces to the survivors, so
# detection is measured on a busy machine too.
#
# Output per round:
#   RESULT mode=adonet action=sigkill victim=1 torrents=30 affected=10 unrecovered=0 max_window_s=2.31 ...
#   (affected: torrents that went unanswered at all; max_window_s: kill to the answer after the
#    last gap, over all torrents; unrecovered: never answered again within MAX_AFTER)
# and a SUMMARY line per mode.
#
# env: MODES ["localhost adonet"] LOCALHOST_VICTIMS ["1 2"] ADONET_VICTIMS ["0 1 2"] TORRENTS [30]
#      PAUSE [0 = SIGKILL] LOAD [none|cpu|udp] UDP_RATE [1000 requests/s per survivor] MAX_AFTER [30] BUILD [1] WORK [<repo>/bench/work]
#      START_TIMEOUT [90] DLL [the Release build; another build for A/B]. Loopback only; every wait and load is bounded; every process started
#      here is stopped on exit.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$REPO/bench/work}/failover
MODES=${MODES:-localhost adonet}; LOCALHOST_VICTIMS=${LOCALHOST_VICTIMS:-1 2}; ADONET_VICTIMS=${ADONET_VICTIMS:-0 1 2}
TORRENTS=${TORRENTS:-30}; PAUSE=${PAUSE:-0}; LOAD=${LOAD:-none}; MAX_AFTER=${MAX_AFTER:-30}
BUILD=${BUILD:-1}; START_TIMEOUT=${START_TIMEOUT:-90}
HOST=127.0.0.1; DLL=${DLL:-$REPO/Silo/bin/Release/net10.0/orleans-tracker.dll}
UDP0=19969; SILO0=23111; GATEWAY0=33100; DBPORT=23306
die() { echo "failover.sh: $*" >&2; exit 1; }
[ "$TORRENTS" -ge 3 ] && [ "$TORRENTS" -le 1000 ] || die "TORRENTS must be 3..1000"
[ "$MAX_AFTER" -ge 5 ] && [ "$MAX_AFTER" -le 120 ] || die "MAX_AFTER must be 5..120"

PIDS=(); DB_PID=; LOAD_PIDS=()
stop_silos() {
  local p
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  PIDS=()
}
# TERM, not KILL: the busy loops run under timeout(1), which passes TERM on to them but would leave
# them running if it were killed itself.
stop_load() { local p; for p in "${LOAD_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; LOAD_PIDS=(); }
cleanup() { stop_load; stop_silos; [ -n "$DB_PID" ] && kill -KILL "$DB_PID" 2>/dev/null; DB_PID=; }
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK"
[ "$BUILD" = 1 ] && { (cd "$REPO" && dotnet build Silo -c Release -nologo -v q) > "$WORK/build.log" 2>&1 || die "build failed (see $WORK/build.log)"; }
[ -f "$DLL" ] || die "no build at $DLL"
port_busy() { ss -Hln"${1:0:1}" "sport = :$2" 2>/dev/null | grep -q .; }

start_mariadb() {   # a private mariadbd on $DBPORT with its data in $WORK, root without a password
  [ -x /usr/sbin/mariadbd ] || die "mode adonet needs mariadb-server (/usr/sbin/mariadbd)"
  port_busy tcp $DBPORT && die "port $DBPORT (tcp) is in use"
  rm -rf "$WORK/mariadb"; mkdir -p "$WORK/mariadb"
  mariadb-install-db --no-defaults --datadir="$WORK/mariadb/data" --auth-root-authentication-method=normal \
    --user="$(id -un)" --skip-test-db > "$WORK/mariadb/install.log" 2>&1 || die "mariadb-install-db failed"
  /usr/sbin/mariadbd --no-defaults --datadir="$WORK/mariadb/data" --socket="$WORK/mariadb/sock" --port=$DBPORT \
    --bind-address=$HOST --user="$(id -un)" --pid-file="$WORK/mariadb/pid" --log-error="$WORK/mariadb/error.log" \
    --innodb-buffer-pool-size=64M --skip-log-bin > /dev/null 2>&1 &
  DB_PID=$!
  for _ in $(seq 120); do
    mariadb --no-defaults -h $HOST -P $DBPORT -u root -e 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  die "mariadbd did not start (see $WORK/mariadb/error.log)"
}

write_config() {   # write_config MODE ROUND INDEX FILE
  local mode=$1 round=$2 i=$3 storage cluster
  if [ "$mode" = adonet ]; then
    storage="db_driver = \"mysql\"
db_path = \"mysql://root@$HOST:$DBPORT/failover_$round\""
    cluster="mode = \"adonet\"
advertised_ip = \"$HOST\""
  else
    storage="db_path = \"$WORK/round-$round.db\""
    cluster=""
    [ "$i" -gt 0 ] && cluster="primary_silo = \"$HOST:$SILO0\""
  fi
  cat > "$4" <<EOF
log_level = "info"
mode = "public"
$storage
persistence_interval = 5
http_trackers = []

[[udp_trackers]]
bind_address = "$HOST:$((UDP0 + i))"

# Several trackers may run at once here: the health-check API would want the same port.
[health_check_api]
enabled = false

[http_api]
enabled = false

[cluster]
cluster_id = "failover-$round"
silo_port = $((SILO0 + i))
gateway_port = $((GATEWAY0 + i))
$cluster
EOF
}

wait_ready() {   # wait_ready INDEX PID LOG: the silo logged that it serves
  local end=$((SECONDS + START_TIMEOUT))
  while [ $SECONDS -lt $end ]; do
    kill -0 "$2" 2>/dev/null || return 1
    grep -q "Tracker ready" "$3" 2>/dev/null && return 0
    sleep 0.3
  done
  return 1
}

start_load() {   # LOAD=cpu: two busy loops; LOAD=udp: udpload at a steady rate on the survivors
  local victim=$1 i
  case "$LOAD" in
    none) ;;
    cpu) for i in 1 2; do timeout $((MAX_AFTER + 60)) sh -c 'while :; do :; done' & LOAD_PIDS+=($!); done ;;
    udp)
      [ -x "$WORK/udpload" ] || gcc -O2 -Wall -o "$WORK/udpload" "$REPO/bench/udpload/udpload.c" -lm || die "building udpload failed"
      for i in 0 1 2; do
        [ "$i" = "$victim" ] && continue
        "$WORK/udpload" -a $HOST -p $((UDP0 + i)) -d $((MAX_AFTER + 40)) -t 10000 -n 20000 -R "${UDP_RATE:-1000}" -c 4096 -s 2 \
          > "$WORK/udpload-$i.txt" 2>&1 &
        LOAD_PIDS+=($!)
      done ;;
    *) die "LOAD must be none, cpu or udp" ;;
  esac
}

round=0
for mode in $MODES; do
  case "$mode" in
    localhost) victims=$LOCALHOST_VICTIMS ;;
    adonet) victims=$ADONET_VICTIMS; [ -n "$DB_PID" ] || start_mariadb ;;
    *) die "unknown mode $mode" ;;
  esac
  worst=0
  for victim in $victims; do
    round=$((round + 1))
    for i in 0 1 2; do
      for port in "udp $((UDP0 + i))" "tcp $((SILO0 + i))" "tcp $((GATEWAY0 + i))"; do
        port_busy $port && die "port ${port#* } (${port% *}) is in use: another tracker or benchmark is running"
      done
    done
    rm -f "$WORK/round-$round.db"*
    silos=()
    # Silo 0 first (the primary, or the one that installs the schema), then the other two.
    for i in 0 1 2; do
      cfg=$WORK/round-$round-silo-$i.toml; log=$WORK/round-$round-silo-$i.log
      write_config "$mode" "$round" "$i" "$cfg"
      (cd "$WORK" && exec dotnet "$DLL" --config "$cfg") > "$log" 2>&1 &
      PIDS+=($!); silos+=($!)
      disown $!   # the probe kills it: no "Killed" job message, bash reaps it silently
      if [ "$i" = 0 ] || [ "$i" = 2 ]; then
        for j in $(seq 0 "$i"); do
          wait_ready "$j" "${silos[$j]}" "$WORK/round-$round-silo-$j.log" \
            || { tail -20 "$WORK/round-$round-silo-$j.log" >&2; die "silo $j did not start ($mode)"; }
        done
      fi
    done
    start_load "$victim"
    args=(--all "$((UDP0)),$((UDP0 + 1)),$((UDP0 + 2))" --victim "$victim" --pid "${silos[$victim]}"
          --torrents "$TORRENTS" --max-after "$MAX_AFTER")
    [ "$PAUSE" != 0 ] && args+=(--pause "$PAUSE")
    result=$(timeout $((MAX_AFTER + 120)) python3 "$REPO/bench/failover-probe.py" "${args[@]}") \
      || die "probe failed ($mode, victim $victim): $result"
    stop_load
    echo "RESULT mode=$mode load=$LOAD ${result#RESULT }"
    grep -h -E "Declaring|declared dead|Evicting|is dead|killing myself" "$WORK"/round-$round-silo-*.log 2>/dev/null \
      | head -5 | sed 's/^/# log: /'
    w=$(sed -n 's/.*max_window_s=\([0-9.]*\).*/\1/p' <<<"$result")
    worst=$(awk -v a="$worst" -v b="${w:-999}" 'BEGIN{print (b > a) ? b : a}')
    stop_silos
  done
  echo "SUMMARY mode=$mode load=$LOAD action=$([ "$PAUSE" != 0 ] && echo "pause${PAUSE}s" || echo sigkill) victims=\"$victims\" worst_window_s=$worst"
done
