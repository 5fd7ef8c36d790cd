#!/usr/bin/env bash
# Install the Debian packages Warden needs, only those that are missing.
# Every package, with what it is for:
set -euo pipefail
cd "$(dirname "$0")/.."

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
  # `warden serve`: a real nginx in front of it in the integration test
  # (auth_request) and as the static-200 baseline of the load benchmark
  nginx
  # the load benchmark of `warden serve` (bench/serve/, not a test)
  wrk
  # the server tests check responses against the JSON Schemas of docs/schemas/
  python3-jsonschema
  # the Python module (bindings/python): pybind11 and the headers of Debian's
  # Python 3 (/usr/bin/python3, which builds and tests it); venv, setuptools,
  # wheel and pip for `pip install bindings/python` offline (docs/python.md)
  python3-dev pybind11-dev python3-venv python3-setuptools python3-wheel python3-pip
  # its FastAPI integration and example, tested with pytest and FastAPI's
  # TestClient (httpx), and once under a real uvicorn
  python3-fastapi python3-pytest python3-httpx python3-uvicorn
  # the fuzzers (scripts/fuzz.sh, the fuzz smoke step of scripts/test.sh):
  # libFuzzer and the sanitizer runtimes come with clang's compiler-rt
  clang libclang-rt-14-dev
)
# The Node addon (bindings/node) builds against the installed Node headers
# (node_api.h) and the Express example needs npm. Debian's nodejs, npm and
# libnode-dev (the headers) unless a Node with its headers is already
# installed: Debian's packages would conflict with a Node from elsewhere.
if ! command -v node > /dev/null || ! command -v npm > /dev/null || [ ! -f /usr/include/node/node_api.h ]; then
  packages+=(nodejs npm libnode-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm, for Node packages only, pinned in lockfiles: Express for the Express
# example and its tests (examples/express-api-servers). Installed here, never
# at build or test time; again only when the lockfile changed.
express=examples/express-api-servers
if [ ! -f "$express/node_modules/.package-lock.json" ] || [ "$express/package-lock.json" -nt "$express/node_modules/.package-lock.json" ]; then
  echo "installing: the npm packages of $express (package-lock.json)"
  (cd "$express" && npm ci --no-audit --no-fund --loglevel=error)
fi
