#!/usr/bin/env bash
# Backfill benchmark: `UPDATE t SET b = a` over ROWS rows three ways on the same table of a
# throwaway PostgreSQL 15 cluster, reset to the same state before each run:
#   single     one UPDATE statement (psql)
#   predicate  retort batches that find their rows with a WHERE predicate
#              (`-- retort:batch size=BATCH`, :batch_size bound, run until 0 rows)
#   keyed      retort walks the primary key in ranges (`-- retort:batch size=BATCH key=id`,
#              :batch_start/:batch_end bound, batch size adapted to ~100 ms)
# Reports rows/s, the ratio to the single statement, and the longest, median and 95th
# percentile batch (the time from BEGIN to COMMIT: an upper bound on how long a row lock was
# held). See bench/README.md.
#
# Usage: bench/backfill_bench.sh [ROWS=10000000] [BATCH=10000]
# Environment: RETORT_BIN (default build/retort, relative to the repo root), BENCH_PORT (55741),
#              PG_BIN (/usr/lib/postgresql/15/bin), BENCH_KEEP=1 keeps the temp dir,
#              BENCH_MODES (default "single predicate keyed": which runs, in that order).
set -euo pipefail
cd "$(dirname "$0")/.."

rows=${1:-10000000}
batch=${2:-10000}
port=${BENCH_PORT:-55741}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
retort_bin=${RETORT_BIN:-build/retort}
modes=${BENCH_MODES:-single predicate keyed}

die() {
  echo "backfill_bench: $*" >&2
  exit 1
}

for value in "$rows" "$batch" "$port"; do
  [[ $value =~ ^[0-9]+$ ]] || die "not a number: '$value' (usage: bench/backfill_bench.sh [ROWS] [BATCH])"
done
((rows >= 1 && batch >= 1)) || die "ROWS and BATCH must be at least 1"
for mode in $modes; do
  [[ $mode =~ ^(single|predicate|keyed)$ ]] || die "unknown mode '$mode' in BENCH_MODES (single, predicate, keyed)"
done
[[ -x $retort_bin ]] || die "no retort binary at $retort_bin; build first: ./scripts/setup.sh"
retort_bin=$(cd "$(dirname "$retort_bin")" && pwd)/$(basename "$retort_bin")
for tool in initdb pg_ctl psql; do
  [[ -x $pg_bin/$tool ]] || die "missing $pg_bin/$tool; install postgresql-15: ./scripts/setup.sh"
done
psql_bin=$pg_bin/psql

unset RETORT_DATABASE_URL DATABASE_URL PGSERVICE PGSERVICEFILE PGOPTIONS

# shellcheck source=bench/lib.sh
source bench/lib.sh  # the scripts cd to the repository root first
# Checkpoints spaced out so that no run pays for one another caused.
bench_start_cluster backfill-bench "shared_buffers = 1GB
max_wal_size = 16GB
checkpoint_timeout = 1h"

sql() { PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -X -qAt -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" "$@"; }

echo "backfill_bench: loading $rows rows ..." >&2
sql -d postgres -c "CREATE DATABASE bench"
sql -d bench -c "CREATE TABLE t_template (id bigint NOT NULL, a int NOT NULL, b int)" \
  -c "INSERT INTO t_template SELECT g, (g % 100000)::int, NULL FROM generate_series(1, $rows) g"

# Every run starts from the same t: freshly loaded, indexed, vacuumed, checkpointed. The partial
# index is what a real backfill adds to find the rows still to do (the predicate mode uses it);
# every run maintains it. Autovacuum is off: the single statement's dead rows only appear at its
# commit, the batches' during the run, and vacuum's work is not what is measured here.
reset_table() {
  sql -d bench -c "DROP TABLE IF EXISTS t, retort_version, retort_history, retort_progress" \
    -c "CREATE TABLE t (id bigint PRIMARY KEY, a int NOT NULL, b int) WITH (autovacuum_enabled = off)" \
    -c "INSERT INTO t SELECT * FROM t_template" \
    -c "CREATE INDEX t_todo ON t (id) WHERE b IS NULL" \
    -c "VACUUM ANALYZE t" \
    -c "CHECKPOINT"
}

mkdir -p "$project/migrations/versions"
cat >"$project/retort.toml" <<EOF
[database]
url = "postgresql:///bench?host=$tmp&port=$port&user=$superuser"
EOF
migration() {
  cat >"$project/migrations/versions/r1_backfill.sql" <<EOF
-- retort:revision r1
-- retort:message backfill t.b
-- retort:transaction none

-- retort:upgrade
$1
EOF
}

TIMEFORMAT='%R'
declare -A wall summary
for mode in $modes; do
  echo "backfill_bench: reset, then $mode ..." >&2
  reset_table
  case $mode in
  single)
    wall[$mode]=$({ time sql -d bench -c "UPDATE t SET b = a" >/dev/null; } 2>&1)
    ;;
  predicate)
    # The best a user can write without retort's help: each batch starts at the first row still
    # to do, found through the partial index.
    migration "-- retort:batch size=$batch
