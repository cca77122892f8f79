#!/usr/bin/env bash
# Sets up, builds and runs all of probectl's tests: unit (no root), the format check, the HTML
# report in Chromium, the kernel tests on this machine's kernel (root, its BPF), the .deb installed
# and run in a fresh Debian 12 root (scripts/package-test.sh), the VM kernel
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
stage "build: probectl (build/)" bash scripts/build.sh

# The VM lane: the kernels are a queue, each taken by the first free worker; this lane's worker
# starts now, and the host lane becomes a second one when its own work is done (on a second run,
# with everything compiled already, that is early). The downloads need no waiting for: a fetch of a
# kernel being downloaded waits for it (fetch-kernel.sh's lock). Each VM's output goes to a log,
# printed when the matrix is done.
queue=build/vm-queue
rm -rf "$queue" build/vm-logs && mkdir -p "$queue/taken" build/vm-logs
n=0
for kernel in $matrix_kernels; do
  n=$((n + 1))
  echo "$kernel" >"$queue/$n"
done
vm_worker() {
  local ticket kernel
  for ticket in "$queue"/[0-9]*; do
    mv "$ticket" "$queue/taken/" 2>/dev/null || continue  # the other worker took it
    kernel=$(cat "$queue/taken/$(basename "$ticket")")
    bash scripts/vm/matrix.sh --no-host --no-report --kernels "$kernel" >"build/vm-logs/$kernel.log" 2>&1 ||
      true  # the report at the end judges (matrix.sh times each VM in the stage table)
  done
}
# Background jobs end with this script, however it ends.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
vm_lane=""
if (($(nproc) >= 2)); then  # on one core the VMs wait for the host's tests, which they would slow
  vm_worker &
  vm_lane=$!
fi

status=0
echo
echo "== unit tests, format, the HTML report in Chromium (build/)"
stage "tests: unit, format, HTML report" ctest --test-dir build --output-on-failure --no-tests=error \
  -LE '^(vm|kernel)$' "$@" ||
  status=$?
echo
echo "== kernel tests on this machine's kernel $(uname -r) (the matrix's host column)"
bash scripts/vm/matrix.sh --kernels "" --no-report || status=$?
echo
echo "== the .deb, installed on a fresh Debian 12 root (scripts/package-test.sh)"
stage "package: the .deb on a fresh Debian 12" bash scripts/package-test.sh || status=$?
skipped=$(grep -h '^SKIPPED: ' build/vm-matrix/host/hooks/*.out | sed 's/^SKIPPED: /  /' | sort -u || echo "  none")

echo
echo "== the unit and kernel tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
if stage "asan: build (build-asan/)" nice -n 19 bash scripts/sanitize.sh --build-only; then
  stage "asan: unit and kernel tests" bash scripts/sanitize.sh --run-only || status=$?
else
  status=1
fi
echo
echo "== each fuzz target for 30 s (build-fuzz/)"
# One target at a time, each with a core of its own while a VM has the other, as before this lane
# shared the machine.
if stage "fuzz: build (build-fuzz/)" nice -n 19 bash scripts/fuzz.sh --build-only; then
  PROBECTL_JOBS=1 stage "fuzz: 30 s each" bash scripts/fuzz.sh --seconds 30 || status=$?
else
  status=1
fi

echo
echo "== the VM kernels left, two at a time (logs: build/vm-logs/)"
vm_worker
[[ -z $vm_lane ]] || wait "$vm_lane"
for kernel in $matrix_kernels; do
  sed 's/^/  /' "build/vm-logs/$kernel.log" 2>/dev/null || true
done
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
