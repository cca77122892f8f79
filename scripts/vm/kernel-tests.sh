#!/usr/bin/env bash
# kernel-tests.sh BUILD_DIR [RESULTS_DIR]: the kernel test suite, one run per hook type, as ctest
# runs it but without writing into the build tree (read-only inside the VM). For each row it
# leaves RESULTS/hooks/<row>.out, <row>.status and <row>.seconds (its wall time). Exit 0 when every
# run passed or skipped; a run that failed is FAIL even when it also printed a skip line.
# The hook rows are the registry's hook types (`probectl list --json`), in its order, written one a
# line to RESULTS/hooks/hook-rows: a newly registered hook gets its row here and in the report
# (probectl_matrix_report) with no edit to either. When they cannot be listed, the row `hooks` is
# FAIL (hooks/hooks.out says why) and the suite rows still run.
# Runs inside the VM guest too: grep and sed only, as busybox has them (no jq, no python).
set -uo pipefail
build=${1:?usage: kernel-tests.sh BUILD_DIR [RESULTS_DIR]}
results=${2:-${PROBECTL_VM_RESULTS:-$(mktemp -d)}}
tests=$build/tests/probectl_kernel_tests
mkdir -p "$results/hooks"
rm -f "$results/hooks/hook-rows" "$results/hooks"/hooks.{out,status,seconds}  # a folder run before
# The compare and bench rows record what they ran (every compared event, bench --quick's results)
# into RESULTS/recordings, for probectl report's kernels side by side (matrix.sh).
rm -rf "$results/recordings"
export PROBECTL_RECORD_DIR=$results/recordings
failed=0

# Writes the row's .status and .seconds (from its start, in $SECONDS) and prints its verdict line.
verdict() {
  local row=$1 status=$2 start=$3 word
  echo "$status" >"$results/hooks/$row.status"
  echo $((SECONDS - start)) >"$results/hooks/$row.seconds"
  if ((status != 0)); then
    word=FAIL
    failed=1
  elif grep -q '^SKIPPED: ' "$results/hooks/$row.out"; then
    word="SKIP ($(sed -n 's/^SKIPPED: [^:]*: //p' "$results/hooks/$row.out"))"
  else
    word=PASS
  fi
  echo "$row: $word ($((SECONDS - start)) s)"
}

# The registry's hook types, one a line; or, on failure, why (a line) and what probectl printed, for
# hooks/hooks.out. `probectl list --json` prints one array of objects with the key "hook", compact
# (JSON escapes a quote inside a string value, so "hook":" is never matched inside one). A name that is not a plain
# file name would not fit hooks/<row>.status: it fails the listing rather than write elsewhere.
list_hooks() {
  local command="$build/probectl list --json" listing names odd
  # Standard error (libbpf's and probectl's log while it tries each hook) apart: interleaved with the
  # JSON it could cut it.
  if ! listing=$("$build/probectl" list --json 2>"$results/hooks/list.err" </dev/null); then
    printf '%s\n%s\n%s\n' "kernel-tests.sh: $command failed:" "$listing" "$(cat "$results/hooks/list.err")"
    return 1
  fi
  names=$(printf '%s\n' "$listing" | grep -o '"hook":"[^"]*"' | sed 's/^"hook":"\(.*\)"$/\1/')
  if [[ -z $names ]]; then
    printf '%s\n%s\n' "kernel-tests.sh: $command listed no hook type:" "$listing"
    return 1
  fi
  if odd=$(printf '%s\n' "$names" | grep -v -x '[A-Za-z0-9_][A-Za-z0-9_.-]*'); then
    printf '%s\n%s\n' "kernel-tests.sh: $command listed hook names that are not plain file names:" "$odd"
    return 1
  fi
  printf '%s\n' "$names"
}

# The format files the unit tests decode (tests/unit/test_values.cpp), kept as this kernel has them:
# RESULTS/formats/<category>/<name>, to be copied into tests/data/kernel-<release>/formats/.
tracefs=/sys/kernel/tracing
[[ -d $tracefs/events ]] || tracefs=/sys/kernel/debug/tracing
for event in syscalls/sys_enter_openat syscalls/sys_enter_execve sched/sched_switch sched/sched_process_exec \
  signal/signal_generate; do
  if [[ -r $tracefs/events/$event/format ]]; then
    mkdir -p "$results/formats/${event%/*}"
    cat "$tracefs/events/$event/format" >"$results/formats/$event"
  fi
done

start=$SECONDS
if hooks=$(list_hooks); then
  printf '%s\n' "$hooks" >"$results/hooks/hook-rows"
else
  printf '%s\n' "$hooks" >"$results/hooks/hooks.out"
  verdict hooks 1 "$start"
  hooks=""
fi

# Each hook runs the one test case tagged [hooks], narrowed to it by PROBECTL_TEST_HOOK; -w NoTests
# makes a tag that matches no test case a failure, not an empty pass.
for hook in $hooks; do
  start=$SECONDS
  PROBECTL_TEST_HOOK="$hook" "$tests" "[hooks]" -w NoTests >"$results/hooks/$hook.out" 2>&1 </dev/null
  verdict "$hook" $? "$start"
done
# lockdown comes last: inside a VM it raises the lockdown, which lasts until the VM ends.
for row in cli compare bench lab crash privileges flood hostile lockdown; do
  start=$SECONDS
  "$tests" "[$row]" -w NoTests >"$results/hooks/$row.out" 2>&1 </dev/null
  verdict "$row" $? "$start"
done
exit "$failed"
