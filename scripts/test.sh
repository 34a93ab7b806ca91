#!/usr/bin/env bash
# Everything CI checks, in order: the build with warnings as errors, clang-format, every test
# tier against real PostgreSQL 15 clusters the tests start themselves (built with
# AddressSanitizer + UndefinedBehaviorSanitizer), the demo, the threaded code under
# ThreadSanitizer, the Release build and its .deb, the CI recipes of docs/ci.md, and a short run
# of every fuzz target (fuzz/README.md). Each phase prints its
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
# (-g1): full -g cost as much compile time as the code itself. Both link with lld. Warnings are
# errors here, never in a user's plain cmake build.
#
# ASan + UBSan is built by clang at -O0: GCC 12 took 416 s for it on 2 cores (its UBSan
# instrumentation doubles compile time), clang 197 s. The executables are not position
# independent: a PIE of this size spends a quarter of every start in the dynamic loader's
# relocations, and the suite starts retort thousands of times (measured: 532 s -> 476 s).
# TSan is built by GCC at -O1, so that GCC's warnings stay errors in CI too.
sanitizer_build() {
  local dir=$1 flags=$2 linker=$3
  shift 3
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="$flags" \
    -DCMAKE_C_FLAGS_DEBUG="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fuse-ld=lld $linker" \
    -DRETORT_WERROR=ON "$@" >/dev/null
}

# corpus_test and roundtrip_test fail in CI without the Debian packages' schemas: 41 packages
# downloaded (about 80 s cold, cached after) while the compiler has the CPU; waited for below.
schemas_log=$(mktemp)
./scripts/fetch_schemas.sh >"$schemas_log" 2>&1 &
schemas_pid=$!

phase build with ASan + UBSan
sanitizer_build build-asan "-O0 -g1" "-no-pie" -DRETORT_SANITIZE=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
cmake --build build-asan

phase clang-format
mapfile -t sources < <(git ls-files '*.h' '*.cc' 2>/dev/null || find src tests bench -name '*.h' -o -name '*.cc')
clang-format --dry-run -Werror "${sources[@]}"

# pgvector_test fails in CI without PGlite's packages: make sure setup left them in place.
if [ ! -d tests/pglite/node_modules/@electric-sql/pglite-socket ]; then
  (cd tests/pglite && npm ci --no-audit --no-fund --loglevel=error)
fi

if ! wait "$schemas_pid"; then
  cat "$schemas_log"
  echo "fetching the Debian packages' schemas failed (scripts/fetch_schemas.sh)" >&2
  exit 1
fi
cat "$schemas_log"
rm -f "$schemas_log"

jobs=$(nproc)
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1"

phase tests under ASan + UBSan
# crash_test's random kills: a few here (each kill replays a 200-migration upgrade); the issue's
# 100 trials are a local run (RETORT_CRASH_TRIALS=100, see bench/README.md). tests/CMakeLists.txt
# orders the tests longest first, shards golden_test, and lists the few tests that start retort
# hundreds of times without LeakSanitizer's exit scan.
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
# read), drift and the engine's second session: scripts/tsan.sh builds retort with TSan and runs
# the command tests that reach each of those sites against it (RETORT_TEST_BINARY). RETORT_TSAN_ALL=1 ./scripts/tsan.sh runs the
# whole suite from a TSan build (twice CI's budget on 2 cores).
phase tests under TSan
./scripts/tsan.sh

# The build users and packagers run: Release with Debian's flags (dpkg-buildflags), GCC,
# warnings as errors, the retort target only, packed as a .deb and checked on a clean root
# (scripts/package.sh). Its binary then runs the CI recipes of docs/ci.md. GCC's optimiser
# warns about what it inlines (-O3 differs from the sanitizer builds' -O0/-O1); clang warns from
# its front end whatever the level, so the ASan build (clang, -Werror) covers clang, and a
# second Release build (8 CPU-minutes) is left to `scripts/package.sh clang` outside CI.
phase release build with GCC and the .deb
RETORT_WERROR=ON ./scripts/package.sh gcc build-release

phase CI recipes
./scripts/ci_recipe.sh build-release/retort

phase fuzz
# libFuzzer needs clang; only the fuzz targets and the four libraries they use are built.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
  -DRETORT_FUZZ=ON -DRETORT_BUILD_TESTS=OFF -DRETORT_WERROR=ON >/dev/null
cmake --build build-fuzz --target fuzzers
fuzz/run.sh "${RETORT_FUZZ_SECONDS:-5}"
phase all checks passed
