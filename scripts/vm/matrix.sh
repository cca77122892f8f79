#!/usr/bin/env bash
# matrix.sh [--build DIR] [--kernels "SUITE|DIR ..."] [--cache DIR] [--no-host]
#
# The kernel matrix: every hook type's kernel test on each kernel, one VM at a time, and on this
# machine's own kernel (where a hook may be unsupported, for the reason the test asserts). Writes
# DIR/probectl-matrix.{json,md} and prints the table. Exit 0 when every hook passed on every VM
# kernel, no kernel log reported a problem, and nothing failed on the host.
# Default kernels: the newest of bullseye (5.10), bookworm (6.1), bookworm-backports (6.12), sid (7.x).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$repo/build kernels="bullseye bookworm bookworm-backports sid" cache="" host=1
while (($#)); do
  case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --kernels) kernels=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --no-host) host=0; shift ;;
    *) echo "matrix.sh: unknown option $1 (see the comment at the top of $0)" >&2; exit 64 ;;
  esac
done
[[ -x $build/tests/probectl_kernel_tests ]] || { echo "matrix.sh: build first: no $build/tests/probectl_kernel_tests" >&2; exit 64; }

cd "$repo"  # the guest sees the current directory even under /tmp: make it the checkout
results=$build/vm-matrix
rm -rf "$results" && mkdir -p "$results"
columns=()
if ((host)); then
  echo "matrix: this machine's kernel $(uname -r)"
  mkdir -p "$results/host"
  uname -r >"$results/host/kernel-version"
  "$here/kernel-tests.sh" "$build" "$results/host" | sed 's/^/  /' || true
  columns+=("host=$results/host:host")
fi
for kernel in $kernels; do
  label=$(basename "$kernel")
  echo "matrix: $kernel"
  "$here/run.sh" --kernel "$kernel" --out "$results/$label" --timeout 1500 ${cache:+--cache "$cache"} -- \
    "$here/kernel-tests.sh" "$build" 2>&1 | sed 's/^/  /' || true
  columns+=("$label=$results/$label")
done
exec "$build/tests/probectl_matrix_report" "$build/probectl-matrix" "${columns[@]}"
