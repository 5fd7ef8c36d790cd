#!/bin/sh
# The installed package end to end: install the build tree into a temporary
# prefix, build examples/consumer against it with only find_package(warden),
# compile the gateway policy and run the consumer on it with the gateway
# facts. The consumer exits 0 only when the read key is refused and the write
# key let through; its output must carry the explanation as JSON.
#
# usage: consumer.sh SOURCE_DIR BUILD_DIR WARDEN
set -eu
src=$1 build=$2 warden=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/warden-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$src/examples/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_CXX_COMPILER="$(grep '^CMAKE_CXX_COMPILER:' "$build/CMakeCache.txt" | cut -d= -f2)" > "$work/configure.log" 2>&1 \
  || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/consumer" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$warden" compile "$src/policies/gateway" -o "$work/gateway.wdn" > /dev/null
"$work/consumer/consumer" "$work/gateway.wdn" "$src/fixtures/facts/gateway.jsonl" > "$work/out.txt"
cat "$work/out.txt"
grep -q '^{"outcome":"deny","allowed":false,"code":"SCOPE_MISSING",.*"request_id":"consumer-k-read"' "$work/out.txt"
grep -q '^{"outcome":"allow","allowed":true,.*"request_id":"consumer-k-write"' "$work/out.txt"
grep -q '^policy: loaded$' "$work/out.txt"
grep -q '^facts: loaded$' "$work/out.txt"
echo "consumer ok"
