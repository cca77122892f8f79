#!/usr/bin/env bash
# Sets up, builds and runs all of probectl's tests: unit (no root), kernel (root, this kernel's BPF),
# the format check, the VM matrix; then the unit and kernel tests again under ASan + UBSan
# (scripts/sanitize.sh) and each fuzz target for 30 s (scripts/fuzz.sh). A kernel test is skipped
# only when this kernel lacks the hook; the reasons are printed at the end.
#
# Time: the VM matrix keeps one core busy for most of an hour (one emulated machine at a time), so
# the sanitizer and fuzzing builds run beside it on the other core, niced; nothing that loads BPF
# into this machine's kernel runs beside another such test (they count programs and links).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
status=0
ctest --test-dir build --output-on-failure -LE '^vm$' "$@" || status=$?
skipped=$(grep -h '^SKIPPED: ' build/Testing/Temporary/LastTest.log | sed 's/^SKIPPED: /  /' || echo "  none")

echo
echo "== building build-asan/ and build-fuzz/ in the background (one core) while the VM matrix runs"
background_log=build/background-builds.log
(
  export PROBECTL_JOBS=1
  nice -n 19 bash scripts/sanitize.sh --build-only && nice -n 19 bash scripts/fuzz.sh --build-only
) >"$background_log" 2>&1 &
background=$!
ctest --test-dir build --output-on-failure -L '^vm$' "$@" || status=$?
echo
echo "Kernel tests skipped because this kernel lacks the hook:"
echo "$skipped"

echo
echo "== waiting for the background builds (log: $background_log)"
if ! wait "$background"; then
  tail -n 40 "$background_log"
  echo "test.sh: the sanitizer or fuzzing build failed (above; whole log: $background_log)" >&2
  exit 1
fi
echo
echo "== the unit and kernel tests under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
bash scripts/sanitize.sh || status=$?
echo
echo "== each fuzz target for 30 s (build-fuzz/)"
bash scripts/fuzz.sh --seconds 30 || status=$?
exit "$status"
