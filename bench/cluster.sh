#!/bin/bash
# bench/cluster.sh — what a second silo costs: one silo against N silos of one cluster, each silo
# on its own core, the UDP load split over the silos' ports as DNS round-robin would split it.
#
# For each build in $BUILDS and each N in $SILOS_LIST (repeated $ROUNDS times, interleaved):
# start N tracker processes ("localhost" clustering, the first is the primary, persistence off,
# admin API on), silo i pinned to CPU i of $TRACKER_CPUS; fill (udpload -F through silo 0: every
# peer announces once), warm the JIT with $JIT_WARMUP s of the measured load shape (untimed: with
# 30 s a profile still showed 20 % of a 2-silo run's CPU in the JIT, see docs/benchmarks.md), then run N udpload processes at once for $DURATION
# s, one per silo, each with $INFLIGHT/N requests in flight, all on $LOADGEN_CPU.
#
# Tracker CPU is the sum over the N processes (/proc/PID/stat). The silos' admin stats give the
# announces each frontend called on its own silo (announces_local) and sent to another
# (announces_remote), so the remote fraction f is measured, not assumed. With c_L the CPU per
# response of one silo in the same round: CPU per response of N silos = c_L + f * c_X, which
# gives c_X, the extra CPU of an announce that crosses silos.
#
# Output, per run:
#   RESULT build=B silos=N rps=… cpu_us_per_resp=… remote_fraction=… ok=… timeouts=… err=… invalid=…
#   COST build=B silos=N c_L=… c_X=… c_X/c_L=… cpu_ratio=…   (N > 1: against the same round's N=1)
#
# env [defaults]: BUILDS ["new=<repo build>"] (name=path/to/orleans-tracker.dll, space-separated;
#   a path ending in "+direct" runs that build with batch_remote_announces = false, so
#   BUILDS="batched=X direct=X+direct" compares batching with one call per announce in one run;
#   a suffix %VAR=value,VAR=value sets runtime settings for that entry's silos only, e.g.
#   BUILDS="base=X spin10=X%DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=10")
#   SILOS_LIST ["1 2"] ROUNDS [1] DURATION [15] JIT_WARMUP [120] TORRENTS [100000] PEERS [200000]
#   NUMWANT [30] INFLIGHT [64] SOCKETS [4] TRACKER_CPUS ["0 1"] LOADGEN_CPU [1] BUILD [1]
#   START_TIMEOUT [90] WORK [<repo>/bench/work]. Loopback only; every load is bounded in time;
#   every process started here is stopped on exit.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$REPO/bench/work}
BUILDS=${BUILDS:-new=$REPO/Silo/bin/Release/net10.0/orleans-tracker.dll}
SILOS_LIST=${SILOS_LIST:-1 2}; ROUNDS=${ROUNDS:-1}; DURATION=${DURATION:-15}; JIT_WARMUP=${JIT_WARMUP:-120}
TORRENTS=${TORRENTS:-100000}; PEERS=${PEERS:-200000}; NUMWANT=${NUMWANT:-30}; INFLIGHT=${INFLIGHT:-64}; SOCKETS=${SOCKETS:-4}
read -r -a CPUS <<< "${TRACKER_CPUS:-0 1}"; LOADGEN_CPU=${LOADGEN_CPU:-1}; START_TIMEOUT=${START_TIMEOUT:-90}
HOST=127.0.0.1; HZ=$(getconf CLK_TCK); TOKEN=bench-cluster-token
die() { echo "cluster.sh: $*" >&2; exit 1; }
[ "$DURATION" -ge 1 ] && [ "$DURATION" -le 600 ] || die "DURATION must be 1..600"
[ "$JIT_WARMUP" -ge 0 ] && [ "$JIT_WARMUP" -le 600 ] || die "JIT_WARMUP must be 0..600"

source "$REPO/bench/cluster-lib.sh"   # stops every process in PIDS on exit

