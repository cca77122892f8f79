#!/usr/bin/env bash
# check_kernels_report.sh PROBECTL OUT_DIR RECORDING...
#
# probectl report's HTML page in a real browser (headless Chromium), at the 1280 px a projector
# shows: the page's sections render (kernels, hook types, config, kernel functions and cost where the
# files have them, one per event), the support table has a
# cell per hook and kernel, the rows tables a cell per row and kernel, no console error is logged,
# and a screenshot is saved as a test artefact (OUT_DIR/kernels-report.png).
set -euo pipefail
probectl=${1:?usage: check_kernels_report.sh PROBECTL OUT_DIR RECORDING...}
out=${2:?}
shift 2
mkdir -p "$out"
page=$out/kernels-report.html
fail() { echo "FAIL: $*" >&2; exit 1; }

browser=$(command -v chromium || command -v chromium-browser || true)
[[ -n $browser ]] || fail "no chromium: install the Debian package chromium (bash scripts/setup-deps.sh)"

"$probectl" report "$@" --html "$page" --json >"$out/kernels-report.json"
counts=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
k = len(r["kernels"])
differing = sum(1 for row in r["rows"] if row["differs"])
sections = len(r["events"]) + 2  # kernels, hook types, one per event
sections += any(kernel["btf"] is not None for kernel in r["kernels"])  # config
sections += bool(r["prototypes"]) + bool(r["costs"])  # kernel functions, cost
print(sections, len(r["support"]) * k + (differing + len(r["rows"])) * k)' "$out/kernels-report.json")
read -r n_sections n_cells <<<"$counts"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$profile" --enable-logging=stderr --v=0)
"$browser" "${flags[@]}" --dump-dom "file://$page" >"$out/kernels-dom.html" 2>"$out/kernels-console.log"
"$browser" "${flags[@]}" --window-size=1280,1600 --screenshot="$out/kernels-report.png" "file://$page" \
  >/dev/null 2>>"$out/kernels-console.log"

grep -q "data-sections=\"$n_sections\"" "$out/kernels-dom.html" ||
  fail "the page did not render its $n_sections sections (dom: $out/kernels-dom.html)"
for heading in '<h2>Kernels</h2>' '<h2>Hook types</h2>'; do
  grep -qF "$heading" "$out/kernels-dom.html" || fail "no $heading in the rendered page"
done
cells=$(grep -o 'class="c [a-z]*"' "$out/kernels-dom.html" | wc -l)
((cells == n_cells)) || fail "the tables have $cells cells, expected $n_cells"
if grep -E 'CONSOLE|Uncaught|SyntaxError' "$out/kernels-console.log"; then
  fail "the browser logged console errors ($out/kernels-console.log)"
fi
size=$(stat -c %s "$out/kernels-report.png")
((size > 20000)) || fail "screenshot $out/kernels-report.png is only $size bytes"
echo "PASS: $n_sections sections, $cells cells, no console errors; screenshot $out/kernels-report.png"
