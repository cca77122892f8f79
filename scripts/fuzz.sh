#!/usr/bin/env bash
# fuzz.sh [--seconds N] [--build-only] [TARGET ...]
#
# Builds probectl's fuzz targets (tests/fuzz: libFuzzer + AddressSanitizer + UBSan, with clang 19)
# into build-fuzz/, writes the project's seed corpora, and runs each target for N seconds (default
# 30), each on one core, as many at once as PROBECTL_JOBS says (default: every core). The corpus
# grows in build-fuzz/corpus/<target>/; a crash is saved under build-fuzz/crashes/ and fails the run.
# Prints, and writes to build-fuzz/fuzz-summary.txt, each target's CPU seconds, executions, coverage
# and corpus size. Targets: event_decode target_parse escape replay compare values.
# --build-only: build the targets, run nothing. PROBECTL_JOBS: compile jobs too.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=30 build_only=0
targets=()
while (($#)); do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=(event_decode target_parse escape replay compare values)

bash scripts/setup-deps.sh >/dev/null
CC=clang-19 CXX=clang++-19 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROBECTL_FUZZ=ON -DPROBECTL_UNITY=ON >/dev/null
cmake --build build-fuzz -j"${PROBECTL_JOBS:-$(nproc)}" --target probectl_fuzz_targets
((build_only)) && exit 0
build-fuzz/tests/fuzz/probectl_fuzz_seeds build-fuzz/seeds "$PWD"
mkdir -p build-fuzz/crashes
summary=build-fuzz/fuzz-summary.txt
: >"$summary"

# One target for $seconds on one core; leaves its summary line in build-fuzz/fuzz-TARGET.line.
fuzz_one() {
  local target=$1 binary=build-fuzz/tests/fuzz/probectl_fuzz_$1 log=build-fuzz/fuzz-$1.log rc=0
  TIMEFORMAT='%U %S'  # the target's CPU seconds, user and system, from bash's time
  { time "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/crashes/$target-" "build-fuzz/corpus/$target" "build-fuzz/seeds/$target" \
      >"$log" 2>&1 || rc=$?; } 2>"$log.cpu"
  local cpu execs cov corpus
  cpu=$(awk '{printf "%.0f", $1 + $2}' "$log.cpu")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)  # none when it died at start
  corpus=$(find "build-fuzz/corpus/$target" -type f | wc -l)
  printf '%-13s %4ss  %5s cpu-s  %10s execs  cov %5s  corpus %5s  %s\n' "$target" "$seconds" "$cpu" \
    "${execs:-?}" "${cov:-?}" "$corpus" "$([[ $rc == 0 ]] && echo ok || echo "CRASH (exit $rc): see $log")" \
    >"build-fuzz/fuzz-$target.line"
  return "$rc"
}

# Each target is one process on one core: PROBECTL_JOBS of them (default: every core) run at once.
for target in "${targets[@]}"; do
  [[ -x build-fuzz/tests/fuzz/probectl_fuzz_$target ]] || { echo "fuzz: no target '$target'" >&2; exit 2; }
  mkdir -p "build-fuzz/corpus/$target"
  rm -f "build-fuzz/fuzz-$target.line"
done
jobs_at_once=${PROBECTL_JOBS:-$(nproc)}
running=0
for target in "${targets[@]}"; do
  if ((running >= jobs_at_once)); then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
wait || true
status=0
for target in "${targets[@]}"; do
  line=$(cat "build-fuzz/fuzz-$target.line" 2>/dev/null || echo "$target: no result")
  echo "$line" | tee -a "$summary"
  if [[ $line != *" ok" ]]; then
    status=1
    grep -m5 -E 'ERROR|SUMMARY|runtime error|deadly signal' "build-fuzz/fuzz-$target.log" >&2 || true
  fi
done
exit "$status"