WITH next AS (SELECT min(id) AS first_id FROM t WHERE b IS NULL)
UPDATE t SET b = a FROM next
 WHERE id >= next.first_id AND id < next.first_id + :batch_size AND b IS NULL;"
    ;;
  keyed)
    migration "-- retort:batch size=$batch key=id
UPDATE t SET b = a WHERE id BETWEEN :batch_start AND :batch_end AND b IS NULL;"
    ;;
  esac
  if [[ $mode != single ]]; then
    wall[$mode]=$({ time (cd "$project" && "$retort_bin" upgrade head >"$tmp/$mode.out" 2>"$tmp/$mode.err"); } 2>&1) ||
      { cat "$tmp/$mode.err" >&2; die "retort failed ($mode)"; }
    # "r1 statement 1/1 (...): 10,000,000 rows in 312 batches of 6,250-15,000 by id (1 to
    #  10000000), 38.2 s, 261,780 rows/s, longest batch 150.1 ms, p50 98.0 ms, p95 120.4 ms"
    summary[$mode]=$(grep -E 'rows in .* batches of' "$tmp/$mode.err") ||
      { cat "$tmp/$mode.err" >&2; die "no batch summary in retort's output ($mode)"; }
  fi
  done_rows=$(sql -d bench -c "SELECT count(*) FROM t WHERE b = a")
  [[ $done_rows == "$rows" ]] || die "$mode: t has $done_rows rows with b = a, expected $rows"
done

printf 'backfill %d rows, table reset before each run; batches start at size %d (order: %s)\n' "$rows" "$batch" "$modes"
printf '  %-10s %8s %10s %10s %9s %14s %9s %9s %9s\n' mode "wall s" "rows/s" "vs single" batches "sizes" "longest" "p50" "p95"
for mode in $modes; do
  if [[ $mode == single ]]; then
    awk -v rows="$rows" -v wall="${wall[$mode]}" 'BEGIN {
      printf "  %-10s %8.2f %10.0f %10s %9d %14s %6.0f ms %9s %9s  (every row locked until commit)\n", "single", wall, rows / wall, "100%", 1, "-", wall * 1000, "-", "-" }'
    continue
  fi
  line=${summary[$mode]}
  batches=$(sed -E 's/.* rows in ([0-9,]+) batches.*/\1/' <<<"$line" | tr -d ,)
  sizes=$(sed -E 's/.* batches of ([0-9,-]+).*/\1/' <<<"$line" | tr -d ,)
  longest=$(sed -E 's/.*longest batch ([0-9.]+) ms.*/\1/' <<<"$line")
  p50=$(sed -E 's/.*p50 ([0-9.]+) ms.*/\1/' <<<"$line")
  p95=$(sed -E 's/.*p95 ([0-9.]+) ms.*/\1/' <<<"$line")
  awk -v rows="$rows" -v wall="${wall[$mode]}" -v single="${wall[single]:-}" -v mode="$mode" \
    -v batches="$batches" -v sizes="$sizes" -v longest="$longest" -v p50="$p50" -v p95="$p95" 'BEGIN {
    ratio = single == "" ? "-" : sprintf("%.0f%%", 100 * single / wall)
    printf "  %-10s %8.2f %10.0f %10s %9d %14s %6.1f ms %6.1f ms %6.1f ms\n", mode, wall, rows / wall, ratio, batches, sizes, longest, p50, p95 }'
done
echo "  targets: batched throughput >= 80% of the single statement's, no batch over 200 ms"