mkdir -p "$WORK"
UDPLOAD=$WORK/udpload-cluster
gcc -O2 -Wall -o "$UDPLOAD" "$REPO/bench/udpload/udpload.c" -lm || die "building udpload failed"
[ "${BUILD:-1}" = 1 ] && { dotnet build "$REPO/Silo" -c Release -v q -nologo > "$WORK/cluster-build.log" 2>&1 || die "build failed (see $WORK/cluster-build.log)"; }

udp_port() { echo $((18969 + $1)); }
api_port() { echo $((18212 + $1)); }
stat_of() { prometheus_stat "$(api_port "$1")" "$2"; }   # stat_of SILO FIELD: that silo's own counters

write_config() {   # write_config INDEX N FILE [DIRECT]
  local i=$1 primary="" direct=""
  [ "$i" -gt 0 ] && primary=22111
  [ "${4:-0}" = 1 ] && direct="batch_remote_announces = false"
  write_silo_config "$3" "bench-$2" "$(udp_port "$i")" "$(api_port "$i")" $((22111 + i)) $((32000 + i)) "$primary" "$direct"
}

load_all() {   # load_all N SECONDS OUTPREFIX: N udpload processes at once, one per silo
  local n=$1 secs=$2 prefix=$3 i loads=()
  for i in $(seq 0 $((n - 1))); do
    taskset -c "$LOADGEN_CPU" timeout $((secs + 30)) "$UDPLOAD" -a $HOST -p "$(udp_port "$i")" -d "$secs" \
      -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" -c $((INFLIGHT / n)) -s "$SOCKETS" > "$prefix-$i.txt" 2>&1 &
    loads+=($!)
  done
  wait "${loads[@]}"
}

