#!/usr/bin/env bash
# bench-report-merge.sh [--recordings N[,N...]] [--from DIR] [--build DIR]
#
# probectl report on a fleet's worth of files: N of them (default 40, 1000), made by varying real
# ones: the matrix's recordings (every compared event) and bench results of Debian's kernels and
# this machine's, kept in tests/data/kernels/ (or --from DIR). Copy c of each file is given the
# release "<its release>-fleet<c>", so that N files are N / (files in DIR) copies of each, each copy
# another kernel, as machines of a fleet on many kernel builds would send them. For each N, in one
# run: the files' total size, the wall time and peak memory of `probectl report --json` and of
# `--html`. Prints a Markdown table.
#
# The merge reads one file at a time (compare/kernels.h): its memory grows with the report (hooks x
# occurrences x kernels), not with the bytes read.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
counts="40,1000" from=$repo/tests/data/kernels build=$repo/build
while (($#)); do
  case $1 in
    --recordings) counts=$2; shift 2 ;;
    --from) from=$(cd "$2" && pwd); shift 2 ;;
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    *) echo "bench-report-merge.sh: unknown option $1 (see the comment at the top of $0)" >&2; exit 64 ;;
  esac
done
[[ $counts =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] ||
  { echo "bench-report-merge.sh: --recordings takes positive numbers, comma-separated" >&2; exit 64; }
probectl=$build/probectl
[[ -x $probectl ]] || { echo "bench-report-merge.sh: build first (bash scripts/build.sh): no $probectl" >&2; exit 64; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| files | kernels | bytes read | --json | peak memory | --html | peak memory |"
echo "|---|---|---|---|---|---|---|"
for n in ${counts//,/ }; do
  rm -rf "$work/files" && mkdir "$work/files"
  python3 - "$from" "$work/files" "$n" <<'EOF'
import json, os, sys
source, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(os.path.join(source, f) for f in os.listdir(source) if f.endswith(".json"))
originals = [json.load(open(f)) for f in files]
for i in range(n):
    copy, original = divmod(i, len(originals))
    data = originals[original]
    if "probectl_bench" in data:
        data["environment"]["kernel"] = data["environment"]["kernel"].split("-fleet")[0] + f"-fleet{copy}"
    else:
        data["kernel"] = data["kernel"].split("-fleet")[0] + f"-fleet{copy}"
    with open(os.path.join(out, f"{i:05d}.json"), "w") as f:
        json.dump(data, f)
EOF
  bytes=$(du -cb "$work"/files/*.json | tail -n 1 | cut -f1)
  measure() {  # prints "S s | M MiB"
    if ! /usr/bin/time -f '%e %M' -o "$work/time" "$probectl" report "$work"/files/*.json "$@" >/dev/null; then
      echo "bench-report-merge.sh: probectl report $* failed on $n files" >&2
      return 1
    fi
    read -r seconds kib < <(tail -n 1 "$work/time")
    echo "$seconds s | $((kib / 1024)) MiB"
  }
  json=$(measure --json) || exit 1
  html=$(measure --html "$work/page.html") || exit 1
  kernels=$("$probectl" report "$work"/files/*.json --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["kernels"]))')
  echo "| $n | $kernels | $((bytes / 1024 / 1024)) MiB | $json | $html |"
done
