#!/bin/bash
# bench/overload.sh — "at twice the sustainable UDP rate the tracker sheds load and recovers within
# seconds after the flood stops; the admin API answers in under a second meanwhile."
#
#  1. Start the tracker (SQLite, admin API on) and fill it: every peer of the run announces once.
#  2. Capacity: a closed-loop run (udpload -c 128) gives the rate the tracker answers flat out.
#  3. Sustainable rate S: open-loop runs (udpload -R) at 1.0, 0.85, 0.7 ... of that capacity; S is
#     the first (highest) with >= 99 % of requests answered.
#  4. Flood: open loop at 2 S for FLOOD_SECONDS, while GET /api/v1/stats is timed every 0.2 s.
#  5. Recovery: 1-second runs at S/2 until one has >= 99 % answered.
# Fails (exit 1) when: the tracker dies; an admin request takes >= API_MAX_MS or fails; the flood's
# answered rate collapses below half of S (shedding must drop the excess, not everything); recovery
# takes longer than RECOVERY_MAX s. Prints "RESULT overload ..." with the numbers. Loopback only.
#
# env: WORK [bench/work/overload]  FLOOD_SECONDS [10]  PROBE_SECONDS [4]  RECOVERY_MAX [5]
#      API_MAX_MS [1000]  TORRENTS [1000]  PEERS [20000]  BUILD [1]
#      TRACKER_CPU [0] LOADGEN_CPU [1] (taskset; empty = unpinned)  PORT_BASE [42610] (5 ports)
set -uo pipefail
source "$(dirname "$0")/tracker-lib.sh"

WORK=${WORK:-$REPO/bench/work/overload}
FLOOD_SECONDS=${FLOOD_SECONDS:-10}; PROBE_SECONDS=${PROBE_SECONDS:-4}; RECOVERY_MAX=${RECOVERY_MAX:-5}
API_MAX_MS=${API_MAX_MS:-1000}; TORRENTS=${TORRENTS:-1000}; PEERS=${PEERS:-20000}
PORT_BASE=${PORT_BASE:-42610}
if [ "$(nproc)" -ge 2 ]; then TRACKER_CPU=${TRACKER_CPU-0}; LOADGEN_CPU=${LOADGEN_CPU-1}; else TRACKER_CPU=; LOADGEN_CPU=; fi
UDP_PORT=$PORT_BASE API_PORT=$((PORT_BASE + 1))
API_TOKEN=overload-bench-token
for v in FLOOD_SECONDS PROBE_SECONDS RECOVERY_MAX API_MAX_MS TORRENTS PEERS PORT_BASE; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number"
done
[ "$FLOOD_SECONDS" -le 120 ] && [ "$PROBE_SECONDS" -le 30 ] || die "FLOOD_SECONDS <= 120, PROBE_SECONDS <= 30"

SAMPLER=
cleanup() { [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null; stop_tracker; }
trap cleanup EXIT
trap 'exit 130' INT TERM

build_all "$WORK"
start_tracker "$WORK" "$UDP_PORT" "$API_PORT" $((PORT_BASE + 2)) $((PORT_BASE + 3))
info "tracker pid $TRACKER_PID ready, rss $(rss_mb) MB"

LOAD=(-p "$UDP_PORT" -t "$TORRENTS" -n "$PEERS")
fill=$(udp_run "${LOAD[@]}" -F -c 128 -d 60)
info "fill: $fill"
find_sustainable "$PROBE_SECONDS" "${LOAD[@]}" || die "no rate down to a quarter of capacity (${CAPACITY:-0}/s) had 99 % answered"
FLOOD_RATE=$((SUSTAINABLE * 2))

# Admin API latency, sampled every 0.2 s through the flood (bounded: stops after the flood + 10 s).
LAT=$WORK/api-latency.txt; : > "$LAT"
( end=$((SECONDS + FLOOD_SECONDS + 10))
  while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $API_TOKEN" \
      "http://$HOST:$API_PORT/api/v1/stats" >> "$LAT" || echo "000 5" >> "$LAT"
    sleep 0.2
  done ) &
SAMPLER=$!
rss_before=$(rss_mb)
flood=$(udp_run "${LOAD[@]}" -R "$FLOOD_RATE" -c 65535 -T 1000 -d "$FLOOD_SECONDS")
kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null; SAMPLER=
rss_flood=$(rss_mb)
info "flood at $FLOOD_RATE/s: $flood"
kill -0 "$TRACKER_PID" 2>/dev/null || die "the tracker died during the flood"

# Recovery: the clock starts when the flood stops.
t0=$(date +%s%N); RECOVERED_MS=
for _ in $(seq $((RECOVERY_MAX + 5))); do
  r=$(udp_run "${LOAD[@]}" -R $((SUSTAINABLE / 2)) -c 65535 -T 500 -d 1)
  if awk -v p="$(answered_pct "$r")" 'BEGIN{exit !(p >= 99)}'; then
    RECOVERED_MS=$(( ($(date +%s%N) - t0) / 1000000 )); break
  fi
  info "not recovered yet: $(answered_pct "$r") % answered"
done

samples=$(wc -l < "$LAT")
bad=$(awk '$1 != "200"' "$LAT" | wc -l)
max_ms=$(awk 'BEGIN{m=0} {v=$2*1000; if (v>m) m=v} END{printf "%.0f", m}' "$LAT")
p99_ms=$(awk '{print $2*1000}' "$LAT" | sort -n | awk '{a[NR]=$1} END{i=int(NR*0.99); if (i<1) i=1; printf "%.0f", a[i]}')
flood_ok=$(kv "$flood" ok)
goodput=$((flood_ok / FLOOD_SECONDS))
shed_pct=$(awk -v p="$(answered_pct "$flood")" 'BEGIN{printf "%.1f", 100-p}')

echo "RESULT overload capacity=$CAPACITY sustainable=$SUSTAINABLE flood_rate=$FLOOD_RATE flood_answered_per_s=$goodput" \
     "flood_shed_pct=$shed_pct recovered_ms=${RECOVERED_MS:-never} api_samples=$samples api_failed=$bad api_p99_ms=$p99_ms" \
     "api_max_ms=$max_ms rss_before_mb=$rss_before rss_after_flood_mb=$rss_flood"
fail=0
[ "$samples" -ge $((FLOOD_SECONDS * 2)) ] || { echo "FAIL: only $samples admin samples" >&2; fail=1; }
[ "$bad" -eq 0 ] || { echo "FAIL: $bad admin requests failed or timed out" >&2; fail=1; }
[ "$max_ms" -lt "$API_MAX_MS" ] || { echo "FAIL: admin API took $max_ms ms (limit $API_MAX_MS)" >&2; fail=1; }
[ "$goodput" -ge $((SUSTAINABLE / 2)) ] || { echo "FAIL: answered $goodput/s during the flood, under half the sustainable $SUSTAINABLE/s" >&2; fail=1; }
[ -n "$RECOVERED_MS" ] && [ "$RECOVERED_MS" -le $((RECOVERY_MAX * 1000)) ] \
  || { echo "FAIL: not recovered within $RECOVERY_MAX s (${RECOVERED_MS:-never})" >&2; fail=1; }
[ $fail = 0 ] && echo "overload: PASS" || echo "overload: FAIL"
exit $fail
