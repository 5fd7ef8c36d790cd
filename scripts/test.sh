#!/usr/bin/env bash
# The whole test suite: install what is missing, build with -Werror, run every
# test; then the same tests under AddressSanitizer + UndefinedBehaviorSanitizer;
# then the concurrency tests under ThreadSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== build (RelWithDebInfo, -Werror)"
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo
(cd build && ctest --output-on-failure -j "$(nproc)")

echo "== build (ASan + UBSan)"
scripts/build.sh build-asan -DCMAKE_BUILD_TYPE=Debug -DWARDEN_SANITIZE=address -DWARDEN_BUILD_BENCH=OFF
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j "$(nproc)")

# Only the concurrency tests and what they link (runtime, watcher, compiler
# for the test policies; no cli, no benchmarks): the TSan build stays small.
echo "== build (ThreadSanitizer): concurrency_tests"
cmake -S . -B build-tsan -DWARDEN_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWARDEN_SANITIZE=thread \
  -DWARDEN_BUILD_BENCH=OFF > build-tsan.configure.log 2>&1 || { cat build-tsan.configure.log; exit 1; }
cmake --build build-tsan -j "$(nproc)" --target concurrency_tests
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build-tsan/tests/concurrency_tests
