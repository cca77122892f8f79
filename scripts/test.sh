#!/usr/bin/env bash
# Sets up, builds and runs all of probectl's tests: unit (no root), kernel (root, this kernel's BPF),
# the format check, the VM matrix; then the unit and kernel tests again under ASan + UBSan
# (scripts/sanitize.sh) and each fuzz target for 30 s (scripts/fuzz.sh). A kernel test is skipped
# only when this kernel lacks the hook; the reasons are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
status=0
ctest --test-dir build --output-on-failure "$@" || status=$?
echo
echo "Kernel tests skipped because this kernel lacks the hook:"
grep -h '^SKIPPED: ' build/Testing/Temporary/LastTest.log | sed 's/^SKIPPED: /  /' || echo "  none"

echo
echo "== the unit and kernel tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
bash scripts/sanitize.sh || status=$?
echo
echo "== each fuzz target for 30 s (build-fuzz/)"
bash scripts/fuzz.sh --seconds 30 || status=$?
exit "$status"
