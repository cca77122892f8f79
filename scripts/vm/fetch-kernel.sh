#!/usr/bin/env bash
# fetch-kernel.sh SUITE|DIR [CACHE]: a Debian stock kernel, extracted but not installed.
#
# For a suite (bullseye, bookworm, bookworm-backports, trixie, sid, ...) the current kernel is
# resolved from that suite's linux-image-amd64 dependency (never a hard-coded ABI number), downloaded
# with a private apt configuration and state (the system's package lists are left alone), extracted
# with dpkg-deb, and its module index built with depmod. A DIR is an already extracted kernel tree.
# Prints one line: VERSION ROOT VMLINUZ MODULES_DIR. The cache (default: ~/.cache/probectl/vm, see
# cache.sh) is reused between runs, and between checkouts.
set -euo pipefail

spec=${1:?usage: fetch-kernel.sh SUITE|DIR [CACHE]}
source "$(dirname "$0")/cache.sh"
cache=${2:-$default_vm_cache}
log() { echo "fetch-kernel: $*" >&2; }

# Where the modules and vmlinuz of VERSION sit in an extracted tree (bookworm: /lib, trixie on: /usr/lib).
describe_tree() {
  local root=$1 version=$2 moddir vmlinuz
  for moddir in "$root/lib/modules/$version" "$root/usr/lib/modules/$version"; do
    [[ -d $moddir/kernel ]] && break
  done
  for vmlinuz in "$root/boot/vmlinuz-$version" "$root/usr/lib/modules/$version/vmlinuz"; do
    [[ -f $vmlinuz ]] && break
  done
  [[ -d $moddir/kernel && -f $vmlinuz ]] || { log "no kernel $version under $root"; exit 1; }
  echo "$version $root $vmlinuz $moddir"
}

if [[ -d $spec ]]; then
  root=$(cd "$spec" && pwd)
  version=$(ls "$root/lib/modules" "$root/usr/lib/modules" 2>/dev/null | grep -m1 -E '^[0-9]') ||
    { log "$spec holds no lib/modules/VERSION"; exit 1; }
  describe_tree "$root" "$version"
  exit 0
fi

# The archive's URIs as this machine's apt knows them (deb822 or one-line format).
system_uri() { # $1: "main" or "security"
  local pattern='/debian/?$'
  [[ $1 == security ]] && pattern='security'
  { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}'
    grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -E 's/\[[^]]*\] //' | awk '{print $2}'; } | grep -E "$pattern" | head -n1 || true
}
main_uri=$(system_uri main)
security_uri=$(system_uri security)
[[ -n $main_uri ]] || { log "cannot find the Debian archive in /etc/apt sources"; exit 1; }

suite=$spec
apt_dir=$cache/apt/$suite
mkdir -p "$apt_dir"/{lists/partial,archives/partial,etc/preferences.d}
# One fetch of a suite at a time (scripts/test.sh downloads while the build runs, and a matrix or a
# second checkout may ask for the same kernel meanwhile): the others wait, then find it complete.
exec {lock}>"$apt_dir/.lock"
flock -w 1200 "$lock" || { log "another fetch of $suite has held its lock for 20 minutes"; exit 1; }
: >"$apt_dir/status"
{
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $main_uri $suite main"
  case $suite in
    sid|unstable|experimental|*-backports) ;;
    *) [[ -n $security_uri ]] &&
         echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $security_uri $suite-security main" ;;
  esac
} >"$apt_dir/sources.list"
cat >"$apt_dir/apt.conf" <<CONF
Dir::State "$apt_dir";
Dir::State::Lists "$apt_dir/lists";
Dir::State::status "$apt_dir/status";
Dir::Cache "$apt_dir";
Dir::Cache::archives "$apt_dir/archives";
Dir::Etc::sourcelist "$apt_dir/sources.list";
Dir::Etc::sourceparts "-";
Dir::Etc::preferencesparts "$apt_dir/etc/preferences.d";
APT::Architecture "amd64";
APT::Default-Release "";
Acquire::Languages "none";
APT::Sandbox::User "root";
CONF
export APT_CONFIG=$apt_dir/apt.conf

# Package lists are refreshed once a day at most.
if [[ -z $(find "$apt_dir/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n1) ]]; then
  log "updating package lists of $suite"
  apt-get update -qq >&2
fi

# linux-image-amd64 -> linux-image-VERSION-amd64 (the newest in the suite, backports included).
depends_of() { apt-cache show --no-all-versions "$1" | sed -n 's/^Depends: //p' | tr ',' '\n' | sed -E 's/^ *//; s/ .*//'; }
if [[ $suite == *-backports ]]; then
  meta_version=$(apt-cache madison linux-image-amd64 | awk -v s="$suite" '$0 ~ s {print $3; exit}')
  image=$(apt-cache show "linux-image-amd64=$meta_version" | sed -n 's/^Depends: //p' | head -n1 |
            tr ',' '\n' | sed -E 's/^ *//; s/ .*//' | grep -m1 '^linux-image-')
else
  image=$(depends_of linux-image-amd64 | grep -m1 '^linux-image-')
fi
[[ -n $image ]] || { log "no linux-image-amd64 in $suite"; exit 1; }
version=${image#linux-image-}

root=$cache/kernels/$version
mkdir -p "$cache/kernels"
exec {version_lock}>"$root.lock"  # two suites may resolve to the same kernel
flock -w 1200 "$version_lock" || { log "another fetch of $version has held its lock for 20 minutes"; exit 1; }
if [[ ! -f $root/.complete ]]; then
  # From 7.x linux-image-VERSION is itself a metapackage of linux-binary/linux-modules/linux-base.
  packages=("$image")
  for dep in $(depends_of "$image"); do
    [[ $dep == linux-binary-"$version" || $dep == linux-modules-"$version" || $dep == linux-base-"$version" ]] &&
      packages+=("$dep")
  done
  log "downloading ${packages[*]}"
  rm -rf "$root" && mkdir -p "$root/debs"
  (cd "$root/debs" && apt-get download -qq "${packages[@]}" >&2)
  for deb in "$root"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
  rm -rf "$root/debs"
  # bookworm's depmod looks only under <base>/lib/modules; trixie's packages use /usr/lib.
  [[ -e $root/lib ]] || ln -s usr/lib "$root/lib"
  depmod -b "$root" "$version"
  touch "$root/.complete"
fi
describe_tree "$root" "$version"
