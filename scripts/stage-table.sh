#!/usr/bin/env bash
# stage-table.sh [BUILD_DIR]: where the last `bash scripts/test.sh` (CI's run) spent its time.
# Prints, as Markdown: each stage (from BUILD_DIR/stage-times.tsv, written by scripts/stages.sh)
# with when it started and ended after the run's start, so that stages that ran side by side show
# as such; then each matrix row's seconds on each kernel (BUILD_DIR/vm-matrix/*/hooks/*.seconds).
# Readable after any run, finished or not. The dated tables of past runs: docs/ci-time.md.
set -euo pipefail
build=${1:-$(cd "$(dirname "$0")/.." && pwd)/build}
stages=$build/stage-times.tsv
[[ -s $stages ]] || { echo "stage-table: no $stages yet: run bash scripts/test.sh first" >&2; exit 1; }

mmss() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

first=$(cut -f2 "$stages" | sort -n | head -n1)
last=$(cut -f3 "$stages" | sort -n | tail -n1)
echo "| stage | from | to | took | status |"
echo "|---|---:|---:|---:|---|"
sort -t$'\t' -k2,2n -k3,3n "$stages" | while IFS=$'\t' read -r name start end status; do
  verdict=ok
  ((status == 0)) || verdict="exit $status"
  echo "| $name | $(mmss $((start - first))) | $(mmss $((end - first))) | $(mmss $((end - start))) | $verdict |"
done
echo "| **whole run** | 0:00 | $(mmss $((last - first))) | **$(mmss $((last - first)))** | |"

matrix=$build/vm-matrix
# The host first, then the VM kernels in the order the run started them.
columns=()
[[ -d $matrix/host/hooks ]] && columns+=("$matrix/host/hooks")
while read -r label; do
  [[ -d $matrix/$label/hooks ]] && columns+=("$matrix/$label/hooks")
done < <(sed -n 's/^matrix: VM \([^	]*\)	.*/\1/p' "$stages" | awk '!seen[$0]++')
((${#columns[@]})) || exit 0
echo
header="| row (seconds) |" rule="|---|"
for column in "${columns[@]}"; do
  folder=$(dirname "$column")
  header+=" $(basename "$folder") $(cat "$folder/kernel-version" 2>/dev/null || true) |"
  rule+="---:|"
done
echo "$header"
echo "$rule"
# Rows in the order kernel-tests.sh ran them (the first column's file times), then a total.
mapfile -t rows < <(ls -tr "${columns[0]}" | sed -n 's/\.seconds$//p')
declare -A total
for row in "${rows[@]}"; do
  line="| $row |"
  for column in "${columns[@]}"; do
    seconds=$(cat "$column/$row.seconds" 2>/dev/null || echo "")
    line+=" ${seconds:--} |"
    total[$column]=$((${total[$column]:-0} + ${seconds:-0}))
  done
  echo "$line"
done
line="| **all rows** |"
for column in "${columns[@]}"; do line+=" **$(mmss "${total[$column]:-0}")** |"; done
echo "$line"
