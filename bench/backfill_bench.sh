#!/usr/bin/env bash
# Backfill benchmark: one `UPDATE t SET b = a` over ROWS rows against the same backfill run by
# retort as a batched statement (`-- retort:batch size=BATCH`, each batch its own transaction),
# on two identical tables of the same throwaway PostgreSQL 15 cluster in the same run. Reports
# the throughput ratio and the longest batch (the longest time any row lock was held).
# See bench/README.md.
#
# Usage: bench/backfill_bench.sh [ROWS=10000000] [BATCH=10000]
# Environment: RETORT_BIN (default build/retort, relative to the repo root), BENCH_PORT (55741),
#              PG_BIN (/usr/lib/postgresql/15/bin), BENCH_KEEP=1 keeps the temp dir,
#              BATCH_FIRST=1 runs the batched backfill before the single statement.
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${1:-10000000}
batch=${2:-10000}
port=${BENCH_PORT:-55741}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
retort_bin=${RETORT_BIN:-build/retort}

die() {
  echo "backfill_bench: $*" >&2
  exit 1
}

for value in "$rows" "$batch" "$port"; do
  [[ $value =~ ^[0-9]+$ ]] || die "not a number: '$value' (usage: bench/backfill_bench.sh [ROWS] [BATCH])"
done
((rows >= 1 && batch >= 1)) || die "ROWS and BATCH must be at least 1"
[[ -x $retort_bin ]] || die "no retort binary at $retort_bin; build first: ./scripts/setup.sh"
retort_bin=$(cd "$(dirname "$retort_bin")" && pwd)/$(basename "$retort_bin")
for tool in initdb pg_ctl psql; do
  [[ -x $pg_bin/$tool ]] || die "missing $pg_bin/$tool; install postgresql-15: ./scripts/setup.sh"
done
psql_bin=$pg_bin/psql

unset RETORT_DATABASE_URL DATABASE_URL PGSERVICE PGSERVICEFILE PGOPTIONS

# shellcheck source=bench/lib.sh
source bench/lib.sh  # the scripts cd to the repository root first
# Checkpoints spaced out so that neither run pays for one the other caused.
bench_start_cluster backfill-bench "shared_buffers = 1GB
max_wal_size = 16GB
checkpoint_timeout = 1h"

sql() { PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -X -qAt -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" "$@"; }

# --- two identical tables -------------------------------------------------------------------------
# The partial index is what a real backfill adds to find the rows still to do; both tables have
# it, so both runs maintain the same indexes. Autovacuum is off for both: the single statement's
# dead rows only appear at its commit, the batches' during the run, and vacuum's work is not what
# is measured here.
echo "backfill_bench: loading 2 x $rows rows ..." >&2
sql -d postgres -c "CREATE DATABASE bench"
sql -d bench <<EOF
CREATE TABLE t_single (id bigint PRIMARY KEY, a int NOT NULL, b int) WITH (autovacuum_enabled = off);
INSERT INTO t_single SELECT g, (g % 100000)::int, NULL FROM generate_series(1, $rows) g;
CREATE INDEX t_single_todo ON t_single (id) WHERE b IS NULL;
CREATE TABLE t_batch (id bigint PRIMARY KEY, a int NOT NULL, b int) WITH (autovacuum_enabled = off);
INSERT INTO t_batch SELECT * FROM t_single;
CREATE INDEX t_batch_todo ON t_batch (id) WHERE b IS NULL;
VACUUM ANALYZE t_single;
VACUUM ANALYZE t_batch;
CHECKPOINT;
EOF

mkdir -p "$project/migrations/versions"
cat >"$project/retort.toml" <<EOF
[database]
url = "postgresql:///bench?host=$tmp&port=$port&user=$superuser"
EOF
# Keyset form: each batch takes the next id range from the first row still to do (found through
# the partial index), so no batch rescans the rows done before it.
cat >"$project/migrations/versions/r1_backfill.sql" <<EOF
-- retort:revision r1
-- retort:message backfill t_batch.b
-- retort:transaction none

-- retort:upgrade
-- retort:batch size=$batch
-- retort:estimate SELECT count(*) FROM t_batch WHERE b IS NULL
WITH next AS (SELECT min(id) AS first_id FROM t_batch WHERE b IS NULL)
UPDATE t_batch SET b = a FROM next
 WHERE id >= next.first_id AND id < next.first_id + :batch_size AND b IS NULL;
EOF

TIMEFORMAT='%R'
run_single() {
  echo "backfill_bench: single UPDATE ..." >&2
  single_wall=$({ time sql -d bench -c "UPDATE t_single SET b = a" >/dev/null; } 2>&1)
  sql -d bench -c "CHECKPOINT"
}
run_batched() {
  echo "backfill_bench: batched (retort, size=$batch) ..." >&2
  batch_wall=$({ time (cd "$project" && "$retort_bin" upgrade head >"$tmp/retort.out" 2>"$tmp/retort.err"); } 2>&1) ||
    { cat "$tmp/retort.err" >&2; die "retort failed"; }
  sql -d bench -c "CHECKPOINT"
}
if [[ ${BATCH_FIRST:-0} == 1 ]]; then
  order="batched first"
  run_batched
  run_single
else
  order="single first"
  run_single
  run_batched
fi

for table in t_single t_batch; do
  done_rows=$(sql -d bench -c "SELECT count(*) FROM $table WHERE b = a")
  [[ $done_rows == "$rows" ]] || die "$table has $done_rows rows with b = a, expected $rows"
done

# "r1 statement 1/1 (...): 10,000,000 rows in 1,001 batches of 10,000, 95.3 s, 104,932 rows/s,
#  longest batch 87.1 ms"
summary=$(grep -E 'rows in .* batches of' "$tmp/retort.err") || { cat "$tmp/retort.err" >&2; die "no batch summary in retort's output"; }
batches=$(sed -E 's/.* rows in ([0-9,]+) batches.*/\1/' <<<"$summary" | tr -d ,)
longest=$(sed -E 's/.*longest batch ([0-9.]+) ms.*/\1/' <<<"$summary")

awk -v rows="$rows" -v batch="$batch" -v single="$single_wall" -v batched="$batch_wall" \
  -v batches="$batches" -v longest="$longest" -v order="$order" 'BEGIN {
  single_rate = rows / single; batch_rate = rows / batched
  printf "backfill %d rows: one UPDATE vs retort batches of %d (%s)\n", rows, batch, order
  printf "  single UPDATE:  %7.2f s  %9.0f rows/s  (every row locked until commit: %.0f ms)\n", single, single_rate, single * 1000
  printf "  batched:        %7.2f s  %9.0f rows/s  %d batches, longest batch %.1f ms\n", batched, batch_rate, batches, longest
  printf "  throughput batched/single: %.0f%% (target >= 80%%)   longest batch: %.1f ms (target <= 200 ms)\n", 100 * batch_rate / single_rate, longest
}'
