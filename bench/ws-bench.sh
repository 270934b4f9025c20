#!/usr/bin/env bash
# bench/ws-bench.sh — the WebTorrent (WebSocket) tracker against npm bittorrent-tracker's own server
# (Tests/WebTorrent/js/npm-server.mjs, the version package-lock.json pins), in one run, on loopback.
#
#   1. announces/s with offers relayed: bench/wsload keeps CONNS WebSocket peers in TORRENTS swarms,
#      each announcing with OFFERS offers in a closed loop (one announce in flight per connection);
#      after WARM seconds of warm-up of each server, ROUNDS interleaved rounds of ROUND seconds
#      (ours, npm, ours, npm, ...); medians and their ratio.
#   2. memory per IDLE_CONNS idle connections: RSS of each server before and while IDLE_CONNS
#      connections have announced once (one torrent per 10) and stay open.
#
# Bounded: every run of wsload has its own deadline and timeout, both servers are stopped at the end
# (the npm server also exits on its own after 30 minutes). Only 127.0.0.1 is ever a target.
# Defaults: about 5 minutes. Prints one "RESULT ws-bench ..." line.
set -uo pipefail
source "$(dirname "$0")/tracker-lib.sh"

WORK=${WORK:-$REPO/bench/work/ws-bench}
WARM=${WARM:-40} ROUND=${ROUND:-10} ROUNDS=${ROUNDS:-5}
CONNS=${CONNS:-200} TORRENTS=${TORRENTS:-20} OFFERS=${OFFERS:-5}
IDLE_CONNS=${IDLE_CONNS:-10000} IDLE_SECONDS=${IDLE_SECONDS:-20}
WS_PORT=${WS_PORT:-18560} API_PORT=${API_PORT:-18561} UDP_PORT=${UDP_PORT:-18562}
SILO_PORT=${SILO_PORT:-18563} GATEWAY_PORT=${GATEWAY_PORT:-18564} NPM_PORT=${NPM_PORT:-18565}
API_TOKEN=ws-bench-token
JS=$REPO/Tests/WebTorrent/js
NPM_PID=

cleanup() {
  stop_tracker
  if [ -n "$NPM_PID" ]; then kill -TERM "$NPM_PID" 2>/dev/null; wait "$NPM_PID" 2>/dev/null; fi
}
trap cleanup EXIT

mkdir -p "$WORK"
if [ "${BUILD:-1}" = 1 ]; then
  (cd "$REPO" && dotnet build Silo -c Release -nologo) > "$WORK/build.log" 2>&1 || { tail -n 15 "$WORK/build.log" >&2; die "dotnet build Silo failed"; }
fi
DLL=$REPO/Silo/bin/Release/net10.0/orleans-tracker.dll
(cd "$REPO/bench/wsload" && dotnet build -c Release -nologo -o "$WORK/wsload") > "$WORK/wsload-build.log" 2>&1 \
  || { tail -n 15 "$WORK/wsload-build.log" >&2; die "building bench/wsload failed"; }
WSLOAD=$WORK/wsload/wsload
[ -d "$JS/node_modules/bittorrent-tracker" ] || (cd "$JS" && timeout 3m npm ci --ignore-scripts --no-audit --no-fund --prefer-offline >/dev/null) \
  || die "npm ci in Tests/WebTorrent/js failed"

# Our tracker: one ws:// listener, the limits opened up for one load generator on one address.
start_tracker "$WORK" "$UDP_PORT" "$API_PORT" "$SILO_PORT" "$GATEWAY_PORT" "announce_interval = 120
[[ws_trackers]]
enabled = true
bind_address = \"$HOST:$WS_PORT\"
[limits]
http_max_connections = 50000
ws_max_connections = 50000
ws_max_connections_per_address = 50000
ws_messages_per_second = 100000"
OURS=ws://$HOST:$WS_PORT/announce

