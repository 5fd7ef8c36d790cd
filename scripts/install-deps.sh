#!/usr/bin/env bash
# Install the Debian packages Warden needs, only those that are missing.
set -euo pipefail

packages=(g++ cmake make pkg-config tao-pegtl-dev libboost-dev libxxhash-dev libcereal-dev libbenchmark-dev catch2)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