run_cluster() {   # run_cluster BUILD_NAME DLL N: prints RESULT; sets LAST_CPU_US
  local name=$1 dll=$2 n=$3 i silos=() local_before=0 remote_before=0 local_after=0 remote_after=0
  for i in $(seq 0 $((n - 1))); do
    for port in "udp $(udp_port "$i")" "tcp $(api_port "$i")" "tcp $((22111 + i))" "tcp $((32000 + i))"; do
      port_busy $port && die "port ${port#* } (${port% *}) is in use: another tracker or benchmark is running"
    done
    local cfg=$WORK/cluster-$name-$n-$i.toml; write_config "$i" "$n" "$cfg" "$DIRECT"
    env ${SILO_ENV//,/ } DOTNET_PerfMapEnabled=${PROFILE:-0} DOTNET_EnableWriteXorExecute=$([ "${PROFILE:-0}" = 1 ] && echo 0 || echo 1) \
      taskset -c "${CPUS[$((i % ${#CPUS[@]}))]}" dotnet "$dll" --config "$cfg" > "$WORK/cluster-$name-$n-$i.log" 2>&1 &
    PIDS+=($!); silos+=($!)
    wait_ready "$(udp_port "$i")" $! || { tail -20 "$WORK/cluster-$name-$n-$i.log" >&2; die "silo $i of $n ($name) did not start"; }
  done
  "$UDPLOAD" -a $HOST -p "$(udp_port 0)" -F -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" -c "$INFLIGHT" -s "$SOCKETS" -d 120 \
    | grep '^RESULT' | sed "s/^/# fill $name $n: /"
  [ "$JIT_WARMUP" -gt 0 ] && load_all "$n" "$JIT_WARMUP" "$WORK/cluster-warm"

  local before=0 after=0
  for i in $(seq 0 $((n - 1))); do
    before=$((before + $(cpu_ticks "${silos[$i]}")))
    local_before=$((local_before + $(stat_of "$i" announces_local))); remote_before=$((remote_before + $(stat_of "$i" announces_remote)))
  done
  local b0=0 a0=0 b1=0 a1=0
  for i in $(seq 0 $((n - 1))); do b0=$((b0 + $(stat_of "$i" remote_batches))); a0=$((a0 + $(stat_of "$i" announces_batched))); done
  if [ "${PROFILE:-0}" = 1 ]; then   # CPU samples of silo 0 during the measured load (perf, JIT frames named)
    ( sleep 2; timeout $((DURATION + 10)) perf record -F 999 -e cpu-clock -g -p "${silos[0]}" -o "$WORK/cluster-$name-$n.perf" -- sleep $((DURATION - 4)) ) > /dev/null 2>&1 &
    PERF_PID=$!
  fi
  load_all "$n" "$DURATION" "$WORK/cluster-load"
  [ -n "${PERF_PID:-}" ] && wait "$PERF_PID"
  for i in $(seq 0 $((n - 1))); do b1=$((b1 + $(stat_of "$i" remote_batches))); a1=$((a1 + $(stat_of "$i" announces_batched))); done
  echo "# batches=$((b1 - b0)) batched=$((a1 - a0)) avg=$(awk -v b=$((b1 - b0)) -v a=$((a1 - a0)) 'BEGIN{printf "%.1f", b ? a/b : 0}')"
  for i in $(seq 0 $((n - 1))); do
    after=$((after + $(cpu_ticks "${silos[$i]}")))
    local_after=$((local_after + $(stat_of "$i" announces_local))); remote_after=$((remote_after + $(stat_of "$i" announces_remote)))
  done
  stop_all

  local rps=0 ok=0 timeouts=0 err=0 invalid=0 r
  for i in $(seq 0 $((n - 1))); do
    r=$(grep '^RESULT' "$WORK/cluster-load-$i.txt" | tail -1); [ -n "$r" ] || die "a load run of $n silos ($name) gave no result"
    rps=$((rps + $(kv "$r" rps))); ok=$((ok + $(kv "$r" ok))); timeouts=$((timeouts + $(kv "$r" timeouts)))
    err=$((err + $(kv "$r" err))); invalid=$((invalid + $(kv "$r" invalid)))
  done
  LAST_CPU_US=$(awk -v t=$((after - before)) -v hz="$HZ" -v ok="$ok" 'BEGIN{printf "%.2f", ok ? t * 1e6 / hz / ok : 0}')
  # A build without the counters (before they existed): assume the share a uniform spread gives.
  LAST_FRACTION=$(awk -v l=$((local_after - local_before)) -v r=$((remote_after - remote_before)) -v n="$n" \
    'BEGIN{printf "%.3f", l + r ? r / (l + r) : (n - 1) / n}')
  echo "RESULT build=$name silos=$n rps=$rps cpu_us_per_resp=$LAST_CPU_US remote_fraction=$LAST_FRACTION ok=$ok timeouts=$timeouts err=$err invalid=$invalid"
}

for round in $(seq 1 "$ROUNDS"); do
  for build in $BUILDS; do
    name=${build%%=*}; dll=${build#*=}; DIRECT=0; SILO_ENV=
    case "$dll" in *%*) SILO_ENV=${dll#*%}; dll=${dll%%\%*} ;; esac
    case "$dll" in *+direct) dll=${dll%+direct}; DIRECT=1 ;; esac
    [ -f "$dll" ] || die "no build at $dll"
    c_l=""
    for n in $SILOS_LIST; do
      echo "# round $round: $name, $n silo(s)"
      run_cluster "$name" "$dll" "$n"
      if [ "$n" = 1 ]; then c_l=$LAST_CPU_US
      elif [ -n "$c_l" ]; then
        awk -v b="$name" -v n="$n" -v cl="$c_l" -v cn="$LAST_CPU_US" -v f="$LAST_FRACTION" 'BEGIN{
          cx = f > 0 ? (cn - cl) / f : 0
          printf "COST build=%s silos=%d c_L=%.2f c_X=%.2f c_X/c_L=%.2f cpu_ratio=%.2f remote_fraction=%.3f\n", b, n, cl, cx, cx / cl, cn / cl, f }'
      fi
    done
  done
done
