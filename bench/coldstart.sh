#!/bin/bash
# bench/coldstart.sh — what a start costs: CPU per UDP response over the first COLD seconds of load
# after a start, against the same load once the process is warm (issue: single-silo efficiency,
# goal 3: cold ≤ 1.2 × warm).
#
# For each variant in $VARIANTS, in turn: start the tracker (memory storage, UDP only, pinned to
# TRACKER_CPU), and as soon as its UDP port answers a BEP 15 connect run udpload (pinned to
# LOADGEN_CPU) for COLD seconds: the cold window (the swarms fill during it, as after a restart at
# peak traffic, when every client re-announces). Then WARM_UP seconds of the same load, unmeasured,
# then two warm windows of WARM seconds: "warm", the same torrents again (their swarms exist), and
# "fresh", the same load shape on another set of TORRENTS torrents (udpload -o), whose swarms fill
# during the window exactly as in the cold one. cold/fresh is therefore what the start itself costs
# (JIT, tiering, pools), with the same work on both sides; cold/warm adds the swarms' first fill.
# Tracker CPU comes from /proc/PID/stat, deltas over each window only (the start itself is not
# counted). Loopback only; every run is bounded.
#
# Output, one line per variant:
#   COLD variant=V cold_rps=… cold_us=… warm_us=… fresh_us=… cold_over_fresh=… cold_over_warm=… start_s=… timeouts=…
#
# env (defaults in brackets):
#   VARIANTS ["jit r2r"] each NAME[:VAR=VALUE,VAR=VALUE…]; NAME is
#       jit  dotnet Silo/bin/Release/net10.0/orleans-tracker.dll (the `dotnet run` build)
#       r2r  $R2R_DIR/orleans-tracker (dotnet publish Silo -c Release -r linux-x64
#            -p:PublishReadyToRun=true -p:PublishSingleFile=false -o $R2R_DIR)
#     the VAR=VALUE pairs are set in the tracker's environment (e.g. jit:DOTNET_TieredPGO=0).
#   ROUNDS [1] times the whole list is run (interleaved: a b a b …)
#   COLD [30] WARM_UP [60] WARM [30] seconds   TORRENTS [100000] PEERS [200000] NUMWANT [30]
#   INFLIGHT [128] MIX [100:1]   TRACKER_CPU [0] LOADGEN_CPU [1]   R2R_DIR [bench/work/r2r]
#   BUILD [1] (0: use the existing Release build)   PORT [16969]
set -uo pipefail
source "$(dirname "$0")/tracker-lib.sh"

VARIANTS=${VARIANTS:-jit r2r}; ROUNDS=${ROUNDS:-1}
COLD=${COLD:-30}; WARM_UP=${WARM_UP:-60}; WARM=${WARM:-30}
TORRENTS=${TORRENTS:-100000}; PEERS=${PEERS:-200000}; NUMWANT=${NUMWANT:-30}
INFLIGHT=${INFLIGHT:-128}; MIX=${MIX:-100:1}
TRACKER_CPU=${TRACKER_CPU:-0}; LOADGEN_CPU=${LOADGEN_CPU:-1}
WORK=${WORK:-$REPO/bench/work/coldstart}; R2R_DIR=${R2R_DIR:-$REPO/bench/work/r2r}
PORT=${PORT:-16969}
HZ=$(getconf CLK_TCK)
for v in COLD WARM_UP WARM TORRENTS PEERS NUMWANT INFLIGHT ROUNDS PORT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a number (got '${!v}')"
done
[ "$COLD" -ge 1 ] && [ "$COLD" -le 300 ] && [ "$WARM" -ge 1 ] && [ "$WARM" -le 300 ] && [ "$WARM_UP" -le 600 ] \
  || die "COLD and WARM must be 1..300 s, WARM_UP at most 600 s"

trap stop_tracker EXIT
build_all "$WORK"
if [[ " $VARIANTS " == *" r2r"* ]] && [ ! -x "$R2R_DIR/orleans-tracker" ]; then
  info "publishing the ReadyToRun build to $R2R_DIR"
  (cd "$REPO" && dotnet publish Silo -c Release -r linux-x64 -p:PublishReadyToRun=true -p:PublishSingleFile=false \
     -o "$R2R_DIR" -nologo) > "$WORK/publish.log" 2>&1 || { tail -n 15 "$WORK/publish.log" >&2; die "R2R publish failed"; }
