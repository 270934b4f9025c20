#!/bin/bash
# bench/soak.sh — "a soak at the sustainable rate keeps RSS flat (no leak) and loses no completed count."
#
# Starts the tracker (SQLite, peer_timeout PEER_TIMEOUT so peers come and go during the run), fills
# it, then runs udpload open loop at RATE for DURATION seconds: re-announces of a fixed peer table
# plus, every COMPLETED_EVERY-th announce, a new peer's started and then completed (-C), so swarms
# churn and completed counts grow. RSS is read from /proc every SAMPLE seconds.
# Checks (exit 1 on failure):
#  - RSS flat: the median RSS of the last fifth of the run is at most RSS_GROWTH_MAX_PCT % above the
#    median of the fifth that follows the warm-up (the first WARMUP_PCT % of the run, at least
#    3 x peer_timeout, when the churned peers reach their steady number);
#  - no completed count lost: the tracker's total (over GET /api/v1/torrents) lies between the
#    completed announces answered and those sent (a timed-out one may or may not have counted),
#    and after a graceful stop the SQLite file holds the same total.
# Prints the RSS samples (elapsed s, MB) and "RESULT soak ...". Loopback only.
#
# env: DURATION [600] s (30..3600)  RATE [auto: the sustainable rate, as bench/overload.sh finds it]
#      COMPLETED_EVERY [50]  PEER_TIMEOUT [20]  SAMPLE [5] s  WARMUP_PCT [30]  RSS_GROWTH_MAX_PCT [10]
#      TORRENTS [1000] PEERS [20000]  WORK [bench/work/soak]  BUILD [1]
#      TRACKER_CPU [0] LOADGEN_CPU [1]  PORT_BASE [42620] (4 ports)
set -uo pipefail
source "$(dirname "$0")/tracker-lib.sh"

WORK=${WORK:-$REPO/bench/work/soak}
DURATION=${DURATION:-600}; RATE=${RATE:-}; COMPLETED_EVERY=${COMPLETED_EVERY:-50}
PEER_TIMEOUT=${PEER_TIMEOUT:-20}; SAMPLE=${SAMPLE:-5}; WARMUP_PCT=${WARMUP_PCT:-30}
RSS_GROWTH_MAX_PCT=${RSS_GROWTH_MAX_PCT:-10}; TORRENTS=${TORRENTS:-1000}; PEERS=${PEERS:-20000}
PORT_BASE=${PORT_BASE:-42620}
if [ "$(nproc)" -ge 2 ]; then TRACKER_CPU=${TRACKER_CPU-0}; LOADGEN_CPU=${LOADGEN_CPU-1}; else TRACKER_CPU=; LOADGEN_CPU=; fi
UDP_PORT=$PORT_BASE API_PORT=$((PORT_BASE + 1))
API_TOKEN=soak-bench-token
for v in DURATION COMPLETED_EVERY PEER_TIMEOUT SAMPLE WARMUP_PCT RSS_GROWTH_MAX_PCT TORRENTS PEERS PORT_BASE; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number"
done
[ "$DURATION" -ge 30 ] && [ "$DURATION" -le 3600 ] || die "DURATION must be 30..3600"
[ $((DURATION * WARMUP_PCT / 100)) -ge $((3 * PEER_TIMEOUT)) ] || die "the warm-up ($WARMUP_PCT % of $DURATION s) must last 3 x PEER_TIMEOUT"

trap stop_tracker EXIT
trap 'exit 130' INT TERM

build_all "$WORK"
cleanup=$(( PEER_TIMEOUT / 2 > 1 ? PEER_TIMEOUT / 2 : 1 ))
start_tracker "$WORK" "$UDP_PORT" "$API_PORT" $((PORT_BASE + 2)) $((PORT_BASE + 3)) \
  "$(printf 'announce_interval = %d\nannounce_interval_min = %d\npeer_timeout = %d\ncleanup_interval = %d\npersistence_interval = 10' \
      $((PEER_TIMEOUT / 2)) $((PEER_TIMEOUT / 4 > 1 ? PEER_TIMEOUT / 4 : 1)) "$PEER_TIMEOUT" "$cleanup")"
info "tracker pid $TRACKER_PID ready, rss $(rss_mb) MB"

LOAD=(-p "$UDP_PORT" -t "$TORRENTS" -n "$PEERS")
info "fill: $(udp_run "${LOAD[@]}" -F -c 128 -d 60)"
if [ -z "$RATE" ]; then
  find_sustainable 4 "${LOAD[@]}" || die "no sustainable rate found (capacity ${CAPACITY:-0}/s)"
  RATE=$SUSTAINABLE
  info "soaking at the sustainable rate, $RATE/s"
fi
[ "$RATE" -gt 0 ] || die "no rate"

