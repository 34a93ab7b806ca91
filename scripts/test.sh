#!/usr/bin/env bash
# Everything CI checks, in order: clang-format, the build with warnings as errors, every test
# tier against real PostgreSQL 15 clusters the tests start themselves, then the same suite
# under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI="${CI:-true}"   # tests that need PostgreSQL or PGlite fail instead of skipping

./scripts/setup.sh

echo "== clang-format"
mapfile -t sources < <(git ls-files '*.h' '*.cc' 2>/dev/null || find src tests bench -name '*.h' -o -name '*.cc')
clang-format --dry-run -Werror "${sources[@]}"

# pgvector_test fails in CI without PGlite's packages: make sure setup left them in place.
if [ ! -d tests/pglite/node_modules/@electric-sql/pglite-socket ]; then
  (cd tests/pglite && npm ci --no-audit --no-fund --loglevel=error)
fi

# roundtrip_test fails in CI without the Debian packages' schemas (apt-get download, cached).
./scripts/fetch_schemas.sh

jobs=$(nproc)
echo "== tests"
ctest --test-dir build --output-on-failure -j "$jobs"

# The README's first command, end to end (its output is the demo's, not a test report).
echo "== demo"
demo_log=$(mktemp)
if ! ./scripts/demo.sh >"$demo_log" 2>&1; then
  tail -n 40 "$demo_log"
  echo "the demo failed (scripts/demo.sh)" >&2
  exit 1
fi
rm -f "$demo_log"

echo "== tests under ASan + UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DRETORT_SANITIZE=ON >/dev/null
cmake --build build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
echo "== all checks passed"
