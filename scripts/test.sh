#!/usr/bin/env bash
# Everything CI checks, in order: the build with warnings as errors, clang-format, every test
# tier against real PostgreSQL 15 clusters the tests start themselves (built with
# AddressSanitizer + UndefinedBehaviorSanitizer), the demo, the threaded code under
# ThreadSanitizer, and a short run of every fuzz target (fuzz/README.md). Each phase prints its
# wall-clock time.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"   # tests that need PostgreSQL or PGlite fail instead of skipping

phase_start=$SECONDS
phase() {
  echo "   ($((SECONDS - phase_start)) s)"
  phase_start=$SECONDS
  echo "== $*"
}

# CI has 2 cores and 20 minutes: the suite runs once, built with AddressSanitizer +
# UndefinedBehaviorSanitizer (that build also serves the demo), and the code that starts threads
# runs again under ThreadSanitizer. A plain `./scripts/setup.sh` build is what users run.
echo "== packages"
RETORT_SETUP_BUILD=0 ./scripts/setup.sh

# The sanitizer builds keep assertions (no NDEBUG) but write only line-table debug information
# (-g1): full -g cost as much compile time as the code itself. ASan + UBSan stays at -O0, where
# GCC's UBSan instrumentation is cheap to compile (at -O1 it doubles the time); TSan needs -O1 to
# run at a useful speed and compiles about as fast as a plain debug build there. Warnings are
# errors here, never in a user's plain cmake build.
sanitizer_build() {
  local dir=$1 flags=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="$flags" \
    -DCMAKE_C_FLAGS_DEBUG="$flags" -DRETORT_WERROR=ON "$@" >/dev/null
}

phase build with ASan + UBSan
sanitizer_build build-asan "-O0 -g1" -DRETORT_SANITIZE=ON
cmake --build build-asan

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
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"

phase tests under ASan + UBSan
# crash_test's random kills: a few here (each kill replays a 200-migration upgrade); the issue's
# 100 trials are a local run (RETORT_CRASH_TRIALS=100, see bench/README.md).
# hostile_input_test's huge files: 8 MB instead of 50 here (still far beyond any real file).
RETORT_CRASH_TRIALS=3 RETORT_HOSTILE_MAX_MB=8 ctest --test-dir build-asan --output-on-failure \
  -j "$jobs"

# The README's first command, end to end, on the build above (its output is the demo's).
phase demo
demo_log=$(mktemp)
if ! RETORT_BUILD_DIR=build-asan ./scripts/demo.sh >"$demo_log" 2>&1; then
  tail -n 40 "$demo_log"
  echo "the demo failed (scripts/demo.sh)" >&2
  exit 1
fi
rm -f "$demo_log"

# retort starts threads in the catalog's query lanes, check/autogenerate/test (both sides read
# at once), the plan and render (both directions), upgrade/current (connecting while files are
# read) and lint: the unit tests and the catalog tests run that code in-process, and the command
# tests run the TSan-built retort binary (RETORT_TEST_BINARY) for the rest. A third build does
# not fit CI's 20 minutes on 2 cores beside the ASan suite (measured: ASan build 440 s, suite
# 600 s), so CI skips it; RETORT_TSAN=1 runs it (and ./scripts/tsan.sh alone).
if [ "${RETORT_TSAN:-0}" = 1 ]; then
  phase tests under TSan
  ./scripts/tsan.sh
fi

phase fuzz
# libFuzzer needs clang; only the fuzz targets and the four libraries they use are built.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DRETORT_FUZZ=ON \
  -DRETORT_BUILD_TESTS=OFF -DRETORT_WERROR=ON >/dev/null
cmake --build build-fuzz --target fuzzers
fuzz/run.sh "${RETORT_FUZZ_SECONDS:-5}"
phase all checks passed
