#!/usr/bin/env bash
# Everything CI checks, in order: clang-format, the build with warnings as errors, every test
# tier against real PostgreSQL 15 clusters the tests start themselves, the demo, then the same
# suite under AddressSanitizer + UndefinedBehaviorSanitizer and under ThreadSanitizer, and a
# short run of every fuzz target (fuzz/README.md). Each phase prints its wall-clock time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"   # tests that need PostgreSQL or PGlite fail instead of skipping

phase_start=$SECONDS
phase() {
  echo "   ($((SECONDS - phase_start)) s)"
  phase_start=$SECONDS
  echo "== $*"
}

echo "== build"
# Warnings are errors here and in every build below, never in a user's plain cmake build.
# Line tables only (-g1): full debug information costs as much compile time as the code.
./scripts/setup.sh -DRETORT_WERROR=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"

phase clang-format
mapfile -t sources < <(git ls-files '*.h' '*.cc' 2>/dev/null || find src tests bench -name '*.h' -o -name '*.cc')
clang-format --dry-run -Werror "${sources[@]}"

# pgvector_test fails in CI without PGlite's packages: make sure setup left them in place.
if [ ! -d tests/pglite/node_modules/@electric-sql/pglite-socket ]; then
  (cd tests/pglite && npm ci --no-audit --no-fund --loglevel=error)
fi

# roundtrip_test fails in CI without the Debian packages' schemas (apt-get download, cached).
./scripts/fetch_schemas.sh

jobs=$(nproc)
phase tests
ctest --test-dir build --output-on-failure -j "$jobs"

# The README's first command, end to end (its output is the demo's, not a test report).
phase demo
demo_log=$(mktemp)
if ! ./scripts/demo.sh >"$demo_log" 2>&1; then
  tail -n 40 "$demo_log"
  echo "the demo failed (scripts/demo.sh)" >&2
  exit 1
fi
rm -f "$demo_log"

# The sanitizer builds keep assertions (no NDEBUG) but write only line-table debug information
# (-g1): full -g cost as much compile time as the code itself. ASan + UBSan stays at -O0, where
# GCC's UBSan instrumentation is cheap to compile (at -O1 it doubles the time); TSan needs -O1 to
# run the suite at a useful speed and compiles about as fast as a plain debug build there.
sanitizer_build() {
  local dir=$1 flags=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="$flags" \
    -DCMAKE_C_FLAGS_DEBUG="$flags" -DRETORT_WERROR=ON "$@" >/dev/null
  cmake --build "$dir"
}

phase tests under ASan + UBSan
sanitizer_build build-asan "-O0 -g1" -DRETORT_SANITIZE=ON
# The crash test's random kills are the plain run's job; here a few, for the sanitizers' sake.
RETORT_CRASH_TRIALS=4 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

phase tests under TSan
sanitizer_build build-tsan "-O1 -g1" -DRETORT_SANITIZE=thread
# halt_on_error: the first race fails its test, with both stacks in the output.
RETORT_CRASH_TRIALS=4 TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" \
  ctest --test-dir build-tsan --output-on-failure -j "$jobs"

phase fuzz
# libFuzzer needs clang; only the fuzz targets and the four libraries they use are built.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DRETORT_FUZZ=ON \
  -DRETORT_BUILD_TESTS=OFF -DRETORT_WERROR=ON >/dev/null
cmake --build build-fuzz --target fuzzers
fuzz/run.sh "${RETORT_FUZZ_SECONDS:-20}"
phase all checks passed
