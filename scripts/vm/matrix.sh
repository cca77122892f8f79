#!/usr/bin/env bash
# matrix.sh [--build DIR] [--kernels "SUITE|DIR ..."] [--cache DIR] [--no-host] [--report-only] [--no-report]
#
# The kernel matrix: every hook type's kernel test on each kernel, one VM at a time, and on this
# machine's own kernel (where a hook may be unsupported, for the reason the test asserts). Writes
# DIR/probectl-matrix.{json,md} and prints the table; then merges what each kernel's compare and
# bench rows recorded (DIR/vm-matrix/*/recordings) into DIR/probectl-kernels.{html,md,json} with
# `probectl report`, checks that page in Chromium and the differences docs/kernel-matrix.md names in
# the recordings. Exit 0 when every hook passed on every VM kernel, no kernel log reported a problem,
# nothing failed on the host, and the kernels' page was made and checked from their recordings.
# Default kernels: the newest of bullseye (5.10), bookworm (6.1), bookworm-backports (6.12), sid (7.x);
# the report names each exact version, and any that tests/vm/kernels-last-green.txt does not list.
# Each column's folder is DIR/vm-matrix/LABEL (host: DIR/vm-matrix/host); a run replaces only the
# columns it runs. --no-host: VMs only. --report-only: run nothing, report the folders already there;
# --no-report: run, report nothing, exit 1 if a run failed (scripts/test.sh runs the host column and
# the VMs in two lanes, then reports them all once). A kernel asked for whose folder is missing (its
# download failed) is reported as not run: a failure.
# Under scripts/test.sh each kernel's wall time goes to its stage table (scripts/stages.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$repo/build kernels="bullseye bookworm bookworm-backports sid" cache="" host=1 run=1 report=1
while (($#)); do
  case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --kernels) kernels=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --no-host) host=0; shift ;;
    --report-only) run=0; shift ;;
    --no-report) report=0; shift ;;
    *) echo "matrix.sh: unknown option $1 (see the comment at the top of $0)" >&2; exit 64 ;;
  esac
done
[[ -x $build/tests/probectl_kernel_tests ]] || { echo "matrix.sh: build first: no $build/tests/probectl_kernel_tests" >&2; exit 64; }
stage() { shift; "$@"; }  # without scripts/test.sh's stage timer: just run
[[ -n ${PROBECTL_STAGES:-} ]] && source "$repo/scripts/stages.sh"

cd "$repo"  # the guest sees the current directory even under /tmp: make it the checkout
results=$build/vm-matrix
mkdir -p "$results"
failed=0
if ((run && host)); then
  echo "matrix: this machine's kernel $(uname -r)"
  rm -rf "$results/host" && mkdir -p "$results/host"
  uname -r >"$results/host/kernel-version"
  stage "matrix: host $(uname -r)" "$here/kernel-tests.sh" "$build" "$results/host" | sed 's/^/  /' ||
    failed=1
fi
if ((run)); then
  for kernel in $kernels; do
    label=$(basename "$kernel")
    echo "matrix: $kernel"
    rm -rf "${results:?}/$label"
    stage "matrix: VM $label" "$here/run.sh" --kernel "$kernel" --out "$results/$label" --timeout 1500 \
      ${cache:+--cache "$cache"} -- "$here/kernel-tests.sh" "$build" 2>&1 | sed 's/^/  /' || failed=1
  done
fi
((report)) || exit "$failed"
columns=()
((host)) && [[ -d $results/host ]] && columns+=("host=$results/host:host")
for kernel in $kernels; do
  columns+=("$(basename "$kernel")=$results/$(basename "$kernel")")
done
status=0
"$build/tests/probectl_matrix_report" --last-green "$repo/tests/vm/kernels-last-green.txt" \
  "$build/probectl-matrix" "${columns[@]}" || status=$?

# Kernels side by side, from the recordings the columns made (a column that failed early has fewer).
recordings=()
for column in "${columns[@]}"; do
  folder=${column#*=}
  folder=${folder%:host}
  for file in "$folder"/recordings/*.json; do
    [[ -e $file ]] && recordings+=("$file")
  done
done
echo
if ((${#recordings[@]} == 0)); then
  echo "matrix: no kernel recorded anything for probectl report"
  exit 1
fi
echo "matrix: kernels side by side from ${#recordings[@]} recordings: $build/probectl-kernels.{html,md,json}"
"$build/probectl" report "${recordings[@]}" --markdown "$build/probectl-kernels.md" \
  --html "$build/probectl-kernels.html" --json >"$build/probectl-kernels.json" || status=1
bash "$repo/tests/report/check_kernels_report.sh" "$build/probectl" "$build/report-kernels" "${recordings[@]}" ||
  status=1
PROBECTL_KERNEL_RECORDINGS=$(printf '%s\n' "${recordings[@]}") \
  "$build/tests/probectl_unit_tests" "[kernel-differences]" -w NoTests || status=1
exit "$status"
