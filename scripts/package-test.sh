#!/usr/bin/env bash
# The .deb on a fresh Debian 12. Builds it (cpack, in the build tree), makes a bare bookworm root
# with mmdebstrap from Debian's mirror (apt and the essential packages; the suites a fresh install
# has: bookworm, its updates and security, no backports), installs the package there with apt,
# which must find every dependency the package declares, and runs the installed probectl in that
# root against this machine's kernel: --version, the man page, the completion, list, an attach of
# one exec, a lab's starter file and bench's exec helper. Run as root; the root is removed after.
#   bash scripts/package-test.sh [BUILD_DIR]     (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[[ $(id -u) == 0 ]] || { echo "package-test: run as root (mmdebstrap, chroot)" >&2; exit 1; }

(cd "$build" && cpack -G DEB >/dev/null)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
deb="$build/probectl_${version}_$(dpkg --print-architecture).deb"
[[ -f $deb ]] || { echo "package-test: cpack wrote no $deb" >&2; exit 1; }
echo "package-test: $deb"
dpkg-deb -f "$deb" Depends Recommends | sed 's/^/  /'

root=$(mktemp -d /tmp/probectl-package-root.XXXXXX)
chmod 0755 "$root"  # apt's _apt user reads its downloads there
cleanup() {
  for mount in dev sys proc; do umount -R "$root/$mount" 2>/dev/null || true; done
  if findmnt -R "$root" >/dev/null; then  # never remove a tree with the host's /dev, /sys or /proc in it
    echo "package-test: $root still has mounts; left in place:" >&2
    findmnt -R "$root" >&2
    return 1
  fi
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT
mirror=http://deb.debian.org/debian
mmdebstrap --variant=apt --quiet --skip=cleanup/apt/lists bookworm "$root" "deb $mirror bookworm main" \
  "deb $mirror bookworm-updates main" "deb http://deb.debian.org/debian-security bookworm-security main"
# The kernel's interfaces, as on a booted machine: BTF, tracefs, bpffs, cgroups under /sys.
for mount in proc sys dev; do
  mount --rbind --make-rslave "/$mount" "$root/$mount"  # slave: an unmount here never reaches the host
done
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")"

failures=0
check() {  # check WHAT EXPECTED ACTUAL: ACTUAL contains EXPECTED
  if [[ $3 == *"$2"* ]]; then
    [[ -n ${PACKAGE_TEST_VERBOSE:-} ]] && printf "%s\n" "$3" | sed "s/^/    /"
    echo "  ok: $1"
  else
    echo "  FAILED: $1: expected '$2' in:"
    printf '%s\n' "$3" | sed -n '1,20s/^/    /p'
    failures=$((failures + 1))
  fi
}
check_line() {  # check_line WHAT REGEX ACTUAL: a line of ACTUAL matches REGEX (grep -E)
  if grep -qE "$2" <<<"$3"; then
    echo "  ok: $1"
  else
    echo "  FAILED: $1: no line matches '$2' in:"
    sed -n '1,20s/^/    /p' <<<"$3"
    failures=$((failures + 1))
  fi
}
run() { in_root "$@" 2>&1 || echo "(exit $?)"; }

check "installed where a fresh Debian 12 looks" "/usr/sbin/probectl" "$(in_root sh -c 'command -v probectl')"
check "--version" "probectl $version" "$(run probectl --version)"
man_page=$(in_root zcat /usr/share/man/man8/probectl.8.gz)
for command in list doctor explain targets btf attach compare bench lab completion; do
  check "the man page has probectl $command" ".SS \"probectl $command\"" "$man_page"
done
check "the bash completion" "<attach>" "$(in_root bash -c 'source /usr/share/bash-completion/completions/probectl
  COMP_WORDS=(probectl att); COMP_CWORD=1; _probectl; echo "<${COMPREPLY[*]}>"')"
check_line "list: tracepoint works on this kernel" "^tracepoint +yes " "$(run probectl list)"
check "attach sees one exec through a tracepoint" "/bin/true /bin/true" \
  "$(run probectl attach -t tracepoint execve --count 1 -- /bin/true)"
check "a lab's starter, from /usr/share/probectl" '#include "exercise.bpf.h"' "$(run probectl lab starter 14)"
check "a lab's coding exercise without clang (recommended, not installed) says so" "Hint: install clang" \
  "$(run probectl lab check 14 --solution /usr/share/probectl/exercises/14-sys-enter.solution.bpf.c)"
check "bench's exec tier runs its helper from /usr/libexec" "exec storm of /usr/libexec/probectl/probectl-exec-helper" \
  "$(run probectl bench --tier exec --types tracepoint --quick)"
check_line "bench's start-up tier runs the libbpf floor from /usr/libexec" "^  floor +[0-9.]+ ms" \
  "$(run probectl bench --tier startup --types tracepoint --quick)"
# the micro tier's uprobe is on a function of the (stripped) binary's own, found in its dynamic symbols
check_line "bench's micro tier measures a uprobe on the stripped binary" "^  uprobe +[0-9]+ +[0-9.]+ " \
  "$(run probectl bench --tier micro --types uprobe --quick)"
if ((failures)); then
  echo "package-test: $failures check(s) failed"
  exit 1
fi
echo "package-test: the .deb installs on a fresh Debian 12 with its declared dependencies, and runs"
