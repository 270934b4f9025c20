# bench/tracker-lib.sh — shared by bench/overload.sh and bench/soak.sh (sourced, not run).
# Builds the tracker and bench/udpload, starts one tracker on loopback ports, stops only what it
# started. Every wait is bounded.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST=127.0.0.1
TRACKER_PID=
die()  { echo "$(basename "$0"): $*" >&2; exit 1; }
info() { echo "# $*"; }

stop_tracker() {   # SIGTERM (the tracker flushes completed counts), then SIGKILL after 30 s
  [ -n "$TRACKER_PID" ] || return 0
  kill -TERM "$TRACKER_PID" 2>/dev/null
  for _ in $(seq 300); do kill -0 "$TRACKER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$TRACKER_PID" 2>/dev/null
  wait "$TRACKER_PID" 2>/dev/null
  TRACKER_PID=
}

build_all() {   # build_all WORK: the Silo (Release) unless BUILD=0, and udpload with -R/-C
  local work=$1
  mkdir -p "$work"
  if [ "${BUILD:-1}" = 1 ]; then
    (cd "$REPO" && dotnet build Silo -c Release -nologo) > "$work/build.log" 2>&1 \
      || { tail -n 15 "$work/build.log" >&2; die "dotnet build Silo failed"; }
  fi
  DLL=$REPO/Silo/bin/Release/net10.0/orleans-tracker.dll
  [ -f "$DLL" ] || die "$DLL not found (BUILD=1 builds it)"
  UDPLOAD=$work/udpload
  gcc -O2 -Wall -o "$UDPLOAD" "$REPO/bench/udpload/udpload.c" -lm || die "building udpload failed"
}

# start_tracker WORK UDP_PORT API_PORT SILO_PORT GATEWAY_PORT [EXTRA_TOML]: SQLite in WORK,
# admin API on, HTTP tracker off (the load is UDP). Pinned to TRACKER_CPU when set.
start_tracker() {
  local work=$1 udp=$2 api=$3 silo=$4 gateway=$5 extra=${6:-announce_interval = 120}
  rm -f "$work"/data.db*
  cat > "$work/config.toml" <<EOF
log_level = "warn"
mode = "public"
persistence = true
db_driver = "sqlite3"
db_path = "$work/data.db"
$extra

[[udp_trackers]]
enabled = true
bind_address = "$HOST:$udp"

[[http_trackers]]
enabled = false

# Several trackers may run at once here: the health-check API would want the same port.
[health_check_api]
enabled = false

[http_api]
enabled = true
bind_address = "$HOST:$api"

[http_api.access_tokens]
bench = "$API_TOKEN"

[cluster]
silo_port = $silo
gateway_port = $gateway
EOF
  local pin=()
  [ -n "${TRACKER_CPU:-}" ] && pin=(taskset -c "$TRACKER_CPU")
  ( cd "$work" && DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 exec "${pin[@]}" dotnet "$DLL" --config "$work/config.toml" ) \
    > "$work/tracker.log" 2>&1 &
  TRACKER_PID=$!
  local i
  for i in $(seq 120); do
    kill -0 "$TRACKER_PID" 2>/dev/null || { tail -20 "$work/tracker.log" >&2; die "tracker exited during start"; }
    curl -s -m 1 -o /dev/null "http://$HOST:$api/api/health_check" && return 0
    sleep 0.5
  done
  tail -20 "$work/tracker.log" >&2; die "tracker not ready within 60 s"
}

rss_mb() { awk '/^VmRSS:/{printf "%.0f", $2/1024}' "/proc/$TRACKER_PID/status" 2>/dev/null; }
kv() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }   # kv LINE KEY

# udp_run ARGS...: one udpload run against the tracker; prints its RESULT line
udp_run() {
  local pin=()
  [ -n "${LOADGEN_CPU:-}" ] && pin=(taskset -c "$LOADGEN_CPU")
  "${pin[@]}" "$UDPLOAD" -a $HOST "$@" 2>/dev/null | grep '^RESULT' | tail -1
}

# answered_pct RESULT_LINE: valid answers per 100 requests whose fate is known (answered, error,
# invalid or timed out); those still in flight when the run ended are neither.
answered_pct() {
  awk -v ok="$(kv "$1" ok)" -v e="$(kv "$1" err)" -v i="$(kv "$1" invalid)" -v t="$(kv "$1" timeouts)" \
    'BEGIN{ n = ok + e + i + t; if (n > 0) printf "%.2f", 100*ok/n; else print 0 }'
}

# find_sustainable PROBE_SECONDS LOAD_ARGS...: sets CAPACITY (closed loop, 128 in flight) and
# SUSTAINABLE: the highest of 1.0, 0.85, 0.7 ... 0.25 x CAPACITY that an open-loop run answers
# >= 99 % of (0 if none).
find_sustainable() {
  local secs=$1; shift
  udp_run "$@" -c 128 -d 2 > /dev/null   # JIT warm-up
  local cap; cap=$(udp_run "$@" -c 128 -d "$secs")
  CAPACITY=$(kv "$cap" rps); SUSTAINABLE=0
  info "closed loop (128 in flight): $cap"
  [ "${CAPACITY:-0}" -gt 0 ] || return 1
  local f rate r pct
  for f in 1.00 0.85 0.70 0.55 0.40 0.25; do
    rate=$(awk -v c="$CAPACITY" -v f=$f 'BEGIN{printf "%d", c*f}')
    r=$(udp_run "$@" -R "$rate" -c 65535 -d "$secs")
    pct=$(answered_pct "$r")
    info "open loop at $rate/s ($f of capacity): $pct % answered  ($r)"
    if awk -v p="$pct" 'BEGIN{exit !(p >= 99)}'; then SUSTAINABLE=$rate; return 0; fi
  done
  return 1
}

api_get() { curl -s -m 5 -H "Authorization: Bearer $API_TOKEN" "http://$HOST:$API_PORT$1"; }
