#!/usr/bin/env bash
# Apply benchmark: `retort upgrade head` over N generated migrations (one table + one index each)
# against the floor -- the same DDL through one psql session, one transaction and one version-row
# update per migration -- both on the same throwaway PostgreSQL 15 cluster in the same run.
# Then the no-op bench: `retort upgrade head` and `retort current` at head against a bare psql
# round trip. See bench/README.md.
#
# Usage: bench/apply_bench.sh [N=1000] [ROUNDS=3]
# Environment: RETORT_BIN (default build/retort, relative to the repo root), BENCH_PORT (55500),
#              NOOP_RUNS (20; 0 skips the no-op bench), PG_BIN (/usr/lib/postgresql/15/bin),
#              BENCH_KEEP=1 keeps the temp dir (cluster stopped) for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-1000}
rounds=${2:-3}
noop_runs=${NOOP_RUNS:-20}
port=${BENCH_PORT:-55500}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
retort_bin=${RETORT_BIN:-build/retort}

die() {
  echo "apply_bench: $*" >&2
  exit 1
}

for value in "$n" "$rounds" "$noop_runs" "$port"; do
  [[ $value =~ ^[0-9]+$ ]] || die "not a number: '$value' (usage: bench/apply_bench.sh [N] [ROUNDS])"
done
((n >= 1 && rounds >= 1)) || die "N and ROUNDS must be at least 1"
[[ -x $retort_bin ]] || die "no retort binary at $retort_bin; build first: ./scripts/setup.sh"
retort_bin=$(cd "$(dirname "$retort_bin")" && pwd)/$(basename "$retort_bin")
for tool in initdb pg_ctl psql; do
  [[ -x $pg_bin/$tool ]] || die "missing $pg_bin/$tool; install postgresql-15: ./scripts/setup.sh"
done
psql_bin=$pg_bin/psql

# The config's URL is what we measure against; the environment would override it.
unset RETORT_DATABASE_URL DATABASE_URL PGSERVICE PGSERVICEFILE PGOPTIONS

# shellcheck source=bench/lib.sh
source bench/lib.sh  # the scripts cd to the repository root first
bench_start_cluster apply-bench

