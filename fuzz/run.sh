#!/usr/bin/env bash
# The dedicated fuzzing job (docs/fuzzing.md): AFL++ drives each SharpFuzz target until it has run
# EXECS inputs or SECONDS have passed, whichever comes first. Prints execs, time and crashes per
# target; exits 1 on any crash or hang, 3 when a target stopped on time before EXECS.
# Usage: fuzz/run.sh [udp http bencode]   env: EXECS (1000000), SECONDS_PER_TARGET (3600), OUT
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(udp http bencode)
execs=${EXECS:-1000000}
seconds=${SECONDS_PER_TARGET:-3600}
out=${OUT:-$root/fuzz/out}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 PATH="$PATH:$HOME/.dotnet/tools"

# Tools: Debian's afl++, and the sharpfuzz instrumenter (a dotnet tool, pinned like the package).
if ! command -v afl-fuzz >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
command -v sharpfuzz >/dev/null || dotnet tool install -g SharpFuzz.CommandLine --version 2.3.0 >/dev/null

# Publish, then instrument only the code under test: the codecs and the value types they build.
bin=$out/bin
rm -rf "$bin"
dotnet publish fuzz/Fuzz.csproj -c Release -o "$bin" -v q --nologo >/dev/null
for dll in OrleansTracker.Frontends.dll OrleansTracker.Grains.Interfaces.dll; do
  sharpfuzz "$bin/$dll" >/dev/null
done

# A shared machine: no CPU pinning, no core-pattern or cpufreq demands, no curses screen.
export AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_SKIP_BIN_CHECK=1 \
  AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_FORKSRV_INIT_TMOUT=60000

status=0
printf '%-8s %10s %8s %8s %8s %6s\n' target execs seconds exec/s crashes hangs
for t in "${targets[@]}"; do
  dir=$out/$t
  rm -rf "$dir"
  # -t 2000: one input taking 2 s is a hang (a codec call takes microseconds); -m none: .NET
  # reserves far more virtual memory than it uses. timeout: a last bound if afl-fuzz itself stalls.
  timeout $((seconds + 300)) nice -n 19 afl-fuzz -i "fuzz/corpus/$t" -o "$dir" -t 2000 -m none \
    -V "$seconds" -E "$execs" -- dotnet "$bin/OrleansTracker.Fuzz.dll" "$t" >"$dir.log" 2>&1 || true
  stats=$dir/default/fuzzer_stats
  if [ ! -f "$stats" ]; then
    echo "$t: afl-fuzz did not start; see $dir.log" >&2
    tail -20 "$dir.log" >&2
    status=1
    continue
  fi
  get() { sed -nE "s/^$1 +: ([0-9.]+).*/\1/p" "$stats"; }
  done_=$(get execs_done); time_=$(get run_time); crashes=$(get saved_crashes); hangs=$(get saved_hangs)
  printf '%-8s %10s %8s %8s %8s %6s\n' "$t" "$done_" "$time_" "$((done_ / (time_ > 0 ? time_ : 1)))" "$crashes" "$hangs"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    status=1
    # Replay each crash outside AFL to show the exception and its stack.
    for f in "$dir"/default/crashes/id:* "$dir"/default/hangs/id:*; do
      [ -f "$f" ] || continue
      echo "--- $f"
      timeout 30 dotnet "$bin/OrleansTracker.Fuzz.dll" "$t" "$f" 2>&1 | head -15 || true
    done
  elif [ "$done_" -lt "$execs" ] && [ "$status" = 0 ]; then
    echo "$t: stopped on time after $done_ of $execs executions" >&2
    status=3
  fi
done
exit $status
