#!/usr/bin/env bash
# kernel-tests.sh BUILD_DIR [RESULTS_DIR]: the kernel test suite, one run per hook type, as ctest
# runs it but without writing into the build tree (read-only inside the VM). For each row it
# leaves RESULTS/hooks/<row>.out, <row>.status and <row>.seconds (its wall time). Exit 0 when every
# run passed or skipped; a run that failed is FAIL even when it also printed a skip line.
set -uo pipefail
build=${1:?usage: kernel-tests.sh BUILD_DIR [RESULTS_DIR]}
results=${2:-${PROBECTL_VM_RESULTS:-$(mktemp -d)}}
tests=$build/tests/probectl_kernel_tests
mkdir -p "$results/hooks"
hooks=(kprobe kretprobe fentry fexit tracepoint tp_btf raw_tp uprobe uretprobe ksyscall)
failed=0
# lockdown comes last: inside a VM it raises the lockdown, which lasts until the VM ends.
for hook in "${hooks[@]}" cli compare bench lab crash privileges flood hostile lockdown; do
  start=$SECONDS
  if [[ " ${hooks[*]} " == *" $hook "* ]]; then
    "$tests" "[hook=$hook]" >"$results/hooks/$hook.out" 2>&1 </dev/null
  else
    "$tests" "[$hook]" >"$results/hooks/$hook.out" 2>&1 </dev/null
  fi
  status=$?
  echo "$status" >"$results/hooks/$hook.status"
  echo $((SECONDS - start)) >"$results/hooks/$hook.seconds"
  if ((status != 0)); then
    verdict=FAIL
    failed=1
  elif grep -q '^SKIPPED: ' "$results/hooks/$hook.out"; then
    verdict="SKIP ($(sed -n 's/^SKIPPED: [^:]*: //p' "$results/hooks/$hook.out"))"
  else
    verdict=PASS
  fi
  echo "$hook: $verdict ($((SECONDS - start)) s)"
done
exit "$failed"
