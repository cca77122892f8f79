#!/usr/bin/env bash
# Installs every build and test dependency of probectl from Debian 12 (bookworm) packages.
# Idempotent: packages already present are left alone, and apt's lists are refreshed only when
# something is missing. Run as root (or through sudo).
set -euo pipefail

packages=(
  # build
  cmake make pkg-config g++ clang llvm
  # BPF: headers and library, BTF dump and skeleton generation
  libbpf-dev libelf-dev zlib1g-dev bpftool
  # C++ libraries
  libfmt-dev libspdlog-dev libcli11-dev nlohmann-json3-dev catch2
  # formatting of C++ and BPF C
  clang-format
  # fuzzing (tests/fuzz, scripts/fuzz.sh): libFuzzer, and a clang whose C++23 has std::expected
  clang-19 libclang-rt-19-dev
  # the kernel matrix: Debian kernels booted under qemu (scripts/vm/)
  qemu-system-x86 busybox-static kmod cpio xz-utils zstd
  # the compare report's HTML page is checked in a real browser (tests/report/), served by python3
  chromium python3
  # a compiler cache for every build tree: a second run on the same machine recompiles nothing
  ccache
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-deps: missing packages: ${missing[*]}; run this script as root (sudo bash $0)" >&2
  exit 1
fi

echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
