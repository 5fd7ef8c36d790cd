#!/usr/bin/env bash
# The whole test suite: install what is missing, build with -Werror, run every
# test; then the same tests under AddressSanitizer + UndefinedBehaviorSanitizer;
# then the concurrency tests under ThreadSanitizer; then a short run of every
# fuzz target (clang + libFuzzer; WARDEN_FUZZ_SECONDS each, default 20).
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

# A smoke run of every parser fuzzer, from seeds of policies/ and fixtures/:
# any crash, hang, leak or sanitizer report fails the run. Long runs and
# their figures: docs/reliability.md.
echo "== fuzz smoke (clang, libFuzzer, ASan + UBSan): ${WARDEN_FUZZ_SECONDS:-20}s per target"
fuzz_start=$SECONDS
scripts/fuzz.sh all "${WARDEN_FUZZ_SECONDS:-20}"
echo "fuzz smoke: $((SECONDS - fuzz_start))s (build included)"
