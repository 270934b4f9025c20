#!/bin/bash
# bench/cluster-ab.sh — low-noise comparison of cluster variants: every cluster runs at once, warm,
# and the load alternates between them in short windows, so a drift of this shared machine (other
# tenants, frequency) hits every variant alike instead of whichever ran in a bad minute.
#
#   CLUSTERS="base:1=X base:2=X spin3:1=X%DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=3 spin3:2=…" \
#     bench/cluster-ab.sh
#
# Each entry is NAME:SILOS[@CPU,CPU…]=path/to/orleans-tracker.dll[%VAR=value,VAR=value]: a cluster
# of SILOS tracker processes ("localhost" clustering, persistence off, admin API on), silo i pinned
# to CPU i of the entry's list (default $TRACKER_CPUS, cycled), with those runtime settings.
# "shared:2@0,0" puts both silos on CPU 0: the pair then shares one saturated core, as one silo
# has it, so no silo idles (and spins) waiting for a load generator that shares its core.
# "solo:2!" starts SILOS independent trackers (each a cluster of its own) loaded the same way: what
# running more processes costs when no announce crosses. All clusters start, each is filled (udpload -F
# through its silo 0) and warmed for $WARM s of the measured load shape, then $ROUNDS rounds load
# each cluster in turn for $SECS s (one udpload per silo, the load split over its ports as in
# bench/cluster.sh, all on $LOADGEN_CPU). Per window: responses/s, the cluster's tracker CPU per
# response (/proc/PID/stat of its processes only) and the fraction of announces that crossed
# (the silos' announces_local / announces_remote). At the end, per NAME with a 1-silo and an
# N-silo cluster: the medians, c_L, c_X = (cpu_N - c_L) / f and the CPU ratio, as cluster.sh.
#
# env [defaults]: CLUSTERS (required) ROUNDS [5] SECS [10] WARM [60] TORRENTS [100000]
#   PEERS [200000] NUMWANT [30] INFLIGHT [512] SOCKETS [4] TRACKER_CPUS ["0 1"] LOADGEN_CPU [1]
#   START_TIMEOUT [90] WORK [<repo>/bench/work] PROFILE [0] (1: perf samples of each cluster's silo 0 in
#   the last round, in $WORK/cluster-ab/NAME-SILOS.perf, JIT frames named). Loopback only; every load is bounded in time;
#   every process started here is stopped on exit.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$REPO/bench/work}
CLUSTERS=${CLUSTERS:?set CLUSTERS, e.g. "base:1=X base:2=X"}
ROUNDS=${ROUNDS:-5}; SECS=${SECS:-10}; WARM=${WARM:-60}
TORRENTS=${TORRENTS:-100000}; PEERS=${PEERS:-200000}; NUMWANT=${NUMWANT:-30}; INFLIGHT=${INFLIGHT:-512}; SOCKETS=${SOCKETS:-4}
read -r -a CPUS <<< "${TRACKER_CPUS:-0 1}"; LOADGEN_CPU=${LOADGEN_CPU:-1}; START_TIMEOUT=${START_TIMEOUT:-90}
HOST=127.0.0.1; HZ=$(getconf CLK_TCK); TOKEN=bench-cluster-ab-token
die() { echo "cluster-ab.sh: $*" >&2; exit 1; }
[ "$SECS" -ge 1 ] && [ "$SECS" -le 600 ] || die "SECS must be 1..600"
[ "$WARM" -ge 0 ] && [ "$WARM" -le 600 ] || die "WARM must be 0..600"
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 50 ] || die "ROUNDS must be 1..50"

source "$REPO/bench/cluster-lib.sh"   # stops every process in PIDS on exit

mkdir -p "$WORK/cluster-ab"; cd "$WORK/cluster-ab" || exit 1
UDPLOAD=$WORK/udpload-cluster
gcc -O2 -Wall -o "$UDPLOAD" "$REPO/bench/udpload/udpload.c" -lm || die "building udpload failed"

