#!/usr/bin/env bash
# Sets up, builds and runs all of probectl's tests: unit (no root), kernel (root, this kernel's BPF)
# and the format check. A kernel test is skipped only when this kernel lacks the hook; the reasons
# are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
status=0
ctest --test-dir build --output-on-failure "$@" || status=$?
echo
echo "Kernel tests skipped because this kernel lacks the hook:"
grep -h '^SKIPPED: ' build/Testing/Temporary/LastTest.log | sed 's/^SKIPPED: /  /' || echo "  none"
exit "$status"
