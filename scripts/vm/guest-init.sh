#!/bin/busybox sh
# /init of probectl's VM initramfs: mount the host's root (read-only 9p) and the results folder
# (writable 9p), run /run/results/cmd.sh inside the host root, keep its output, status and the
# kernel log, power off. /tmp and /run are the guest's own (tmpfs).
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /newroot
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for module in /modules/*.ko; do
  [ -e "$module" ] || continue
  insmod "$module" || echo "probectl-vm: insmod $module failed"
done
# cache=loose: the guest keeps what it read of the host root in its page cache. That root is
# read-only here and nothing the guest reads of it changes while it runs (the build is done), and
# under emulation every uncached read is a virtio round trip: an exec of probectl took 1.3 s
# without the cache and 0.37 s with it, on 6.1.
if ! mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /newroot; then
  echo "probectl-vm: cannot mount the host root over 9p"
  poweroff -f
fi
# The results folder, and the command's working directory: where that lies under /tmp or /run (a
# checkout in /tmp), it is kept visible through the fresh tmpfs the guest mounts there.
mkdir -p /results /keep
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /results
workdir=$(cat /results/workdir)
case "$workdir" in
  /tmp/*|/run/*) mount --bind "/newroot$workdir" /keep && keep=1 ;;
esac
mount -t tmpfs tmpfs /newroot/tmp
mount -t tmpfs tmpfs /newroot/run
if [ -f /config ]; then  # /boot as on an installed system: this kernel's config
  mount -t tmpfs tmpfs /newroot/boot
  cp /config "/newroot/boot/config-$(uname -r)"
fi
mkdir -p /newroot/run/results
mount --move /results /newroot/run/results
if [ -n "$keep" ]; then
  mkdir -p "/newroot$workdir"
  mount --move /keep "/newroot$workdir"
fi
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
echo "probectl-vm: ready, kernel $(uname -r)"
chroot /newroot /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/tmp PROBECTL_VM_RESULTS=/run/results PROBECTL_TEST_TIME_SCALE=5 PROBECTL_IN_VM=1 /bin/sh -c '
    mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
    mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
    mount -t bpf bpf /sys/fs/bpf 2>/dev/null
    ip link set lo up  # compare --event connect connects to 127.0.0.1, as on any booted machine
    sh /run/results/cmd.sh >/run/results/output.txt 2>&1
    echo $? >/run/results/status'
chroot /newroot /bin/dmesg >/newroot/run/results/dmesg.txt 2>&1
echo "probectl-vm: done, status $(cat /newroot/run/results/status)"
sync
poweroff -f
