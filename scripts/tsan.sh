#!/usr/bin/env bash
# The threaded code under ThreadSanitizer (GCC, -O1): the catalog's in-process tests (query lanes
# share one libpq connection between two threads), then the command tests that reach every other
# place retort starts a thread, run against the TSan-built retort (RETORT_TEST_BINARY) by the test
# binaries of build-asan. Assumes ./scripts/setup.sh ran and build-asan holds the test binaries
# (scripts/test.sh builds it). RETORT_TSAN_ALL=1 builds and runs the whole suite under TSan instead.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld -DRETORT_WERROR=ON \
  -DRETORT_SANITIZE=thread >/dev/null
jobs=$(nproc)
if [ "${RETORT_TSAN_ALL:-0}" = 1 ]; then
  cmake --build build-tsan
  RETORT_CRASH_TRIALS=4 ctest --test-dir build-tsan --output-on-failure -j "$jobs"
  exit 0
fi
# The unit tests are left out of CI's TSan run: the two that start threads (plan and render) run
# under TSan through check, diff and autogenerate in the command tests, and compiling the unit
# tests a second time costs a minute of CI's twenty.
cmake --build build-tsan --target retort catalog_test inspect_sessions_test
build-tsan/tests/catalog_test --gtest_brief=1
build-tsan/tests/inspect_sessions_test --gtest_brief=1
# Which site each reaches: commands_test (upgrade/current connecting while reading files, check and
# autogenerate), engine_commands_test (the engine's second session), verification_test (`retort
# test` and drift), concurrency_test (deployers racing), naming_convention_test (autogenerate on a
# scratch database with the naming pass).
RETORT_TEST_BINARY="$PWD/build-tsan/retort" ctest --test-dir build-asan --output-on-failure \
  -j "$jobs" \
  -R '^(engine_commands_test|commands_test|concurrency_test|verification_test|naming_convention_test)$'
