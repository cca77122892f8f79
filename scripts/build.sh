#!/usr/bin/env bash
# Installs the dependencies (Debian packages) and builds probectl into build/. Run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$(nproc)"
