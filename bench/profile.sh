#!/bin/bash
# bench/profile.sh — dotnet-trace of OrleansTracker under the UDP benchmark load.
#
# Starts the tracker (memory storage) pinned to CPU $TRACKER_CPU, fills it (udpload -F, aquatic
# popularity, $TORRENTS torrents, $PEERS peers), then runs udpload for $DURATION+25 s while, from its 15th second, a
# profiler watches the tracker for $DURATION s:
#   PROFILER=perf (default): CPU samples (perf record -g, 999 Hz; JIT frames named through
#     DOTNET_PerfMapEnabled=1; W^X off, or perf sees only an anonymous double mapping), printed as self and inclusive (children) percentages of CPU.
#   PROFILER=dotnet-trace: dotnet-sampled-thread-time (wall-clock samples of every managed thread,
#     idle waits included), printed with dotnet-trace report topN.
# Loopback only, every step bounded; stops only the tracker it started.
#
# env [defaults]: TORRENTS [100000] PEERS [200000] DURATION [10] TRACKER_CPU [0] LOADGEN_CPU [1]
#   OR_UDP_PORT [44979] TOP [40] PROFILER [perf] DLL [Silo/bin/Release/net10.0/orleans-tracker.dll]
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$REPO/bench/work}; SHARED_DIR=${SHARED_DIR:-$REPO/../shared}
TORRENTS=${TORRENTS:-100000}; PEERS=${PEERS:-200000}; DURATION=${DURATION:-10}; TOP=${TOP:-40}; PROFILER=${PROFILER:-perf}
TRACKER_CPU=${TRACKER_CPU:-0}; LOADGEN_CPU=${LOADGEN_CPU:-1}; OR_UDP_PORT=${OR_UDP_PORT:-44979}
DLL=${DLL:-$REPO/Silo/bin/Release/net10.0/orleans-tracker.dll}
export PATH=$PATH:$HOME/.dotnet/tools
[ "$DURATION" -le 120 ] || { echo "profile.sh: DURATION must be <= 120" >&2; exit 1; }
mkdir -p "$WORK"; UDPLOAD=$WORK/udpload-plain
[ -x "$UDPLOAD" ] || gcc -O2 -Wall -o "$UDPLOAD" "$SHARED_DIR/tools/udpload/udpload.c" -lm || exit 1
dir=$WORK/profile; rm -rf "$dir"; mkdir -p "$dir"
printf 'log_level = "warn"\nmode = "public"\npersistence = false\nannounce_interval = 120\n\n[[udp_trackers]]\nenabled = true\nbind_address = "127.0.0.1:%s"\n\n[[http_trackers]]\nenabled = false\nbind_address = "127.0.0.1:0"\n\n[http_api]\nenabled = false\n\n[health_check_api]\nenabled = false\n' "$OR_UDP_PORT" > "$dir/config.toml"
( cd "$dir" && DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 exec taskset -c "$TRACKER_CPU" dotnet "$DLL" --config "$dir/config.toml" ) > "$dir/tracker.log" 2>&1 &
TPID=$!
trap 'kill -TERM $TPID 2>/dev/null; sleep 2; kill -KILL $TPID 2>/dev/null' EXIT
for _ in $(seq 90); do
  "$UDPLOAD" -a 127.0.0.1 -p "$OR_UDP_PORT" -d 1 -t 1 -n 1 -m 0:1 -c 1 -s 1 2>/dev/null | grep -q 'ok=[1-9]' && break
done
taskset -c "$LOADGEN_CPU" "$UDPLOAD" -a 127.0.0.1 -p "$OR_UDP_PORT" -F -t "$TORRENTS" -n "$PEERS" -d 300 | grep '^RESULT'
taskset -c "$LOADGEN_CPU" "$UDPLOAD" -a 127.0.0.1 -p "$OR_UDP_PORT" -t "$TORRENTS" -n "$PEERS" -w 30 -m 100:1 -d $((DURATION + 25)) > "$dir/load.txt" 2>&1 &
LPID=$!
sleep 15   # tiered JIT settles (at 3 s, 14 % of the samples were still the JIT)
if [ "$PROFILER" = perf ]; then
  timeout $((DURATION + 60)) perf record -q -F 999 -g -p "$TPID" -o "$dir/perf.data" -- sleep "$DURATION" > "$dir/perf.log" 2>&1
  wait "$LPID"; grep '^RESULT' "$dir/load.txt"
  echo "# self % of the tracker's CPU samples, by function"
  perf report -i "$dir/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep -v '^#' | grep . | head -n "$TOP"
  echo "# inclusive % (children), by function"
  perf report -i "$dir/perf.data" --children --sort sym --stdio -g none 2>/dev/null | grep -v '^#' | grep . | head -n "$TOP"
  echo "# by thread"
  perf report -i "$dir/perf.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep -v '^#' | grep . | head -n 15
else
  timeout $((DURATION + 60)) dotnet-trace collect -p "$TPID" --profile dotnet-sampled-thread-time --duration "00:00:00:$(printf %02d "$DURATION")" -o "$dir/trace.nettrace" > "$dir/trace.log" 2>&1
  wait "$LPID"; grep '^RESULT' "$dir/load.txt"
  echo "# exclusive (self) samples"
  dotnet-trace report "$dir/trace.nettrace" topN -n "$TOP" 2>&1
  echo "# inclusive samples"
  dotnet-trace report "$dir/trace.nettrace" topN -n "$TOP" --inclusive 2>&1
fi
