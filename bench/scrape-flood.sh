#!/bin/bash
# bench/scrape-flood.sh — announce latency while a flood of scrapes of random (unknown) info hashes
# runs, for two builds side by side: the base (BASE_DLL) and this one.
#
# Both trackers run at once (SQLite, UDP and admin API on loopback, pinned to TRACKER_CPU), are
# filled with TORRENTS torrents / PEERS peers and left idle for FILTER_WAIT s (a sweep partition
# reads which torrents are stored 60 s after it starts; before that every activation reads the
# database, in either build). Then, ROUNDS times and for each build in turn:
#   quiet: udpload announces open loop at ANNOUNCE_RATE/s for SECS s;
#   flood: the same announces while a second udpload scrapes random hashes (-t 50M, uniform,
#          up to 74 per scrape, FLOOD_INFLIGHT in flight: closed loop, as fast as they are answered).
# Prints "FLOOD build=… phase=quiet|flood announce_ok=… p50_us=… p99_us=… timeouts=…
# scrapes_per_s=… tracker_cpu_pct=… others_cpu_pct=…" per run. Every load is bounded in time; stops
# only the two trackers it started.
#
# env: BASE_DLL (required)  NEW_DLL [this repo's build]  BUILD [0]  ROUNDS [3]  SECS [10]
#      ANNOUNCE_RATE [2000]  FLOOD_INFLIGHT [64]  FILTER_WAIT [70]  TORRENTS [1000] PEERS [2000]
#      TRACKER_CPU [0] LOADGEN_CPU [1]  PORT_BASE [42640] (8 ports)
set -uo pipefail
source "$(dirname "$0")/tracker-lib.sh"

BASE_DLL=${BASE_DLL:?set BASE_DLL to the base build\'s orleans-tracker.dll}
WORK=${WORK:-$REPO/bench/work/scrape-flood}
BUILD=${BUILD:-0}; ROUNDS=${ROUNDS:-3}; SECS=${SECS:-10}; ANNOUNCE_RATE=${ANNOUNCE_RATE:-2000}
FLOOD_INFLIGHT=${FLOOD_INFLIGHT:-64}; FILTER_WAIT=${FILTER_WAIT:-70}
TORRENTS=${TORRENTS:-1000}; PEERS=${PEERS:-2000}; PORT_BASE=${PORT_BASE:-42640}
TRACKER_CPU=${TRACKER_CPU-0}; LOADGEN_CPU=${LOADGEN_CPU-1}
API_TOKEN=scrape-flood-bench-token
for v in ROUNDS SECS ANNOUNCE_RATE FLOOD_INFLIGHT FILTER_WAIT TORRENTS PEERS PORT_BASE; do
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
busy()  { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
pin=(); [ -n "$LOADGEN_CPU" ] && pin=(taskset -c "$LOADGEN_CPU")
for r in $(seq 1 "$ROUNDS"); do
  for which in base new; do
    for phase in quiet flood; do
      port=${UDP[$which]}; pid=${PID[$which]}
      flood=
      if [ "$phase" = flood ]; then
        # 50M possible hashes, uniform: practically every scraped hash is new to the tracker.
        timeout -k 5 $((SECS + 30)) "${pin[@]}" "$UDPLOAD" -a $HOST -p "$port" -t 50000000 -n 1000 -D uniform -m 0:1 -k 74 \
          -c "$FLOOD_INFLIGHT" -d $((SECS + 2)) -r $((r * 7919)) > "$WORK/flood.txt" 2>&1 &
        flood=$!
        sleep 1
      fi
      t0=$(ticks "$pid"); all0=$(busy)
      out=$(udp_run -p "$port" -t "$TORRENTS" -n "$PEERS" -R "$ANNOUNCE_RATE" -c 65535 -T 2000 -d "$SECS")
      t1=$(ticks "$pid"); all1=$(busy)
      scrapes=0
      if [ -n "$flood" ]; then
        wait "$flood"
        scrapes=$(kv "$(grep '^RESULT' "$WORK/flood.txt" | tail -1)" rps)
      fi
      echo "FLOOD round=$r build=$which phase=$phase announce_ok=$(kv "$out" ok) p50_us=$(kv "$out" p50_us) p99_us=$(kv "$out" p99_us)" \
           "timeouts=$(kv "$out" timeouts) scrapes_per_s=${scrapes:-0} tracker_cpu_pct=$(( (t1 - t0) * 100 / (SECS * HZ) ))" \
           "others_cpu_pct=$(( ((all1 - all0) - (t1 - t0)) * 100 / (SECS * HZ) ))"
    done
  done
done