RSS=$WORK/rss.txt; : > "$RSS"
OUT=$WORK/udpload.txt
pin=(); [ -n "$LOADGEN_CPU" ] && pin=(taskset -c "$LOADGEN_CPU")
"${pin[@]}" "$UDPLOAD" -a $HOST "${LOAD[@]}" -R "$RATE" -C "$COMPLETED_EVERY" -c 65535 -T 2000 -d "$DURATION" > "$OUT" 2>&1 &
lg=$!
t0=$SECONDS
while kill -0 $lg 2>/dev/null && [ $((SECONDS - t0)) -le $((DURATION + 40)) ]; do
  sleep "$SAMPLE"
  kill -0 "$TRACKER_PID" 2>/dev/null || die "the tracker died during the soak"
  echo "$((SECONDS - t0)) $(rss_mb)" >> "$RSS"
done
kill $lg 2>/dev/null; wait $lg
r=$(grep '^RESULT' "$OUT" | tail -1)
info "load: $r"
[ -n "$r" ] || die "udpload gave no result: $(tail -3 "$OUT")"
done_ok=$(kv "$r" completed_ok); done_sent=$(kv "$r" completed_sent)

# The tracker's total: the sum over GET /api/v1/torrents, which lists swarms in memory and those
# that left it with a completed count (/api/v1/stats counts only swarms in memory, and these
# expire PEER_TIMEOUT after the load). Counts reach the list by one-way messages: poll (bounded).
api_completed=
for _ in $(seq 20); do
  api_completed=$(python3 - "http://$HOST:$API_PORT" "$API_TOKEN" <<'PY'
import json, sys, urllib.request
base, token, total, offset = sys.argv[1], sys.argv[2], 0, 0
for _ in range(10000):
    request = urllib.request.Request(f"{base}/api/v1/torrents?offset={offset}&limit=100", headers={"Authorization": "Bearer " + token})
    page = json.load(urllib.request.urlopen(request, timeout=10))
    if not page:
        break
    total += sum(t["completed"] for t in page)
    offset += len(page)
print(total)
PY
)
  info "completed over the torrent list: ${api_completed:-no answer}"
  [ -n "$api_completed" ] && [ "$api_completed" -ge "$done_ok" ] && break
  sleep 0.5
done
rss_end=$(rss_mb); hwm=$(awk '/^VmHWM:/{printf "%.0f", $2/1024}' "/proc/$TRACKER_PID/status")
stop_tracker
db_completed=$(python3 - "$WORK/data.db" <<'PY'
import json, sqlite3, sys
total = 0
for (payload,) in sqlite3.connect(sys.argv[1]).execute("SELECT PayloadBinary FROM OrleansStorage WHERE PayloadBinary IS NOT NULL"):
    try:
        state = json.loads(bytes(payload))
    except ValueError:
        continue
    if isinstance(state, dict):
        total += int(state.get("Completed", 0))
print(total)
PY
)

echo "# rss samples (s MB): $(tr '\n' ' ' < "$RSS" | sed 's/ $//' | sed 's/\([0-9]*\) \([0-9]*\)/\1:\2/g')"
read -r base_mb last_mb growth <<<"$(awk -v d="$DURATION" -v w="$WARMUP_PCT" '
  function median(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
                                     return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
  { if ($1 > d) next; if ($1 >= d*w/100 && $1 < d*w/100 + d/5) b[++nb] = $2; if ($1 >= d*4/5) l[++nl] = $2 }
  END { if (!nb || !nl) { print "0 0 999"; exit } mb = median(b, nb); ml = median(l, nl); printf "%.0f %.0f %.1f", mb, ml, 100*(ml-mb)/mb }' "$RSS")"

echo "RESULT soak duration=$DURATION rate=$RATE answered_per_s=$(kv "$r" rps) timeouts=$(kv "$r" timeouts)" \
     "completed_sent=$done_sent completed_ok=$done_ok api_completed=${api_completed:-none} db_completed=${db_completed:-none}" \
     "rss_after_warmup_mb=$base_mb rss_last_fifth_mb=$last_mb rss_growth_pct=$growth rss_end_mb=$rss_end hwm_mb=$hwm"
fail=0
awk -v g="$growth" -v m="$RSS_GROWTH_MAX_PCT" 'BEGIN{exit !(g <= m)}' || { echo "FAIL: RSS grew $growth % after warm-up (limit $RSS_GROWTH_MAX_PCT %)" >&2; fail=1; }
[ "${done_ok:-0}" -gt 0 ] || { echo "FAIL: no completed announce was answered" >&2; fail=1; }
[ -n "$api_completed" ] && [ "$api_completed" -ge "$done_ok" ] && [ "$api_completed" -le "$done_sent" ] \
  || { echo "FAIL: the tracker counts ${api_completed:-nothing} completed; answered $done_ok, sent $done_sent" >&2; fail=1; }
[ -n "$db_completed" ] && [ "$db_completed" -ge "$done_ok" ] && [ "$db_completed" -le "$done_sent" ] \
  || { echo "FAIL: the database holds ${db_completed:-nothing} completed after a graceful stop; answered $done_ok, sent $done_sent" >&2; fail=1; }
[ $fail = 0 ] && echo "soak: PASS" || echo "soak: FAIL"
exit $fail
