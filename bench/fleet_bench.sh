#!/usr/bin/env bash
# Fleet benchmark: `retort fleet status` (no-op) over N databases, and a one-migration rollout
# over the same N at width 1, 4 and 8, each reported as a ratio to the same command on a single
# target measured in the same run: `retort current` for status, `retort upgrade` of the same
# migration for the rollout. All targets are databases of one throwaway PostgreSQL 15 cluster.
# See bench/README.md.
#
# Usage: bench/fleet_bench.sh [N=100] [ROUNDS=5]
# Environment: RETORT_BIN (default build/retort, relative to the repo root), BENCH_PORT (55650),
#              PG_BIN (/usr/lib/postgresql/15/bin), BENCH_KEEP=1 keeps the temp dir.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-100}
rounds=${2:-5}
port=${BENCH_PORT:-55650}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
retort_bin=${RETORT_BIN:-build/retort}

die() {
  echo "fleet_bench: $*" >&2
  exit 1
}

for value in "$n" "$rounds" "$port"; do
  [[ $value =~ ^[0-9]+$ ]] || die "not a number: '$value' (usage: bench/fleet_bench.sh [N] [ROUNDS])"
done
((n >= 2 && rounds >= 1)) || die "N must be at least 2 and ROUNDS at least 1"
[[ -x $retort_bin ]] || die "no retort binary at $retort_bin; build first: ./scripts/setup.sh"
retort_bin=$(cd "$(dirname "$retort_bin")" && pwd)/$(basename "$retort_bin")
for tool in initdb pg_ctl psql; do
  [[ -x $pg_bin/$tool ]] || die "missing $pg_bin/$tool; install postgresql-15: ./scripts/setup.sh"
done
unset RETORT_DATABASE_URL DATABASE_URL PGSERVICE PGSERVICEFILE PGOPTIONS

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start_cluster fleet-bench "autovacuum = off
max_connections = 200"

sql() { "$pg_bin/psql" -X -qAt -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" "$@"; }
url() { echo "postgresql:///$1?host=$tmp&port=$port&user=$superuser"; }

# N target databases plus one for the single-target baseline, each at the base migration.
mkdir -p "$project/migrations/versions" "$project/fleet"
echo ".retort/" >"$project/.gitignore"
cat >"$project/retort.toml" <<EOF
[database]
url = "$(url single)"

[migrations]
lock_timeout = "5s"

[[targets]]
name = "all"
file = "fleet/all.txt"
canary = 1
EOF
cat >"$project/migrations/versions/r1.sql" <<'EOF'
-- retort:revision r1
-- retort:message  base

-- retort:upgrade
CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);

-- retort:downgrade
DROP TABLE accounts;
EOF
cat >"$project/migrations/versions/r2.sql" <<'EOF'
-- retort:revision r2
-- retort:revises  r1
-- retort:message  the migration rolled out

-- retort:upgrade
ALTER TABLE accounts ADD COLUMN email text;
CREATE INDEX accounts_email_idx ON accounts (email);

-- retort:downgrade
DROP INDEX accounts_email_idx;
ALTER TABLE accounts DROP COLUMN email;
EOF
sql -d postgres -c "CREATE DATABASE single" >/dev/null
for ((k = 1; k <= n; k++)); do
  sql -d postgres -c "CREATE DATABASE target_$k STRATEGY = FILE_COPY" >/dev/null
  url "target_$k" >>"$project/fleet/all.txt"
done
cd "$project"
"$retort_bin" upgrade r1 >/dev/null 2>&1 || die "upgrade r1 failed"
"$retort_bin" fleet upgrade all r1 --width 8 >/dev/null 2>&1 || die "fleet upgrade r1 failed"

TIMEFORMAT='%R'
# Wall seconds of one run of "$@" (output discarded; a failure stops the bench).
wall() {
  local seconds
  { seconds=$({ time "$@" >/dev/null 2>"$tmp/last.err"; } 2>&1); } || {
    cat "$tmp/last.err" >&2
    die "failed: $*"
  }
  echo "$seconds"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

declare -a single_current status single_upgrade w1 w4 w8
for ((round = 1; round <= rounds; round++)); do
  single_current+=("$(wall "$retort_bin" current)")
  status+=("$(wall "$retort_bin" fleet status all)")
  single_upgrade+=("$(wall "$retort_bin" upgrade r2)")
  "$retort_bin" downgrade r1 >/dev/null 2>&1 || die "downgrade failed"
  for width in 1 4 8; do
    declare -n times=w$width
    times+=("$(wall "$retort_bin" fleet upgrade all r2 --width "$width")")
    "$retort_bin" fleet downgrade all r1 --width 8 >/dev/null 2>&1 || die "fleet downgrade failed"
    unset -n times
  done
done

m_current=$(printf '%s\n' "${single_current[@]}" | median)
m_status=$(printf '%s\n' "${status[@]}" | median)
m_upgrade=$(printf '%s\n' "${single_upgrade[@]}" | median)
echo "fleet bench: $n targets, $rounds rounds, medians (seconds) and ratios to one target"
printf '%-34s %8s %8s %10s\n' "" "seconds" "ratio" "per target"
printf '%-34s %8.3f %8s %10s\n' "single target: current" "$m_current" "1.00" ""
printf '%-34s %8.3f %8s %10s\n' "fleet status ($n targets, no-op)" "$m_status" \
  "$(ratio "$m_status" "$m_current")" "$(ratio "$m_status" "$(awk -v c="$m_current" -v n="$n" 'BEGIN { print c * n }')")"
printf '%-34s %8.3f %8s %10s\n' "single target: upgrade r2" "$m_upgrade" "1.00" ""
for width in 1 4 8; do
  declare -n times=w$width
  m=$(printf '%s\n' "${times[@]}" | median)
  printf '%-34s %8.3f %8s %10s\n' "fleet upgrade, width $width" "$m" "$(ratio "$m" "$m_upgrade")" \
    "$(ratio "$m" "$(awk -v c="$m_upgrade" -v n="$n" 'BEGIN { print c * n }')")"
  unset -n times
done
echo "(per target: the fleet's time over N single-target runs; below 1 means the fleet beats a"
echo " loop of single commands)"
