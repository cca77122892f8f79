#!/usr/bin/env bash
# run.sh --kernel SUITE|DIR [--out DIR] [--timeout SECONDS] [--cache DIR] [--append ARGS] -- COMMAND [ARGS...]
#
# Boots a Debian stock kernel under qemu (software emulation, no KVM needed), with this machine's
# root file system shared read-only, runs COMMAND in the current directory inside it as root, and
# brings back its output (printed) and exit status (returned). The guest's kernel log is checked for
# BUG, WARNING and Oops: any of them fails the run (exit 3); the stall and lockup watchdogs, which
# emulation's slowness sets off, are turned off (see emulation_args). Exit 2: the VM
# did not finish (boot failure or timeout). The guest's /tmp and /run are its own: of what lies there
# on this machine only the current directory is visible. --append adds kernel command-line
# arguments (e.g. "lockdown=confidentiality"). Example:
#   scripts/vm/run.sh --kernel bookworm -- build/probectl list
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kernel="" out="" timeout=300 cache="" append=""
while (($#)); do
  case $1 in
    --kernel) kernel=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --cache) cache=$2; shift 2 ;;
    --append) append=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run.sh: unknown option $1 (see the comment at the top of $0)" >&2; exit 64 ;;
  esac
done
[[ -n $kernel && $# -gt 0 ]] || { echo "run.sh: usage: run.sh --kernel SUITE|DIR -- COMMAND [ARGS...]" >&2; exit 64; }
log() { echo "vm: $*" >&2; }

read -r version root vmlinuz moddir < <("$here/fetch-kernel.sh" "$kernel" ${cache:+"$cache"})
[[ -n ${vmlinuz:-} ]] || { log "no kernel for $kernel"; exit 2; }
source "$here/cache.sh"
cache_dir=${cache:-$default_vm_cache}

# The initramfs of this kernel: busybox, the modules 9p over virtio needs (in load order,
# decompressed for busybox's insmod), and guest-init.sh as /init.
initrd=$cache_dir/initrd/$version.cpio.gz
if [[ ! -f $initrd || $initrd -ot $here/guest-init.sh || $initrd -ot $here/run.sh ]]; then
  staging=$(mktemp -d)
  mkdir -p "$staging"/{bin,modules,proc,sys,dev,newroot}
  cp /bin/busybox "$staging/bin/busybox"
  install -m 0755 "$here/guest-init.sh" "$staging/init"
  # The kernel's config, which a Debian system keeps in /boot (the guest-init puts it there).
  for config in "$root/boot/config-$version" "$moddir/config"; do
    [[ -f $config ]] && cp "$config" "$staging/config" && break
  done
  n=10
  while read -r kind path _; do
    [[ $kind == insmod ]] || continue
    name=$(basename "$path"); name=${name%%.ko*}
    case $path in
      *.ko.xz) xz -dc "$path" >"$staging/modules/$n-$name.ko" ;;
      *.ko.zst) zstd -qdc "$path" >"$staging/modules/$n-$name.ko" ;;
      *.ko.gz) gzip -dc "$path" >"$staging/modules/$n-$name.ko" ;;
      *) cp "$path" "$staging/modules/$n-$name.ko" ;;
    esac
    n=$((n + 1))
  done < <(modprobe -d "$root" -S "$version" --show-depends -a 9p 9pnet_virtio virtio_pci | awk '!seen[$2]++')
  mkdir -p "$(dirname "$initrd")"
  (cd "$staging" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  rm -rf "$staging"
fi

[[ -n $out ]] || out=$(mktemp -d /tmp/probectl-vm-XXXXXX)
mkdir -p "$out"
rm -rf "$out"/{status,output.txt,dmesg.txt,console.log,run-error,hooks}
echo "$PWD" >"$out/workdir"
{
  printf 'cd %q || exit 125\n' "$PWD"
  printf 'exec'
  printf ' %q' "$@"
  printf '\n'
} >"$out/cmd.sh"

# Software emulation runs the guest many times slower than real time: RCU stall and lockup
# watchdogs would fire on a busy host without anything being wrong, so they are silenced; a real
# BUG or WARNING still fails the run. probectl.emulated tells probectl bench what it runs on.
emulation_args="rcupdate.rcu_cpu_stall_suppress=1 nowatchdog probectl.emulated=tcg"
# One host thread runs both vCPUs (PROBECTL_VM_TCG_THREAD=multi for one each). With a thread per vCPU,
# code the kernel patches at run time (static keys, kprobes, tracepoints: text_poke with a transient
# int3) was seen stale on the other vCPU on 7.x: "Oops: int3" in __schedule and sched_clock_cpu, a
# panic, about one run in five. Single-threaded TCG keeps code and its patches coherent.
tcg_thread=${PROBECTL_VM_TCG_THREAD:-single}

log "booting $version ($kernel) for: $*"
start=$SECONDS
# A boot that dies before the command starts is emulation's doing, not the command's: under TCG a
# 7.x kernel has been seen to take an int3 Oops in sched_clock_cpu while patching its own text at
# boot. Such a boot is tried again, up to three times in all, and said so; a failure once the
# command has started is never retried.
for attempt in 1 2 3; do
  set +e
  timeout "$timeout" qemu-system-x86_64 -machine q35 -accel tcg,thread="$tcg_thread" -cpu max -smp 2 -m 2G \
    -nographic -no-reboot \
    -kernel "$vmlinuz" -initrd "$initrd" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$out,mount_tag=results,security_model=none,multidevs=remap" \
    -append "console=ttyS0 quiet panic=-1 $emulation_args${append:+ $append}" >"$out/console.log" 2>&1 </dev/null
  qemu_status=$?
  set -e
  if [[ -f $out/status ]] || grep -q 'probectl-vm: ready' "$out/console.log" || ((attempt == 3)); then
    break
  fi
  log "$version: the boot failed before the command started (attempt $attempt): $(grep -m1 -E 'Oops|BUG:|panic' \
    "$out/console.log" | sed -E 's/^.*\[ *[0-9.]+\] *//' || echo "no kernel message")"
  cp "$out/console.log" "$out/console-failed-boot-$attempt.log"
done
echo "$version" >"$out/kernel-version"
cat "$out/output.txt" 2>/dev/null || true
if [[ ! -f $out/status ]]; then
  echo "the VM did not finish (qemu exit $qemu_status after $((SECONDS - start)) s)" >"$out/run-error"
  log "$version: $(cat "$out/run-error"); console: $out/console.log"
  tail -n 20 "$out/console.log" >&2
  exit 2
fi
status=$(cat "$out/status")
log "$version: finished in $((SECONDS - start)) s, status $status"
if ((status >= 125 && status <= 127)); then  # the shell could not enter the directory or start the command
  echo "the command did not start in the VM: $(tail -n 1 "$out/output.txt")" >"$out/run-error"
fi
if problems=$(grep -E 'BUG:|WARNING:|Oops|soft lockup|hard LOCKUP|rcu_sched self-detected stall|rcu: INFO: .*stall|detected stall' "$out/dmesg.txt"); then
  echo "kernel log: $(echo "$problems" | head -n 1 | sed -E 's/^\[[^]]*\] *//')" >"$out/run-error"
  log "$version: the kernel log reports problems:"
  echo "$problems" | head -n 5 >&2
  exit 3
fi
exit "$status"
