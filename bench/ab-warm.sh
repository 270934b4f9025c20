#!/bin/bash
# bench/ab-warm.sh — low-noise A/B of two OrleansTracker builds, both warm.
#
#   BASE_DLL=/path/to/base/orleans-tracker.dll bench/ab-warm.sh [NEW_DLL]
#
# Starts both builds at once on CPU $TRACKER_CPU (UDP ports $PORT_A and $PORT_B, memory storage),
# fills each (udpload -F), loads each for $WARM s untimed (tiered JIT done), then runs $ROUNDS
# rounds of $SECS s of the 100:1 announce:scrape load against one and then the other from CPU
# $LOADGEN_CPU. Prints one line per run: responses/s, tracker CPU µs per response (/proc/PID/stat)
# and the CPU everything else used (udpload included). An idle tracker costs ~1 % of a core, so
# the two do not disturb each other; a fresh process's first ~30 s of load pay for JIT compilation,
# which is what this avoids (docs/benchmarks.md, "Batched UDP system calls"). Loopback only, every
# load bounded in time; stops only the processes it started.
#
# PROTO=http measures HTTP instead: each tracker also serves HTTP on its UDP port + 100, the
# warm-up and the rounds are wrk runs (announce.lua, $HTTP_CONNS connections, $HTTP_SCRAPE % scrapes)
# over the hashes udpload filled, and "responses" are wrk's completed requests. HOST_HEADER sets
# the Host header wrk sends (e.g. "::1:47068", libtorrent's form for [::1]: the base build may
# answer those 400, so use it only to compare a build with itself).
#
# env [defaults]: TORRENTS [100000] PEERS [200000] NUMWANT [30] ROUNDS [8] SECS [10] WARM [20]
#   PORT_A [46969] PORT_B [46968] TRACKER_CPU [0] LOADGEN_CPU [1] SHARED_DIR [<repo>/../shared]
#   PROTO [udp] HTTP_CONNS [64] HTTP_SCRAPE [1] HOST_HEADER []
#   BASE_ENV [] NEW_ENV [] (space-separated NAME=value runtime settings for one side only, e.g.
#   NEW_ENV="DOTNET_gcConcurrent=0" compares a GC setting on one build with itself)
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$REPO/bench/work}; SHARED_DIR=${SHARED_DIR:-$REPO/../shared}
BASE_DLL=${BASE_DLL:?set BASE_DLL to the base build\'s orleans-tracker.dll}
NEW_DLL=${1:-$REPO/Silo/bin/Release/net10.0/orleans-tracker.dll}
TORRENTS=${TORRENTS:-100000}; PEERS=${PEERS:-200000}; NUMWANT=${NUMWANT:-30}
ROUNDS=${ROUNDS:-8}; SECS=${SECS:-10}; WARM=${WARM:-20}
PORT_A=${PORT_A:-46969}; PORT_B=${PORT_B:-46968}; TRACKER_CPU=${TRACKER_CPU:-0}; LOADGEN_CPU=${LOADGEN_CPU:-1}
PROTO=${PROTO:-udp}; HTTP_CONNS=${HTTP_CONNS:-64}; HTTP_SCRAPE=${HTTP_SCRAPE:-1}; HOST_HEADER=${HOST_HEADER:-}
BASE_ENV=${BASE_ENV:-}; NEW_ENV=${NEW_ENV:-}
LUA=$SHARED_DIR/tools/httpload/announce.lua
HZ=$(getconf CLK_TCK)
mkdir -p "$WORK/ab-warm"; cd "$WORK/ab-warm" || exit 1
UDPLOAD=$WORK/udpload
[ -x "$UDPLOAD" ] || gcc -O2 -o "$UDPLOAD" "$SHARED_DIR/tools/udpload/udpload.c" -lm || exit 1
HASHES=$WORK/ab-warm/hashes.txt
"$UDPLOAD" -H "$HASHES" -t "$TORRENTS" > /dev/null || exit 1

config() {  # config PORT
  printf 'log_level = "warn"\nmode = "public"\npersistence = false\n\n[[udp_trackers]]\nenabled = true\nbind_address = "127.0.0.1:%s"\n\n[[http_trackers]]\nenabled = %s\nbind_address = "127.0.0.1:%s"\n\n[http_api]\nenabled = false\n\n[health_check_api]\nenabled = false\n' "$1" "$([ "$PROTO" = http ] && echo true || echo false)" "$(($1 + 100))" > "config-$1.toml"
}
config "$PORT_A"; config "$PORT_B"
env $BASE_ENV taskset -c "$TRACKER_CPU" dotnet "$BASE_DLL" --config "config-$PORT_A.toml" > base.log 2>&1 & PID_A=$!
env $NEW_ENV taskset -c "$TRACKER_CPU" dotnet "$NEW_DLL" --config "config-$PORT_B.toml" > new.log 2>&1 & PID_B=$!
trap 'kill "$PID_A" "$PID_B" 2>/dev/null; wait "$PID_A" "$PID_B" 2>/dev/null' EXIT

load() {  # load PORT SECONDS [extra udpload options]: prints udpload's RESULT line
  local port=$1 secs=$2; shift 2
  timeout -k 5 $((secs + 30)) taskset -c "$LOADGEN_CPU" "$UDPLOAD" -a 127.0.0.1 -p "$port" -d "$secs" -t "$TORRENTS" \
    -n "$PEERS" -w "$NUMWANT" -c 128 -s 4 "$@" 2>&1 | grep '^RESULT'
}
for port in "$PORT_A" "$PORT_B"; do   # ready: a 1 s load gets answers (bounded)
  for _ in $(seq 1 60); do load "$port" 1 -m 0:1 | grep -q 'ok=[1-9]' && break; sleep 1; done
done
# http_load PORT SECONDS: wrk's RESULT line, with ok= (its completed requests) added for the rounds.
http_load() {
  local port=$1 secs=$2 header=()
  [ -n "$HOST_HEADER" ] && header=(-H "Host: $HOST_HEADER")
  timeout -k 5 $((secs + 30)) taskset -c "$LOADGEN_CPU" wrk -t1 -c"$HTTP_CONNS" -d"${secs}s" "${header[@]}" -s "$LUA" "http://127.0.0.1:$((port + 100))" \
    -- hashes="$HASHES" peers="$PEERS" numwant="$NUMWANT" scrape="$HTTP_SCRAPE" 2>&1 | grep '^RESULT' | sed 's/requests=\([0-9]*\)/requests=\1 ok=\1/'
}
measure() { if [ "$PROTO" = http ]; then http_load "$1" "$2"; else load "$1" "$2" -m 100:1; fi; }
for port in "$PORT_A" "$PORT_B"; do echo "# fill $port: $(load "$port" 120 -F)"; echo "# warm $port: $(measure "$port" "$WARM")"; done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
busy()  { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
for r in $(seq 1 "$ROUNDS"); do
  for which in base new; do
    if [ "$which" = base ]; then pid=$PID_A; port=$PORT_A; else pid=$PID_B; port=$PORT_B; fi
    a0=$(ticks "$PID_A"); b0=$(ticks "$PID_B"); all0=$(busy)
    out=$(measure "$port" "$SECS")
    a1=$(ticks "$PID_A"); b1=$(ticks "$PID_B"); all1=$(busy)
    ok=$(echo "$out" | grep -o ' ok=[0-9]*' | cut -d= -f2); rps=$(echo "$out" | grep -o 'rps=[0-9]*' | cut -d= -f2)
    if [ "$which" = base ]; then t=$((a1 - a0)); else t=$((b1 - b0)); fi
    others=$(( (all1 - all0) - (a1 - a0) - (b1 - b0) ))
    echo "AB proto=$PROTO round=$r build=$which rps=${rps:-0} cpu_us_per_resp=$(awk -v t="$t" -v hz="$HZ" -v ok="${ok:-0}" 'BEGIN{printf "%.2f", ok ? t * 1e6 / hz / ok : 0}')" \
         "tracker_cpu_pct=$((t * 100 / (SECS * HZ))) others_cpu_pct=$((others * 100 / (SECS * HZ)))"
  done
done
