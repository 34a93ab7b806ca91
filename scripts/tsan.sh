#!/usr/bin/env bash
# The threaded code under ThreadSanitizer: the unit tests and the catalog tests in-process, and
# the command tests against the TSan-built retort binary. Assumes ./scripts/setup.sh ran and
# build-asan holds the test binaries (scripts/test.sh builds it); RETORT_TSAN_ALL=1 runs the
# whole suite from a TSan build instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DRETORT_WERROR=ON -DRETORT_SANITIZE=thread >/dev/null
jobs=$(nproc)
if [ "${RETORT_TSAN_ALL:-0}" = 1 ]; then
  cmake --build build-tsan
  RETORT_CRASH_TRIALS=4 ctest --test-dir build-tsan --output-on-failure -j "$jobs"
  exit 0
fi
cmake --build build-tsan --target retort retort_unit_tests catalog_test inspect_sessions_test
build-tsan/tests/retort_unit_tests --gtest_brief=1
build-tsan/tests/catalog_test --gtest_brief=1
build-tsan/tests/inspect_sessions_test --gtest_brief=1
RETORT_TEST_BINARY="$PWD/build-tsan/retort" RETORT_CRASH_TRIALS=2 ctest --test-dir build-asan \
  --output-on-failure -j "$jobs" \
  -R '^(engine_commands_test|commands_test|concurrency_test|verification_test|naming_convention_test)$'
