#!/bin/bash
# bench/curve.sh — memory and throughput of OrleansTracker against the number of torrents.
#
# For each "TORRENTS:PEERS" in $SIZES: start the tracker (memory storage) pinned to CPU
# $TRACKER_CPU, fill it (udpload -F -D even: every peer announces exactly once, PEERS/TORRENTS
# peers on every torrent), let it settle, sample RSS from /proc, then run a bounded UDP load
# (the same peers re-announcing, 100:1 announce:scrape, numwant 30) and report responses/s,
# tracker CPU per response and bytes allocated per response (GC allocation rate / responses/s). Loopback only; every load and wait is bounded; only processes this
# script started are stopped.
#
# Output, one line per size:
#   CURVE torrents=T peers=P fill_s=… rss_mb=… hwm_mb=… gc_heap_mb=… rps=… cpu_us_per_resp=… other_cpu_pct=…
#
# env [defaults]: SIZES ["1000:10000 10000:100000 100000:1000000 1000000:2000000"]
#   DURATION [10] s of UDP load per size (0: memory only)   SETTLE [10] s between fill and the RSS sample
#   TRACKER_CPU [0] LOADGEN_CPU [1]   OR_UDP_PORT [44969]   FILL_MAX [600] s bound per fill
#   TRACKER_ENV [""] extra environment for the tracker, e.g. "DOTNET_GCConserveMemory=5"
#   DLL [Silo/bin/Release/net10.0/orleans-tracker.dll]   GCDUMP [0] 1: also write a gcdump after the fill
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$REPO/bench/work}
SIZES=${SIZES:-1000:10000 10000:100000 100000:1000000 1000000:2000000}
DURATION=${DURATION:-10}; SETTLE=${SETTLE:-10}; FILL_MAX=${FILL_MAX:-600}
TRACKER_CPU=${TRACKER_CPU:-0}; LOADGEN_CPU=${LOADGEN_CPU:-1}; OR_UDP_PORT=${OR_UDP_PORT:-44969}
TRACKER_ENV=${TRACKER_ENV:-}; GCDUMP=${GCDUMP:-0}
DLL=${DLL:-$REPO/Silo/bin/Release/net10.0/orleans-tracker.dll}
HOST=127.0.0.1; HZ=$(getconf CLK_TCK)
export PATH=$PATH:$HOME/.dotnet/tools   # dotnet-counters / dotnet-gcdump (dotnet tool install -g)
[ -f "$DLL" ] || { echo "curve.sh: $DLL not found (dotnet build OrleansTracker.sln -c Release)" >&2; exit 1; }
[ "$DURATION" -le 600 ] && [ "$FILL_MAX" -le 600 ] || { echo "curve.sh: DURATION and FILL_MAX must be <= 600" >&2; exit 1; }

mkdir -p "$WORK"
UDPLOAD=$WORK/udpload-plain
[ -x "$UDPLOAD" ] || gcc -O2 -Wall -o "$UDPLOAD" "$REPO/bench/udpload/udpload.c" -lm || exit 1

TPID=
cleanup() { [ -n "$TPID" ] && kill -0 "$TPID" 2>/dev/null && { kill -TERM "$TPID"; sleep 3; kill -KILL "$TPID" 2>/dev/null; }; }
trap cleanup EXIT
trap 'exit 130' INT TERM

status_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status" 2>/dev/null; }
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12+$13}'; }
busy_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
kv() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }

