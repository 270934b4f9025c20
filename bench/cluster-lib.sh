# bench/cluster-lib.sh — shared by bench/cluster.sh and bench/cluster-ab.sh (sourced, not run):
# the silo config of a benchmark cluster, readiness, CPU ticks and the silos' own counters.
# Needs HOST, TOKEN, UDPLOAD and START_TIMEOUT set by the script that sources it. Every process
# the script adds to PIDS is killed when it exits, however it exits.

PIDS=()
stop_all() { local p; for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; PIDS=(); }
trap stop_all EXIT
trap 'exit 130' INT TERM

cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12+$13}'; }
kv() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
port_busy() { ss -Hln"${1:0:1}" "sport = :$2" 2>/dev/null | grep -q .; }

prometheus_stat() {   # prometheus_stat API_PORT FIELD: one number of that silo's metrics (0 if absent)
  curl -s -m 5 -H "Authorization: Bearer $TOKEN" "http://$HOST:$1/api/v1/metrics?format=prometheus" \
    | awk -v f="$2" '$1 == f {print $2; found=1} END {if (!found) print 0}'
}

wait_ready() {   # wait_ready PORT PID: a BEP 15 connect is answered (bounded by START_TIMEOUT)
  local end=$((SECONDS + START_TIMEOUT))
  while [ $SECONDS -lt $end ]; do
    kill -0 "$2" 2>/dev/null || return 1
    "$UDPLOAD" -a $HOST -p "$1" -d 1 -t 1 -n 1 -c 1 -s 1 2>/dev/null | grep -q '^RESULT rps=[1-9]' && return 0
    sleep 0.5
  done
  return 1
}

# write_silo_config FILE CLUSTER_ID UDP_PORT API_PORT SILO_PORT GATEWAY_PORT PRIMARY_SILO_PORT [EXTRA]:
# memory storage, UDP only, admin API on; PRIMARY_SILO_PORT empty for the primary itself.
write_silo_config() {
  local primary=""
  [ -n "$7" ] && primary="primary_silo = \"$HOST:$7\""
  cat > "$1" <<EOF
log_level = "warn"
mode = "public"
persistence = false
cleanup_interval = 600
max_numwant = 74

[[udp_trackers]]
bind_address = "$HOST:$3"

[[http_trackers]]
enabled = false

# Several trackers may run at once here: the health-check API would want the same port.
[health_check_api]
enabled = false

[http_api]
enabled = true
bind_address = "$HOST:$4"

[http_api.access_tokens]
bench = "$TOKEN"

[cluster]
cluster_id = "$2"
silo_port = $5
gateway_port = $6
$primary
${8:-}
EOF
}
