#!/usr/bin/env bash
# fetch-headers.sh SUITE [CACHE]: the headers of the kernel fetch-kernel.sh picks for SUITE, from
# Debian's linux-headers packages, merged into one tree (the common part, then the architecture's)
# as BCC wants it in BCC_KERNEL_SOURCE. Prints the tree's path, which lies in the cache, so a guest
# of scripts/vm/run.sh sees it at the same path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
suite=${1:?usage: fetch-headers.sh SUITE [CACHE]}
source "$here/cache.sh"
cache=${2:-$default_vm_cache}
read -r version root _ < <("$here/fetch-kernel.sh" "$suite" "$cache")
dest=$root/headers
if [[ ! -f $dest/.complete ]]; then
  export APT_CONFIG=$cache/apt/$suite/apt.conf
  package=linux-headers-$version
  common=$(apt-cache show --no-all-versions "$package" | sed -n 's/^Depends: //p' | tr ',' '\n' |
             sed -E 's/^ *//; s/ .*//' | grep -m1 -- '-common' || true)
  echo "fetch-headers: downloading $package ${common}" >&2
  staging=$(mktemp -d)
  (cd "$staging" && apt-get download -qq "$package" ${common:+"$common"} >&2)
  for deb in "$staging"/*.deb; do dpkg-deb -x "$deb" "$staging/tree"; done
  rm -rf "$dest" && mkdir -p "$dest"
  if [[ -n $common ]]; then cp -a "$staging/tree/usr/src/$common/." "$dest/"; fi
  cp -a "$staging/tree/usr/src/$package/." "$dest/"
  rm -f "$dest/scripts" "$dest/tools"  # links into linux-kbuild, which BCC does not need
  rm -rf "$staging"
  touch "$dest/.complete"
fi
echo "$dest"