# TRACKER_CPU / LOADGEN_CPU (optional): pin both servers to the same CPU and the generator to another.
SERVER_PIN=() LOADGEN_PIN=()
[ -n "${TRACKER_CPU:-}" ] && SERVER_PIN=(taskset -c "$TRACKER_CPU")
[ -n "${LOADGEN_CPU:-}" ] && LOADGEN_PIN=(taskset -c "$LOADGEN_CPU")
(cd "$JS" && exec "${SERVER_PIN[@]}" node npm-server.mjs "$NPM_PORT" 1800) > "$WORK/npm-server.log" 2>&1 &
NPM_PID=$!
for _ in $(seq 100); do grep -q '^READY' "$WORK/npm-server.log" && break; sleep 0.1; done
grep -q '^READY' "$WORK/npm-server.log" || die "npm server not ready: $(cat "$WORK/npm-server.log")"
NPM=ws://$HOST:$NPM_PORT

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # user + system clock ticks of a process
load() {   # load URL SECONDS SERVER_PID: one closed-loop run; prints its RESULT line plus the server's CPU
  local before after line stat_pid= counts=
  before=$(cpu_ticks "$3")
  # SYSCALLS=1: the server's sends, receives and context switches per announce (perf tracepoints;
  # counts, so they hold under foreign load). The window starts with the generator's connects.
  if [ "${SYSCALLS:-0}" = 1 ]; then
    timeout $(( $2 + 30 )) perf stat -x, -o "$WORK/perf-stat.txt" -p "$3" \
      -e syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg,syscalls:sys_enter_writev,syscalls:sys_enter_recvfrom,syscalls:sys_enter_read,context-switches \
      -- sleep "$2" 2>/dev/null &
    stat_pid=$!
  fi
  line=$(timeout $(( $2 + 120 )) "${LOADGEN_PIN[@]}" "$WSLOAD" load "$1" "$CONNS" "$TORRENTS" "$OFFERS" "$2" 2>>"$WORK/wsload.log" | grep '^RESULT' | tail -1)
  after=$(cpu_ticks "$3")
  if [ -n "$stat_pid" ]; then
    wait "$stat_pid"
    counts=$(awk -F, -v n="$(kv "$line" announces)" '$3 ~ /sys_enter|context/ && n > 0 { name = $3; sub(/.*sys_enter_/, "", name); printf " %s_per_announce=%.2f", name, $1 / n }' "$WORK/perf-stat.txt")
  fi
  # CPU time the server spent per announce (its offers included), in microseconds: less sensitive
  # than announces/s to what else runs on the machine.
  echo "$line server_cpu_s=$(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.2f", t/hz}')" \
    "server_us_per_announce=$(awk -v t=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v n="$(kv "$line" announces)" 'BEGIN{ if (n > 0) printf "%.1f", 1e6*t/hz/n; else print 0 }')$counts"
}
median() { sort -n | awk '{v[NR]=$1} END{ if (NR == 0) print 0; else if (NR % 2) print v[(NR+1)/2]; else printf "%.0f", (v[NR/2]+v[NR/2+1])/2 }'; }
median_f() { sort -g | awk '{v[NR]=$1} END{ if (NR == 0) print 0; else if (NR % 2) print v[(NR+1)/2]; else printf "%.1f", (v[NR/2]+v[NR/2+1])/2 }'; }

info "warm-up: ${WARM} s on ours, ${ROUND} s on npm (JIT)"
load "$OURS" "$WARM" "$TRACKER_PID" > /dev/null
load "$NPM" "$ROUND" "$NPM_PID" > /dev/null
ours_rates=() npm_rates=() ours_offers=() npm_offers=() ours_cpu=() npm_cpu=()
for r in $(seq "$ROUNDS"); do
  a=$(load "$OURS" "$ROUND" "$TRACKER_PID"); b=$(load "$NPM" "$ROUND" "$NPM_PID")
  info "round $r: ours $a"
  info "round $r: npm  $b"
  ours_rates+=("$(kv "$a" announces_per_s)"); ours_offers+=("$(kv "$a" offers_per_s)")
  npm_rates+=("$(kv "$b" announces_per_s)"); npm_offers+=("$(kv "$b" offers_per_s)")
  ours_cpu+=("$(kv "$a" server_us_per_announce)"); npm_cpu+=("$(kv "$b" server_us_per_announce)")
done
ours_med=$(printf '%s\n' "${ours_rates[@]}" | median); npm_med=$(printf '%s\n' "${npm_rates[@]}" | median)
ours_off=$(printf '%s\n' "${ours_offers[@]}" | median); npm_off=$(printf '%s\n' "${npm_offers[@]}" | median)
ours_us=$(printf '%s\n' "${ours_cpu[@]}" | median_f); npm_us=$(printf '%s\n' "${npm_cpu[@]}" | median_f)
ratio=$(awk -v a="$ours_med" -v b="$npm_med" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }')

idle_rss() {   # idle_rss URL PID: RSS growth (MB) while IDLE_CONNS idle connections are open, or "failed"
  local before after out=$WORK/idle.out
  before=$(awk '/^VmRSS:/{print $2}' "/proc/$2/status")
  timeout $(( IDLE_SECONDS + 180 )) "$WSLOAD" idle "$1" "$IDLE_CONNS" $(( IDLE_CONNS / 10 )) "$IDLE_SECONDS" > "$out" 2>>"$WORK/wsload.log" &
  local load_pid=$!
  for _ in $(seq 1800); do grep -q '^IDLE' "$out" && break; kill -0 "$load_pid" 2>/dev/null || break; sleep 0.1; done
  if grep -q '^IDLE' "$out"; then
    sleep 2   # let the server finish the last announces' allocations
    after=$(awk '/^VmRSS:/{print $2}' "/proc/$2/status")
    awk -v a="$after" -v b="$before" 'BEGIN{printf "%.0f", (a-b)/1024}'
  else
    echo failed
  fi
  wait "$load_pid" 2>/dev/null
}
info "memory: $IDLE_CONNS idle connections on each"
ours_mem=$(idle_rss "$OURS" "$TRACKER_PID")
npm_mem=$(idle_rss "$NPM" "$NPM_PID")

echo "RESULT ws-bench conns=$CONNS torrents=$TORRENTS offers=$OFFERS rounds=$ROUNDS round_s=$ROUND" \
  "ours_announces_per_s=$ours_med npm_announces_per_s=$npm_med ratio=$ratio" \
  "ours_offers_per_s=$ours_off npm_offers_per_s=$npm_off" \
  "ours_server_us_per_announce=$ours_us npm_server_us_per_announce=$npm_us" \
  "idle_conns=$IDLE_CONNS ours_rss_growth_mb=$ours_mem npm_rss_growth_mb=$npm_mem"
