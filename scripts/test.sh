#!/usr/bin/env bash
# The whole test suite: install what is missing, build with -Werror, run every
# test; then the same tests under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== build (RelWithDebInfo, -Werror)"
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd build && ctest --output-on-failure -j "$(nproc)")

echo "== installed package: an example service built against find_package(warden)"
rm -rf build/install build/consumer
cmake --install build --prefix build/install > /dev/null
build/cli/warden compile policies/gateway -o build/gateway.wdn
cmake -S examples/consumer -B build/consumer -DCMAKE_PREFIX_PATH="$PWD/build/install" > build/consumer.configure.log
cmake --build build/consumer -j "$(nproc)" > build/consumer.build.log
build/consumer/consumer build/gateway.wdn

echo "== build (ASan + UBSan)"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DWARDEN_SANITIZE=address -DWARDEN_BUILD_BENCH=OFF
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$(nproc)")
