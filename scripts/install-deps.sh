#!/usr/bin/env bash
# Install the Debian packages Warden needs, only those that are missing.
# Every package, with what it is for:
set -euo pipefail

packages=(
  # the build
  g++ cmake make pkg-config
  # the compiler and the table: grammar, serialization, fingerprints
  tao-pegtl-dev libcereal-dev libxxhash-dev
  # Boost 1.81 (header-only parts): static_vector, unordered_flat_map for the
  # fact store, Beast/Asio for `warden serve`. It conflicts with
  # libboost-dev's 1.74, so the whole project uses 1.81.
  libboost1.81-dev
  # strict, fast JSON parsing on the service's request path
  libsimdjson-dev
  # Ed25519 signatures on artifacts
  libsodium-dev
  # facts from PostgreSQL (sources/postgres/): the client library, the
  # mapping file's TOML parser, and the server the tests start themselves
  # (a throwaway cluster on loopback, run with Debian's binaries)
  libpq-dev libtomlplusplus-dev postgresql
  # tests and benchmarks
  catch2 libbenchmark-dev
)

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