# Cluster k, silo i: every port offset by 10 k, so the clusters never meet.
udp_port() { echo $((18969 + 10 * $1 + $2)); }
api_port() { echo $((18212 + 10 * $1 + $2)); }
silo_port() { echo $((22111 + 10 * $1 + $2)); }
stat_of() { prometheus_stat "$(api_port "$1" "$2")" "$3"; }   # stat_of CLUSTER SILO FIELD

write_config() {   # write_config CLUSTER SILO FILE [SEPARATE]: SEPARATE=1 makes the silo a cluster of its own
  local k=$1 i=$2 primary="" id="bench-ab-$1"
  [ "$i" -gt 0 ] && primary=$(silo_port "$k" 0)
  [ "${4:-0}" = 1 ] && { primary=""; id="bench-ab-$k-$i"; }
  write_silo_config "$3" "$id" "$(udp_port "$k" "$i")" "$(api_port "$k" "$i")" "$(silo_port "$k" "$i")" $((32000 + 10 * k + i)) "$primary"
}

NAMES=(); SIZES=(); SILO_PIDS=()   # per cluster k; SILO_PIDS[k] is a space-separated list
k=0
for entry in $CLUSTERS; do
  spec=${entry%%=*}; dll=${entry#*=}; env_list=; cpus=("${CPUS[@]}")
  case "$dll" in *%*) env_list=${dll#*%}; dll=${dll%%\%*} ;; esac
  case "$spec" in *@*) IFS=, read -r -a cpus <<< "${spec#*@}"; spec=${spec%@*} ;; esac
  separate=0; case "$spec" in *!) separate=1; spec=${spec%!} ;; esac
  name=${spec%%:*}; n=${spec#*:}
  [ -f "$dll" ] || die "no build at $dll"
  [[ "$n" =~ ^[1-9]$ ]] || die "silos of $spec must be 1..9"
  NAMES[k]=$name; SIZES[k]=$n; pids=""
  for i in $(seq 0 $((n - 1))); do
    for port in "udp $(udp_port $k "$i")" "tcp $(api_port $k "$i")" "tcp $(silo_port $k "$i")"; do
      port_busy $port && die "port ${port#* } (${port% *}) is in use: another tracker or benchmark is running"
    done
    write_config $k "$i" "c$k-$i.toml" $separate
    env ${env_list//,/ } DOTNET_PerfMapEnabled=${PROFILE:-0} DOTNET_EnableWriteXorExecute=$([ "${PROFILE:-0}" = 1 ] && echo 0 || echo 1) taskset -c "${cpus[$((i % ${#cpus[@]}))]}" dotnet "$dll" --config "c$k-$i.toml" > "c$k-$i.log" 2>&1 &
    PIDS+=($!); pids="$pids $!"
    wait_ready "$(udp_port $k "$i")" $! || { tail -20 "c$k-$i.log" >&2; die "silo $i of $spec did not start"; }
  done
  SILO_PIDS[k]=$pids
  echo "# cluster $k: $name, $n silo(s)$([ $separate = 1 ] && echo ", each a cluster of its own,") on CPUs ${cpus[*]}${env_list:+, $env_list}"
  k=$((k + 1))
done
K=$k

load_cluster() {   # load_cluster K SECONDS OUTPREFIX
  local k=$1 secs=$2 n=${SIZES[$1]} i loads=()
  for i in $(seq 0 $((n - 1))); do
    taskset -c "$LOADGEN_CPU" timeout $((secs + 30)) "$UDPLOAD" -a $HOST -p "$(udp_port "$k" "$i")" -d "$secs" \
      -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" -c $((INFLIGHT / n)) -s "$SOCKETS" > "$3-$i.txt" 2>&1 &
    loads+=($!)
  done
  wait "${loads[@]}"
}
cluster_cpu() { local p t=0; for p in ${SILO_PIDS[$1]}; do t=$((t + $(cpu_ticks "$p"))); done; echo $t; }
cluster_stat() { local i t=0; for i in $(seq 0 $((SIZES[$1] - 1))); do t=$((t + $(stat_of "$1" "$i" "$2"))); done; echo $t; }

for k in $(seq 0 $((K - 1))); do
  "$UDPLOAD" -a $HOST -p "$(udp_port "$k" 0)" -F -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" -c "$INFLIGHT" -s "$SOCKETS" -d 120 \
    | grep '^RESULT' | sed "s/^/# fill $k: /"
done
for k in $(seq 0 $((K - 1))); do [ "$WARM" -gt 0 ] && load_cluster "$k" "$WARM" warm; done

RESULTS=$WORK/cluster-ab/results.txt; : > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for k in $(seq 0 $((K - 1))); do
    cpu0=$(cluster_cpu "$k"); l0=$(cluster_stat "$k" announces_local); r0=$(cluster_stat "$k" announces_remote)
    if [ "${PROFILE:-0}" = 1 ] && [ "$round" = "$ROUNDS" ]; then   # CPU samples of silo 0 in the last window
      p0=${SILO_PIDS[k]# }; p0=${p0%% *}
      ( sleep 1; timeout $((SECS + 10)) perf record -F 999 -e cpu-clock -g -p "$p0" -o "$WORK/cluster-ab/${NAMES[k]}-${SIZES[k]}.perf" -- sleep $((SECS - 2)) ) > /dev/null 2>&1 &
      PERF_PID=$!
    fi
    load_cluster "$k" "$SECS" load
    [ -n "${PERF_PID:-}" ] && { wait "$PERF_PID"; PERF_PID=; }
    cpu1=$(cluster_cpu "$k"); l1=$(cluster_stat "$k" announces_local); r1=$(cluster_stat "$k" announces_remote)
    rps=0; ok=0; timeouts=0
    for i in $(seq 0 $((SIZES[k] - 1))); do
      r=$(grep '^RESULT' "load-$i.txt" | tail -1); [ -n "$r" ] || die "a load of cluster $k gave no result"
      rps=$((rps + $(kv "$r" rps))); ok=$((ok + $(kv "$r" ok))); timeouts=$((timeouts + $(kv "$r" timeouts)))
    done
    awk -v r="$round" -v name="${NAMES[k]}" -v n="${SIZES[k]}" -v rps="$rps" -v t=$((cpu1 - cpu0)) -v hz="$HZ" -v ok="$ok" \
      -v to="$timeouts" -v l=$((l1 - l0)) -v x=$((r1 - r0)) 'BEGIN{
        printf "AB round=%d name=%s silos=%d rps=%d cpu_us_per_resp=%.2f remote_fraction=%.3f timeouts=%d\n",
          r, name, n, rps, ok ? t * 1e6 / hz / ok : 0, l + x ? x / (l + x) : 0, to }' | tee -a "$RESULTS"
  done
done

# Medians per (name, silos); c_X per name against its own 1-silo cluster.
awk '
  function kvf(s, k,   a, i, n) { n = split(s, a, " "); for (i = 1; i <= n; i++) if (index(a[i], k "=") == 1) return substr(a[i], length(k) + 2); return "" }
  function median(key,   n, i, j, t, v) { n = cnt[key]; for (i = 1; i <= n; i++) v[i] = val[key, i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
  { key = kvf($0, "name") SUBSEP kvf($0, "silos"); c = ++cnt[key]; val[key, c] = kvf($0, "cpu_us_per_resp") + 0
    f[key] += kvf($0, "remote_fraction"); rps[key] += kvf($0, "rps") }
  END {
    for (key in cnt) { split(key, p, SUBSEP); med[key] = median(key)
      printf "MEDIAN name=%s silos=%d rps=%d cpu_us_per_resp=%.2f remote_fraction=%.3f rounds=%d\n", p[1], p[2], rps[key] / cnt[key], med[key], f[key] / cnt[key], cnt[key] }
    for (key in cnt) { split(key, p, SUBSEP); one = p[1] SUBSEP 1
      if (p[2] > 1 && (one in med) && f[key] > 0) { fr = f[key] / cnt[key]; cx = (med[key] - med[one]) / fr
        printf "COST name=%s silos=%d c_L=%.2f c_X=%.2f c_X/c_L=%.2f cpu_ratio=%.2f\n", p[1], p[2], med[one], cx, cx / med[one], med[key] / med[one] } }
  }' "$RESULTS"
