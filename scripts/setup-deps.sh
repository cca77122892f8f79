#!/usr/bin/env bash
# Installs every build and test dependency of probectl from Debian 12 (bookworm) packages, and
# libbpf and bpftool from bookworm-backports: uprobe.multi needs libbpf 1.3 or later (bookworm has
# 1.1; backports has 1.4, with bpftool 7.5 whose skeletons match it), and rapidfuzz-cpp (the edit
# distance behind "did you mean" hints), which only backports has. The backports suite is added
# to apt's sources when no source has it; as Debian pins backports, nothing else comes from it.
# Idempotent: packages already present (and new enough) are left alone, and apt's lists are
# refreshed only when something is missing. Run as root (or through sudo).
set -euo pipefail

packages=(
  # build
  cmake make pkg-config g++ clang llvm
  # BPF: headers and library (libbpf and bpftool: from backports, below), BTF dump and skeletons
  libelf-dev zlib1g-dev
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
  # the install: the man page from --help, the .deb (dpkg-shlibdeps: its dependencies), and a bare
  # Debian 12 root that scripts/package-test.sh installs it in
  help2man dpkg-dev mmdebstrap
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

# From bookworm-backports, each at least at this version.
backported=(libbpf-dev:1:1.3 libbpf1:1:1.3 bpftool:7.3 librapidfuzz-cpp-dev:3.0)
outdated=()
for entry in "${backported[@]}"; do
  pkg=${entry%%:*} least=${entry#*:}
  version=$(dpkg-query -W -f='${Status} ${Version}' "$pkg" 2>/dev/null || true)
  if [[ $version != "install ok installed "* ]] || ! dpkg --compare-versions "${version##* }" ge "$least"; then
    outdated+=("$pkg")
    echo "setup-deps: $pkg ${version:+${version##* } }is not installed at $least or later"
  fi
done

if ((${#missing[@]} == 0 && ${#outdated[@]} == 0)); then
  echo "setup-deps: all ${#packages[@]} packages already installed, and libbpf $(dpkg-query -W -f='${Version}' libbpf-dev), bpftool $(dpkg-query -W -f='${Version}' bpftool)"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-deps: missing packages: ${missing[*]} ${outdated[*]}; run this script as root (sudo bash $0)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ((${#outdated[@]} > 0)); then
  # shellcheck source=/dev/null
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  if [[ $codename != bookworm ]]; then
    echo "setup-deps: ${outdated[*]} must come from bookworm-backports, and this is not Debian 12 (bookworm)" \
      "but '${codename:-unknown}': install libbpf 1.3 or later, bpftool 7.3 or later and rapidfuzz-cpp 3 yourself" >&2
    exit 1
  fi
fi
# An uncommented line naming the suite (a one-line sources.list entry, or a deb822 Suites: field).
if ((${#outdated[@]} > 0)) && ! grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "setup-deps: adding bookworm-backports to apt's sources (/etc/apt/sources.list.d/bookworm-backports.sources)"
  cat >/etc/apt/sources.list.d/bookworm-backports.sources <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi
apt-get update -qq
if ((${#missing[@]} > 0)); then
  echo "setup-deps: installing ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ((${#outdated[@]} > 0)); then
  echo "setup-deps: installing ${outdated[*]} from bookworm-backports"
  apt-get install -y -qq --no-install-recommends -t bookworm-backports "${outdated[@]}"
fi