fi

cpu_ticks() { awk '{print $14 + $15}' "/proc/$TRACKER_PID/stat" 2>/dev/null; }

# connect_answers: one BEP 15 connect to the tracker's UDP port answered within 0.2 s
connect_answers() {
  python3 - "$PORT" <<'EOF'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
s.sendto(struct.pack(">QII", 0x41727101980, 0, 7), ("127.0.0.1", int(sys.argv[1])))
try:
    data = s.recv(64); sys.exit(0 if len(data) >= 16 and data[:8] == struct.pack(">II", 0, 7) else 1)
except OSError:
    sys.exit(1)
EOF
}

start_variant() {   # start_variant SPEC: starts the tracker, waits (bounded) until UDP answers
  local spec=$1 name=${1%%:*} envs=() cmd
  [[ "$spec" == *:* ]] && IFS=',' read -r -a envs <<< "${spec#*:}"
  case $name in
    jit) cmd=(dotnet "$DLL") ;;
    r2r) cmd=("$R2R_DIR/orleans-tracker") ;;
    *) die "unknown variant '$name' (jit, r2r)" ;;
  esac
  mkdir -p "$WORK/run"
  cat > "$WORK/run/config.toml" <<EOF
log_level = "warn"
persistence = false

[[udp_trackers]]
bind_address = "$HOST:$PORT"

[[http_trackers]]
enabled = false

[http_api]
enabled = false

[health_check_api]
enabled = false

[cluster]
silo_port = 21111
gateway_port = 40000
EOF
  local started; started=$(date +%s.%N)
  ( cd "$WORK/run" && exec env DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 "${envs[@]}" \
      taskset -c "$TRACKER_CPU" "${cmd[@]}" --config "$WORK/run/config.toml" ) > "$WORK/run/tracker.log" 2>&1 &
  TRACKER_PID=$!
  local i
  for i in $(seq 600); do
    kill -0 "$TRACKER_PID" 2>/dev/null || { tail -20 "$WORK/run/tracker.log" >&2; die "$spec exited during start"; }
    if connect_answers; then
      START_S=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'); return 0
    fi
    sleep 0.1
  done
  die "$spec: UDP not answering within ~2 min"
}

window() {   # window SECONDS [OFFSET]: one measured udpload run; sets RPS, US (CPU µs per response), TIMEOUTS
  local before after line ok
  before=$(cpu_ticks)
  line=$(udp_run -p "$PORT" -d "$1" -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" -c "$INFLIGHT" -m "$MIX" -o "${2:-0}")
  after=$(cpu_ticks)
  ok=$(kv "$line" ok); RPS=$(kv "$line" rps); TIMEOUTS=$(kv "$line" timeouts)
  US=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="${ok:-0}" 'BEGIN{ if (n > 0) printf "%.2f", t / hz * 1e6 / n; else print "-" }')
}

for round in $(seq "$ROUNDS"); do
  for spec in $VARIANTS; do
    start_variant "$spec"
    window "$COLD"; cold_rps=$RPS; cold_us=$US; cold_to=$TIMEOUTS
    [ "$WARM_UP" -gt 0 ] && udp_run -p "$PORT" -d "$WARM_UP" -t "$TORRENTS" -n "$PEERS" -w "$NUMWANT" -c "$INFLIGHT" -m "$MIX" > /dev/null
    window "$WARM"; warm_us=$US; warm_to=$TIMEOUTS
    window "$WARM" "$TORRENTS"; fresh_us=$US
    over() { awk -v c="$1" -v w="$2" 'BEGIN{ if (w > 0) printf "%.2f", c / w; else print "-" }'; }
    echo "COLD round=$round variant=$spec cold_rps=$cold_rps cold_us=$cold_us warm_us=$warm_us fresh_us=$fresh_us" \
      "cold_over_fresh=$(over "$cold_us" "$fresh_us") cold_over_warm=$(over "$cold_us" "$warm_us") start_s=$START_S timeouts=$cold_to/$warm_to/$TIMEOUTS"
    stop_tracker
  done
done
