#!/usr/bin/env bash
# Sets up, builds and runs all of probectl's tests: unit (no root), the format check, the HTML
# report in Chromium, the kernel tests on this machine's kernel (root, its BPF), the VM kernel
# matrix; the unit and kernel tests again under ASan + UBSan (scripts/sanitize.sh); each fuzz target
# for 30 s (scripts/fuzz.sh). A kernel test is skipped only when this kernel lacks the hook; the
# reasons are printed at the end, and so is the stage table (scripts/stage-table.sh).
#
# Time, on 2 cores: after the build, two lanes run side by side. The VM matrix emulates one kernel
# at a time on one core; the other core runs everything that uses this machine's own kernel, one
# thing at a time (the kernel tests count programs and links machine-wide): the unit and host
# kernel tests, then the sanitizer build and run, then the fuzzing build and run. Those builds use
# every core at the lowest priority: the VM keeps its core while it runs, and the build takes both
# once the matrix is done. The VM kernels download while probectl builds.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stages.sh
mkdir -p build
: >"$PROBECTL_STAGES"
matrix_kernels="bullseye bookworm bookworm-backports sid"

stage "setup: Debian packages" bash scripts/setup-deps.sh
downloads_log=build/vm-downloads.log
(
  for kernel in $matrix_kernels; do
    stage "download: kernel $kernel" bash scripts/vm/fetch-kernel.sh "$kernel" || true  # the VM lane tries again
  done
) >"$downloads_log" 2>&1 &
downloads=$!
stage "build: probectl (build/)" bash scripts/build.sh

# The VM lane: its output goes to a log, printed whole when the lane ends.
matrix_log=build/vm-matrix.log
(
  if ! wait "$downloads"; then
    echo "test.sh: a kernel download failed:"
    cat "$downloads_log"
  fi
  stage "matrix: VM kernels" bash scripts/vm/matrix.sh --no-host --kernels "$matrix_kernels"
) >"$matrix_log" 2>&1 &
vm_lane=$!

status=0
echo
echo "== unit tests, format, the HTML report in Chromium (build/)"
stage "tests: unit, format, HTML report" ctest --test-dir build --output-on-failure -LE '^(vm|kernel)$' "$@" ||
  status=$?
echo
echo "== kernel tests on this machine's kernel $(uname -r) (the matrix's host column)"
stage "tests: kernel, host" bash scripts/vm/matrix.sh --kernels "" || status=$?
skipped=$(grep -h '^SKIPPED: ' build/vm-matrix/host/hooks/*.out | sed 's/^SKIPPED: /  /' | sort -u || echo "  none")

echo
echo "== the unit and kernel tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
stage "asan: build (build-asan/)" nice -n 19 bash scripts/sanitize.sh --build-only || status=$?
stage "asan: unit and kernel tests" bash scripts/sanitize.sh --run-only || status=$?
echo
echo "== each fuzz target for 30 s (build-fuzz/)"
stage "fuzz: build (build-fuzz/)" nice -n 19 bash scripts/fuzz.sh --build-only || status=$?
stage "fuzz: 30 s each" nice -n 19 bash scripts/fuzz.sh --seconds 30 || status=$?  # beside a VM: it yields

echo
echo "== waiting for the VM matrix (log: $matrix_log)"
wait "$vm_lane" || true
cat "$matrix_log"
echo
echo "== the kernel matrix: host and VM kernels (build/probectl-matrix.md)"
stage "matrix: report" bash scripts/vm/matrix.sh --report-only --kernels "$matrix_kernels" || status=$?

echo
echo "Kernel tests skipped because this kernel lacks the hook:"
echo "$skipped"
echo
echo "Where the time went (bash scripts/stage-table.sh prints it again):"
bash scripts/stage-table.sh || true
exit "$status"
