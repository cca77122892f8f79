#!/usr/bin/env bash
# Records, for the unit tests, a small part of the BTF of each kernel of the matrix: the functions
# and tracepoint typedefs whose argument lists tests/unit/test_values.cpp decodes, cut out of the
# kernel image (vmlinuz) that scripts/vm/ has downloaded, into tests/data/<kernel>/btf.raw.
#
#   bash scripts/record-kernel-btf.sh [BUILD_DIR]    (after cmake --build BUILD_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
subset="$build/tests/probectl_btf_subset"
[[ -x $subset ]] || { echo "record-kernel-btf.sh: build $subset first (cmake --build $build)" >&2; exit 2; }
kernels=${PROBECTL_VM_CACHE:-$HOME/.cache/probectl/vm}/kernels
names=(do_sys_openat2 vfs_read bprm_execve begin_new_exec bpf_lsm_file_open bpf_lsm_task_setnice)
for event in sched_switch signal_generate sched_process_exec sched_wakeup; do
  names+=("btf_trace_$event" "__traceiter_$event" "__bpf_trace_$event")
done

# The kernel inside a bzImage: the compressed payload found by its magic, then decompressed.
extract_vmlinux() {
  local image=$1 out=$2 magic tool offset
  for pair in '\x28\xb5\x2f\xfd:zstd -dqc' '\xfd\x37\x7a\x58\x5a\x00:xz -dqc' '\x1f\x8b\x08:gzip -dqc'; do
    magic=${pair%%:*} tool=${pair#*:}
    for offset in $(LC_ALL=C grep -obUaP "$magic" "$image" | cut -d: -f1); do
      tail -c +$((offset + 1)) "$image" | $tool >"$out" 2>/dev/null || true  # trailing data is normal
      if readelf -S "$out" 2>/dev/null | grep -q '\.BTF'; then return 0; fi
    done
  done
  return 1
}

# This machine's kernel, from its own BTF.
short=$(uname -r | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
mkdir -p "tests/data/kernel-$short"
"$subset" /sys/kernel/btf/vmlinux "tests/data/kernel-$short/btf.raw" "${names[@]}" 2>/dev/null
echo "$(uname -r) (this machine) -> tests/data/kernel-$short/btf.raw"

for dir in "$kernels"/*/; do
  release=$(basename "$dir")
  image=$(find "$dir" -name 'vmlinuz*' -type f | head -1)
  [[ -n $image ]] || { echo "skip $release: no vmlinuz (boot it once with scripts/vm/run.sh)"; continue; }
  short=$(echo "$release" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
  out="tests/data/kernel-$short/btf.raw"
  mkdir -p "$(dirname "$out")"
  tmp=$(mktemp)
  if ! extract_vmlinux "$image" "$tmp"; then
    echo "skip $release: no kernel with .BTF found in $image"; rm -f "$tmp"; continue
  fi
  "$subset" "$tmp" "$out" "${names[@]}" 2>&1 | sed "s/^/  /"
  rm -f "$tmp"
  echo "$release -> $out ($(stat -c %s "$out") bytes)"
done
