#!/usr/bin/env bash
# The whole test suite: install what is missing, build with -Werror — the
# Python module and the Node addon included — and run every test (the
# bindings' own, their equivalence with the C++ decisions, the FastAPI and
# Express examples); check that `pip install bindings/python` works offline;
# then the C++ tests under AddressSanitizer + UndefinedBehaviorSanitizer; then
# the concurrency tests under ThreadSanitizer; then a short run of every fuzz
# target (clang + libFuzzer; WARDEN_FUZZ_SECONDS each, default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

echo "== build (RelWithDebInfo, -Werror)"
scripts/build.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWARDEN_BUILD_PYTHON=ON -DWARDEN_BUILD_NODE=ON
(cd build && ctest --output-on-failure -j "$(nproc)")

# The Python package as pip installs it, into a fresh virtual environment
# (offline: Debian's setuptools and wheel, no build isolation), reusing the
# build above (WARDEN_CMAKE_BUILD_DIR) so the check costs no second build.
echo "== pip install bindings/python"
rm -rf build/venv
/usr/bin/python3 -m venv --system-site-packages build/venv
WARDEN_CMAKE_BUILD_DIR="$PWD/build" build/venv/bin/pip install -q --no-build-isolation --no-index bindings/python \
  > build/pip-install.log 2>&1 || { cat build/pip-install.log; exit 1; }
(cd build && venv/bin/python -c "
import warden, warden.fastapi
assert '/build/venv/' in warden.__file__, warden.__file__  # the installed copy, not the build tree's
e = warden.Engine(warden.compile('../policies/gateway').artifact)
e.replace_facts('../fixtures/facts/gateway.jsonl')
d = e.decide(api_key='k-read', method='POST', path='/api/2.0/mlflow/registered-models/create')
assert d.code == 'SCOPE_MISSING' and '\`model:write\`' in d.required, d.to_json()
print('pip-installed warden', warden.__version__, 'decides:', d.code, d.required)
")

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
