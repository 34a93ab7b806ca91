#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12's packages, then configures build/ and
# builds the retort binary there (the tests: `cmake --build build`). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libpq-dev postgresql-15 postgresql-client-15
  # corpus_test's OpenStreetMap schema (osmosis) needs PostGIS (a newer postgresql-15 minor comes
  # with it; the tests' clusters start fresh).
  postgresql-15-postgis-3
  libpg-query-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-format
  # tests/integration/cli_test.cc runs the completion scripts in real zsh and fish and renders
  # the man pages with groff (script(1), for a pseudo-terminal, is in Debian's essential set).
  zsh fish groff-base
  # `retort import alembic` and the SQLAlchemy provider run in the user's Python; the tests use
  # Debian's Alembic 1.8 / SQLAlchemy 1.4 with both drivers an Alembic project may name.
  python3 python3-alembic python3-sqlalchemy python3-asyncpg python3-psycopg2
  # The sanitizer builds and the fuzz targets (clang, lld, libFuzzer), and readable sanitizer
  # stacks (llvm-symbolizer).
  clang libclang-rt-14-dev llvm lld
)

# The pgvector example is tested against PGlite, which runs on node (Debian 12 ships node 18).
# A node installed some other way (nodesource, nvm) is fine: only a missing one is installed.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done

if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  # retort runs its own private clusters; Debian's default "main" cluster is not needed.
  $sudo mkdir -p /etc/postgresql-common
  if [ ! -f /etc/postgresql-common/createcluster.conf ] ||
     ! grep -q '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
    echo "create_main_cluster = false" | $sudo tee -a /etc/postgresql-common/createcluster.conf >/dev/null
  fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PGlite and pgvector for tests/integration/pgvector_test.cc, exactly as locked; again only when
# package-lock.json changed since the last install. Not fatal here (the build and the demo do not
# need them); scripts/test.sh insists.
pglite_dir=tests/pglite
if ! cmp -s "$pglite_dir/package-lock.json" "$pglite_dir/node_modules/.retort-installed-lock"; then
  echo "setup: npm ci in $pglite_dir"
  if (cd "$pglite_dir" && npm ci --no-audit --no-fund --loglevel=error); then
    cp "$pglite_dir/package-lock.json" "$pglite_dir/node_modules/.retort-installed-lock"
  else
    echo "setup: npm ci failed; the pgvector tests skip (and fail under CI=true) until it succeeds" >&2
  fi
fi

# RETORT_SETUP_BUILD=0: the packages only (scripts/test.sh builds its own configurations).
if [ "${RETORT_SETUP_BUILD:-1}" = 0 ]; then exit 0; fi
build_dir="${RETORT_BUILD_DIR:-build}"
# A build directory configured before keeps its configuration (test.sh's sanitizer build serves
# the demo in CI); a new one, or one given settings, is configured here.
if [ ! -f "$build_dir/CMakeCache.txt" ] || (($#)); then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
cmake --build "$build_dir" --target retort
