#!/usr/bin/env bash
# Configure and build one configuration: scripts/build.sh BUILD_DIR [cmake args...]
set -euo pipefail
dir="$1"; shift
cmake -S "$(dirname "$0")/.." -B "$dir" -DWARDEN_WERROR=ON "$@" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
cmake --build "$dir" -j "$(nproc)"