sql() { PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -X -qAt -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" "$@"; }

# --- generated project and floor script -----------------------------------------------------------
width=$((${#n} > 4 ? ${#n} : 4))
rev() { printf "r%0${width}d" "$1"; }
last_rev=$(rev "$n")

mkdir -p "$project/migrations/versions"
cat >"$project/retort.toml" <<EOF
[database]
url = "postgresql:///bench_retort?host=$tmp&port=$port&user=$superuser"

[migrations]
script_location = "migrations"
lock_timeout = "5s"
EOF

floor_sql=$tmp/floor.sql
bare_sql=$tmp/bare.sql
# The bare floor: the DDL and the version row, nothing else (no lock_timeout, no history row).
echo "CREATE TABLE retort_version (version_num varchar(32) NOT NULL," \
  "CONSTRAINT retort_version_pkc PRIMARY KEY (version_num));" >"$bare_sql"
{
  echo "CREATE TABLE retort_version (version_num varchar(32) NOT NULL," \
    "CONSTRAINT retort_version_pkc PRIMARY KEY (version_num));"
  for ((k = 1; k <= n; k++)); do
    printf -v id "%0${width}d" "$k"
    printf -v previous "r%0${width}d" $((k - 1))
    table=t$id
    create_table="CREATE TABLE $table (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());"
    create_index="CREATE INDEX ${table}_name_idx ON $table (name);"
    {
      echo "-- retort:revision  r$id"
      ((k == 1)) || echo "-- retort:revises   $previous"
      echo "-- retort:message   table $k"
      echo
      echo "-- retort:upgrade"
      echo "$create_table"
      echo "$create_index"
      echo
      echo "-- retort:downgrade"
      echo "DROP TABLE $table;"
    } >"$project/migrations/versions/$id-r${id}_table_$k.sql"
    if ((k == 1)); then
      version="INSERT INTO retort_version (version_num) VALUES ('r$id');"
    else
      version="UPDATE retort_version SET version_num = 'r$id' WHERE version_num = '$previous';"
    fi
    printf '%s\n' "BEGIN;" "$create_table" "$create_index" "$version" "COMMIT;" >>"$bare_sql"
    printf '%s\n' "BEGIN;" "SET LOCAL lock_timeout = '5s';" "$create_table" "$create_index" \
      "$version" "COMMIT;"
  done
} >"$floor_sql"

# --- measurement helpers --------------------------------------------------------------------------
# Runs a command with its output in $1, the `time` keyword's "real user sys" in $2.
# user+sys is the CPU of the client process only; the server's work is in neither figure.
TIMEFORMAT='%R %U %S'
timed() {
  local output=$1 timing=$2
  shift 2
  { time "$@" >"$output" 2>&1; } 2>"$timing"
}
wall_of() { awk '{ printf "%.4f", $1 }' "$1"; }
cpu_of() { awk '{ printf "%.4f", $2 + $3 }' "$1"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
  if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
seconds() { awk -v s="$1" 'BEGIN { printf "%.2f s", s }'; }
millis() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }

run_floor() {
  timed "$tmp/floor.out" "$tmp/floor.time" \
    "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" -d bench_floor \
    -f "$floor_sql" || { cat "$tmp/floor.out" >&2; die "the floor script failed (psql -f $floor_sql)"; }
  floor_walls+=("$(wall_of "$tmp/floor.time")")
  floor_cpus+=("$(cpu_of "$tmp/floor.time")")
}

run_bare() {
  timed "$tmp/bare.out" "$tmp/bare.time" \
    "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" -d bench_bare \
    -f "$bare_sql" || { cat "$tmp/bare.out" >&2; die "the bare floor script failed (psql -f $bare_sql)"; }
  bare_walls+=("$(wall_of "$tmp/bare.time")")
  bare_cpus+=("$(cpu_of "$tmp/bare.time")")
}

run_retort() {
  timed "$tmp/retort.out" "$tmp/retort.time" \
    "$retort_bin" --config "$project/retort.toml" upgrade head ||
    { tail -n 20 "$tmp/retort.out" >&2; die "retort failed: (cd $project && $retort_bin --config $project/retort.toml upgrade head)"; }
  retort_walls+=("$(wall_of "$tmp/retort.time")")
  retort_cpus+=("$(cpu_of "$tmp/retort.time")")
}

verify() {
  local db=$1 tables versions
  tables=$(sql -d "$db" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+\$'") ||
    die "round $round: could not count the tables of $db"
  versions=$(sql -d "$db" -c "SELECT coalesce(string_agg(version_num, ','), '') FROM retort_version" 2>&1) ||
    die "round $round: $db has no readable retort_version: $versions"
  [[ $tables == "$n" ]] || die "round $round: $db has $tables tables t%, expected $n"
  [[ $versions == "$last_rev" ]] || die "round $round: $db retort_version holds '$versions', expected '$last_rev'"
}

# retort runs from the project dir, as in a deploy; everything else uses absolute paths.
cd "$project"

# --- apply bench ----------------------------------------------------------------------------------
floor_walls=() floor_cpus=() bare_walls=() bare_cpus=() retort_walls=() retort_cpus=()
round_ratios=() bare_ratios=()
for ((round = 1; round <= rounds; round++)); do
  for db in bench_retort bench_floor bench_bare; do
    sql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  done
  sql -d postgres -c "CHECKPOINT"
  # Retort runs between its two floors, first or last in turn, so that a warm cache or drifting
  # load favours none of the three.
  if ((round % 2)); then
    order="floor, retort, bare"
    run_floor
    run_retort
    run_bare
  else
    order="bare, retort, floor"
    run_bare
    run_retort
    run_floor
  fi
  verify bench_floor
  verify bench_bare
  verify bench_retort
  round_ratios+=("$(awk -v a="${retort_walls[-1]}" -v b="${floor_walls[-1]}" \
    'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }')")
  bare_ratios+=("$(awk -v a="${retort_walls[-1]}" -v b="${bare_walls[-1]}" \
    'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }')")
  printf '  round %d (%s): floor wall %s | bare wall %s | retort wall %s cpu %s | ratios %sx, bare %sx\n' \
    "$round" "$order" "$(seconds "${floor_walls[-1]}")" "$(seconds "${bare_walls[-1]}")" \
    "$(seconds "${retort_walls[-1]}")" "$(seconds "${retort_cpus[-1]}")" "${round_ratios[-1]}" \
    "${bare_ratios[-1]}" >&2
done

floor_wall=$(median "${floor_walls[@]}")
floor_cpu=$(median "${floor_cpus[@]}")
bare_wall=$(median "${bare_walls[@]}")
bare_cpu=$(median "${bare_cpus[@]}")
retort_wall=$(median "${retort_walls[@]}")
retort_cpu=$(median "${retort_cpus[@]}")

echo "apply $n migrations ($((2 * n)) statements), median of $rounds round$( ((rounds == 1)) || echo s)"
printf '  %-64s wall %s  cpu %s\n' \
  "floor (psql, 1 session, 1 txn + 1 version update per migration):" \
  "$(seconds "$floor_wall")" "$(seconds "$floor_cpu")" \
  "bare floor (psql: BEGIN; DDL; version row; COMMIT per migration):" \
  "$(seconds "$bare_wall")" "$(seconds "$bare_cpu")" \
  "retort upgrade head:" "$(seconds "$retort_wall")" "$(seconds "$retort_cpu")"
echo "  ratio retort/floor: wall $(ratio "$retort_wall" "$floor_wall")  (target <= 1.10x)" \
  "  cpu $(ratio "$retort_cpu" "$floor_cpu")"
# Each round's pair ran back to back, so its ratio is less exposed to load that drifts between
# rounds than the ratio of the medians.
echo "  ratio retort/bare floor: wall $(ratio "$retort_wall" "$bare_wall")  (target <= 1.10x; <= 1.0x pipelined)" \
  "  cpu $(ratio "$retort_cpu" "$bare_cpu")"
echo "  per-round wall ratios: ${round_ratios[*]}  (median $(median "${round_ratios[@]}" | awk '{ printf "%.2f", $1 }')x)"
echo "  per-round wall ratios to the bare floor: ${bare_ratios[*]}  (median $(median "${bare_ratios[@]}" | awk '{ printf "%.2f", $1 }')x)"
echo "  (cpu = user+sys of the client process: retort, or psql for the floor; server CPU is in neither)"

# --- no-op bench ----------------------------------------------------------------------------------
((noop_runs > 0)) || exit 0

psql_walls=() psql_cpus=() current_walls=() current_cpus=() noop_walls=() noop_cpus=()
# Interleaved so that drift in the machine's load hits all three alike.
for ((run = 1; run <= noop_runs; run++)); do
  timed "$tmp/noop.out" "$tmp/noop.time" \
    "$psql_bin" -X -qAt -h "$tmp" -p "$port" -U "$superuser" -d bench_retort \
    -c 'SELECT version_num FROM retort_version' || { cat "$tmp/noop.out" >&2; die "psql round trip failed"; }
  psql_walls+=("$(wall_of "$tmp/noop.time")")
  psql_cpus+=("$(cpu_of "$tmp/noop.time")")

  timed "$tmp/noop.out" "$tmp/noop.time" "$retort_bin" --config "$project/retort.toml" current ||
    { cat "$tmp/noop.out" >&2; die "retort failed: (cd $project && $retort_bin --config $project/retort.toml current)"; }
  grep -q "$last_rev" "$tmp/noop.out" ||
    { cat "$tmp/noop.out" >&2; die "retort current does not report $last_rev"; }
  current_walls+=("$(wall_of "$tmp/noop.time")")
  current_cpus+=("$(cpu_of "$tmp/noop.time")")

  timed "$tmp/noop.out" "$tmp/noop.time" "$retort_bin" --config "$project/retort.toml" upgrade head ||
    { cat "$tmp/noop.out" >&2; die "retort failed: (cd $project && $retort_bin --config $project/retort.toml upgrade head) at head"; }
  noop_walls+=("$(wall_of "$tmp/noop.time")")
  noop_cpus+=("$(cpu_of "$tmp/noop.time")")
done
round="no-op"
verify bench_retort

psql_wall=$(median "${psql_walls[@]}")
psql_cpu=$(median "${psql_cpus[@]}")
current_wall=$(median "${current_walls[@]}")
current_cpu=$(median "${current_cpus[@]}")
noop_wall=$(median "${noop_walls[@]}")
noop_cpu=$(median "${noop_cpus[@]}")

echo
echo "no-op at head ($n migrations on disk), median of $noop_runs runs each"
printf '  %-40s wall %s  cpu %s\n' \
  "psql round trip (SELECT version_num):" "$(millis "$psql_wall")" "$(millis "$psql_cpu")"
printf '  %-40s wall %s  cpu %s   ratio wall %s  cpu %s\n' \
  "retort current:" "$(millis "$current_wall")" "$(millis "$current_cpu")" \
  "$(ratio "$current_wall" "$psql_wall")" "$(ratio "$current_cpu" "$psql_cpu")" \
  "retort upgrade head (nothing to do):" "$(millis "$noop_wall")" "$(millis "$noop_cpu")" \
  "$(ratio "$noop_wall" "$psql_wall")" "$(ratio "$noop_cpu" "$psql_cpu")"
echo "  (target: about 1x the psql round trip)"