echo "# bench/curve.sh $(date -u +%FT%TZ) commit $(git -C "$REPO" rev-parse --short HEAD) nproc=$(nproc) tracker_env='$TRACKER_ENV' duration=${DURATION}s"
for size in $SIZES; do
  T=${size%%:*} P=${size##*:}
  dir=$WORK/curve-$T; rm -rf "$dir"; mkdir -p "$dir"
  cat > "$dir/config.toml" <<CFG
log_level = "warn"
mode = "public"
persistence = false
announce_interval = 120

[[udp_trackers]]
enabled = true
bind_address = "$HOST:$OR_UDP_PORT"

# UDP only: without this the default HTTP tracker would take port 7070
[[http_trackers]]
enabled = false
bind_address = "$HOST:0"

# Several trackers may run at once here: the health-check API would want the same port.
[health_check_api]
enabled = false

[http_api]
enabled = false

# The 1M-torrent point is above the default swarm cap (500,000 per silo); the curve measures the
# cost of holding every torrent, not the eviction.
[limits]
max_swarms_per_silo = 2000000
CFG
  ss -Hlnu "sport = :$OR_UDP_PORT" | grep -q . && { echo "curve.sh: udp port $OR_UDP_PORT in use" >&2; exit 1; }
  ( cd "$dir" && exec env DOTNET_CLI_TELEMETRY_OPTOUT=1 $TRACKER_ENV taskset -c "$TRACKER_CPU" dotnet "$DLL" --config "$dir/config.toml" ) > "$dir/tracker.log" 2>&1 &
  TPID=$!
  # ready: a fill of one peer on a throwaway torrent count answers (bounded 90 s)
  ok=
  for _ in $(seq 90); do
    kill -0 "$TPID" 2>/dev/null || break
    r=$("$UDPLOAD" -a $HOST -p "$OR_UDP_PORT" -d 1 -t 1 -n 1 -m 0:1 -c 1 -s 1 2>/dev/null | grep '^RESULT')
    [ "$(kv "$r" ok)" -gt 0 ] 2>/dev/null && { ok=1; break; }
  done
  [ -n "$ok" ] || { echo "curve.sh: tracker not ready for $size"; tail -5 "$dir/tracker.log"; cleanup; TPID=; continue; }
  base_rss=$(( $(status_kb $TPID VmRSS) / 1024 ))
  t0=$(date +%s.%N)
  fill=$(taskset -c "$LOADGEN_CPU" "$UDPLOAD" -a $HOST -p "$OR_UDP_PORT" -F -D even -t "$T" -n "$P" -c 128 -s 4 -d "$FILL_MAX" 2>&1 | grep '^RESULT')
  fill_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  sleep "$SETTLE"
  rss=$(( $(status_kb $TPID VmRSS) / 1024 ))
  gc=$(dotnet-counters collect -p "$TPID" --counters System.Runtime --format csv -o "$dir/counters.csv" --duration 00:00:00:03 >/dev/null 2>&1 \
       && awk -F, '/last_collection\.heap\.size \(By\)/{ if ($1 != ts) { ts = $1; v = 0 } v += $NF } END{ if (ts != "") printf "%.0f", v/1048576 }' "$dir/counters.csv")
  [ "$GCDUMP" = 1 ] && dotnet-gcdump collect -p "$TPID" -o "$dir/after-fill.gcdump" >/dev/null 2>&1
  rps=- cpu=- foreign=- alloc=-
  if [ "$DURATION" -gt 0 ]; then
    c0=$(cpu_ticks $TPID) b0=$(busy_ticks)
    # Allocation rate during the load (a rate counter, averaged over the middle of the run).
    cpid=
    if [ "$DURATION" -ge 5 ]; then
      ( sleep 1; timeout $((DURATION + 20)) dotnet-counters collect -p "$TPID" --counters 'System.Runtime[dotnet.gc.heap.total_allocated]' \
          --format csv -o "$dir/alloc.csv" --duration "00:00:00:$(printf %02d $((DURATION - 3)))" >/dev/null 2>&1 ) &
      cpid=$!
    fi
    load=$(timeout $((DURATION + 40)) taskset -c "$LOADGEN_CPU" "$UDPLOAD" -a $HOST -p "$OR_UDP_PORT" -D even -t "$T" -n "$P" -w 30 -m 100:1 -c 128 -s 4 -d "$DURATION" 2>&1 | grep '^RESULT')
    [ -n "$cpid" ] && wait "$cpid"   # only the counters: a bare `wait` would wait for the tracker too
    c1=$(cpu_ticks $TPID) b1=$(busy_ticks)
    rps=$(kv "$load" rps); okn=$(kv "$load" ok)
    cpu=$(awk -v t=$((c1 - c0)) -v n="$okn" -v hz="$HZ" 'BEGIN{ if (n > 0) printf "%.2f", t / hz * 1e6 / n; else print "-" }')
    # CPU the rest of the machine used (udpload included, up to ~100), in % of one core
    alloc=$(awk -F, -v rps="$rps" '/total_allocated/{ s += $NF; n++ } END{ if (n > 0 && rps > 0) printf "%.0f", s / n / rps; else print "-" }' "$dir/alloc.csv" 2>/dev/null)
    foreign=$(awk -v all=$((b1 - b0)) -v trk=$((c1 - c0)) -v d="$DURATION" -v hz="$HZ" 'BEGIN{ printf "%.0f", (all - trk) / hz / d * 100 }')
  fi
  echo "CURVE torrents=$T peers=$P fill_s=$fill_s fill_ok=$(kv "$fill" ok) start_rss_mb=$base_rss rss_mb=$rss hwm_mb=$(( $(status_kb $TPID VmHWM) / 1024 )) gc_heap_mb=${gc:--} rps=$rps cpu_us_per_resp=$cpu alloc_b_per_resp=${alloc:--} timeouts=$(kv "${load:-}" timeouts) other_cpu_pct=$foreign"
  kill -TERM "$TPID"; for _ in $(seq 100); do kill -0 "$TPID" 2>/dev/null || break; sleep 0.1; done; kill -KILL "$TPID" 2>/dev/null; wait "$TPID" 2>/dev/null; TPID=
done
