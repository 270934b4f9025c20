#!/bin/bash
# bench/scrape-flood.sh — announce latency while a flood of scrapes of random (unknown) info hashes
# runs, for two builds side by side: the base (BASE_DLL) and this one.
#
# Both trackers run at once (SQLite, UDP and admin API on loopback, pinned to TRACKER_CPU), are
# filled with TORRENTS torrents / PEERS peers and left idle for FILTER_WAIT s (a sweep partition
# reads which torrents are stored 60 s after it starts; before that every activation reads the
# database, in either build). Then, ROUNDS times and for each build in turn, two phases of SECS s:
#   quiet: two announce loads, open loop: STEADY_RATE/s re-announces of the filled peers (swarms in
#          memory) and NEW_RATE/s first announces of new torrents (each one activates a swarm);
#   flood: the same, while a third udpload scrapes random hashes open loop at FLOOD_RATE scrapes/s
#          (1..74 hashes each, 37.5 on average, out of 50M: practically all unknown to the tracker).
# The rates are fixed, so both builds get the same flood whatever they can answer. Prints one
# "FLOOD …" line per build, phase and load with its p50/p99 latency, and the flood's answers.
# Every load is bounded in time; stops only the two trackers it started.
#
# env: BASE_DLL (required)  NEW_DLL [this repo's build]  BUILD [0]  ROUNDS [3]  SECS [10]
#      STEADY_RATE [1000]  NEW_RATE [200]  FLOOD_RATE [120]  FILTER_WAIT [70]
#      TORRENTS [1000] PEERS [2000]  TRACKER_CPU [0] LOADGEN_CPU [1]  PORT_BASE [42640] (8 ports)
set -uo pipefail
source "$(dirname "$0")/tracker-lib.sh"

BASE_DLL=${BASE_DLL:?set BASE_DLL to the base build\'s orleans-tracker.dll}
WORK=${WORK:-$REPO/bench/work/scrape-flood}
BUILD=${BUILD:-0}; ROUNDS=${ROUNDS:-3}; SECS=${SECS:-10}
STEADY_RATE=${STEADY_RATE:-1000}; NEW_RATE=${NEW_RATE:-200}; FLOOD_RATE=${FLOOD_RATE:-120}; FILTER_WAIT=${FILTER_WAIT:-70}
TORRENTS=${TORRENTS:-1000}; PEERS=${PEERS:-2000}; PORT_BASE=${PORT_BASE:-42640}
TRACKER_CPU=${TRACKER_CPU-0}; LOADGEN_CPU=${LOADGEN_CPU-1}
API_TOKEN=scrape-flood-bench-token
for v in ROUNDS SECS STEADY_RATE NEW_RATE FLOOD_RATE FILTER_WAIT TORRENTS PEERS PORT_BASE; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number"
done
[ "$SECS" -ge 1 ] && [ "$SECS" -le 120 ] && [ "$ROUNDS" -le 20 ] || die "SECS must be 1..120 and ROUNDS at most 20"

PIDS=()
stop_all() { for p in "${PIDS[@]}"; do TRACKER_PID=$p; stop_tracker; done; }
trap stop_all EXIT
trap 'exit 130' INT TERM

build_all "$WORK"
NEW_DLL=${NEW_DLL:-$DLL}
declare -A PID UDP
i=0
for which in base new; do
  [ "$which" = base ] && DLL=$BASE_DLL || DLL=$NEW_DLL
  mkdir -p "$WORK/$which"
  UDP[$which]=$((PORT_BASE + 4 * i))
  start_tracker "$WORK/$which" "${UDP[$which]}" $((PORT_BASE + 4 * i + 1)) $((PORT_BASE + 4 * i + 2)) $((PORT_BASE + 4 * i + 3))
  PID[$which]=$TRACKER_PID; PIDS+=("$TRACKER_PID"); TRACKER_PID=
  info "$which: pid ${PID[$which]}, $DLL"
  info "$which fill: $(udp_run -p "${UDP[$which]}" -t "$TORRENTS" -n "$PEERS" -F -c 128 -d 60)"
  i=$((i + 1))
done
info "idle ${FILTER_WAIT} s: the partitions read which torrents are stored"
sleep "$FILTER_WAIT"

HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pin=(); [ -n "$LOADGEN_CPU" ] && pin=(taskset -c "$LOADGEN_CPU")
bg_load() {  # bg_load OUT ARGS...: one bounded udpload in the background
  local out=$1; shift
  timeout -k 5 $((SECS + 30)) "${pin[@]}" "$UDPLOAD" -a $HOST "$@" > "$out" 2>&1 &
}
line() { grep '^RESULT' "$1" | tail -1; }
for r in $(seq 1 "$ROUNDS"); do
  for which in base new; do
    for phase in quiet flood; do
      port=${UDP[$which]}; pid=${PID[$which]}; seed=$((r * 1000 + ${#phase} * 10 + ${#which}))
      jobs=()
      if [ "$phase" = flood ]; then
        bg_load "$WORK/flood.txt" -p "$port" -t 50000000 -n 1000 -D uniform -m 0:1 -k 74 -R "$FLOOD_RATE" -c 65535 -T 2000 -d $((SECS + 2)) -r "$seed"
        jobs+=($!)
        sleep 1
      fi
      t0=$(ticks "$pid")
      bg_load "$WORK/steady.txt" -p "$port" -t "$TORRENTS" -n "$PEERS" -R "$STEADY_RATE" -c 65535 -T 2000 -d "$SECS"; jobs+=($!)
      # 40M torrents, 2M peers, a new seed each run: practically every announce is a new torrent's first.
      bg_load "$WORK/new.txt" -p "$port" -t 40000000 -n 2000000 -D uniform -R "$NEW_RATE" -c 65535 -T 2000 -d "$SECS" -r "$seed"; jobs+=($!)
      wait "${jobs[@]}"
      t1=$(ticks "$pid")
      cpu=$(( (t1 - t0) * 100 / ((SECS + 2) * HZ) ))
      for load in steady new; do
        l=$(line "$WORK/$load.txt")
        echo "FLOOD round=$r build=$which phase=$phase load=$load ok=$(kv "$l" ok) timeouts=$(kv "$l" timeouts) p50_us=$(kv "$l" p50_us) p99_us=$(kv "$l" p99_us) tracker_cpu_pct=$cpu"
      done
      if [ "$phase" = flood ]; then
        l=$(line "$WORK/flood.txt")
        echo "FLOOD round=$r build=$which phase=flood load=scrapes sent=$(kv "$l" sent) ok=$(kv "$l" ok) timeouts=$(kv "$l" timeouts) p50_us=$(kv "$l" p50_us) p99_us=$(kv "$l" p99_us)"
      fi
    done
  done
done
