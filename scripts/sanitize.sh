#!/usr/bin/env bash
# Builds probectl and its tests with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/
# and runs the unit and kernel tests there (not the VM matrix, which runs the normal build). Any
# sanitizer report aborts the process that made it, so the test around it fails. Run as root.
# Compiled by clang 19 (installed for the fuzzers too): instrumented, it compiles this code in two
# thirds of GCC's time (compare/report.cpp, -O0 -g1: 9.9 s against 14.8 s), and GCC's warnings are
# the main build's to enforce. A unity build (PROBECTL_UNITY: 16 files a unit): from nothing, on
# this project's 2-core machine, 3 min 34 s (355 CPU-s) against 8 min 26 s (911 CPU-s) one file a
# unit (docs/ci-time.md).
# --build-only: build, run nothing; --run-only: run what the last build left (scripts/test.sh builds
# and runs in separate, timed stages). PROBECTL_JOBS: parallel compile jobs (default: every core).
set -euo pipefail
cd "$(dirname "$0")/.."
build=1 run=1
[[ ${1:-} == --build-only ]] && { run=0; shift; }
[[ ${1:-} == --run-only ]] && { build=0; shift; }
if ((build)); then
  bash scripts/setup-deps.sh
  cmake -S . -B build-asan -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPROBECTL_SANITIZE=ON -DPROBECTL_UNITY=ON
  cmake --build build-asan -j"${PROBECTL_JOBS:-$(nproc)}"
fi
((run)) || exit 0
# abort_on_error: a report is a failure with a core-less abort; leaks are reported at exit.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-asan --output-on-failure --no-tests=error -L 'unit|kernel' -E '^format' "$@"
