#!/usr/bin/env bash
# The peer benchmark, one command, from anywhere:
#
#   bash bench/peers/run.sh [--rounds R] [--min-seconds S] [--seed N] [--requests N] [--out FILE] [--check-only]
#
# Installs what is missing (the project's Debian packages; Node.js from
# Debian if there is none; the npm packages pinned in package-lock.json),
# builds `warden` and the C++ harness (Release, in $BUILD_DIR, default
# build-release), then runs js/run.mjs: generate, cross-check every engine's
# decisions, time them, print the table and write the results JSON
# (default $BUILD_DIR/peers/results.json). See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=${BUILD_DIR:-build-release}

scripts/install-deps.sh
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  # Debian 12's nodejs (18) and npm are enough for the engines' packages.
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
(cd bench/peers && npm ci --no-audit --no-fund --loglevel=error)

# -O3 in GCC 12 has known false-positive warnings (see scripts/run.sh): the
# Release build reports warnings without failing.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DWARDEN_WERROR=OFF -DWARDEN_BUILD_PEERS=ON \
  > "$build_dir.configure.log" 2>&1 || { cat "$build_dir.configure.log"; exit 1; }
cmake --build "$build_dir" -j "$(nproc)" --target warden warden_peers_harness

node bench/peers/js/run.mjs --build-dir "$build_dir" "$@"
