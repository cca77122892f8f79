#!/usr/bin/env bash
# check_html_report.sh PROBECTL RECORDING OUT_DIR
#
# The HTML report of probectl compare in a real browser (headless Chromium): it renders its four
# sections, the heat map has a cell per exec and hook, the timeline a dot per event, no console
# error is logged, and a screenshot is saved as a test artefact (OUT_DIR/compare-report.png).
set -euo pipefail
probectl=${1:?usage: check_html_report.sh PROBECTL RECORDING OUT_DIR}
recording=${2:?} out=${3:?}
mkdir -p "$out"
page=$out/compare-report.html
fail() { echo "FAIL: $*" >&2; exit 1; }

browser=$(command -v chromium || command -v chromium-browser || true)
[[ -n $browser ]] || fail "no chromium: install the Debian package chromium (bash scripts/setup-deps.sh)"

"$probectl" compare --replay "$recording" --html "$page" --json >"$out/compare-report.json"
execs=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["execs"]), len(r["hooks"]), sum(len(e["timeline"]) for e in r["execs"]))' "$out/compare-report.json")
read -r n_execs n_hooks n_events <<<"$execs"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
  --disable-component-update --disable-sync --user-data-dir="$profile" --enable-logging=stderr --v=0)
"$browser" "${flags[@]}" --dump-dom "file://$page" >"$out/dom.html" 2>"$out/console.log"
"$browser" "${flags[@]}" --window-size=1400,2600 --screenshot="$out/compare-report.png" "file://$page" \
  >/dev/null 2>>"$out/console.log"

# The page's own script ran and found every section in the document.
grep -q 'data-sections="coverage fields timeline cost"' "$out/dom.html" ||
  fail "the page's sections did not all render (dom: $out/dom.html)"
for heading in '<h2>Coverage</h2>' '<h2>Fields</h2>' '<h2>Order and timing</h2>' '<h2>Cost and loss</h2>'; do
  grep -qF "$heading" "$out/dom.html" || fail "no $heading in the rendered page"
done
cells=$(grep -o 'class="c [a-z]*"' "$out/dom.html" | wc -l)
((cells == n_execs * n_hooks)) || fail "heat map has $cells cells, expected $n_execs execs x $n_hooks hooks"
dots=$(grep -o '<circle class="hit"' "$out/dom.html" | wc -l)
((dots == n_events)) || fail "timeline has $dots dots, expected $n_events events"
if grep -E 'CONSOLE|Uncaught|SyntaxError' "$out/console.log"; then
  fail "the browser logged console errors ($out/console.log)"
fi
size=$(stat -c %s "$out/compare-report.png")
((size > 20000)) || fail "screenshot $out/compare-report.png is only $size bytes"
echo "PASS: $n_execs execs x $n_hooks hooks, $n_events timeline dots, no console errors; screenshot $out/compare-report.png"
