#!/usr/bin/env bash
# Engine benchmark: retort's catalog reader, diff and check on generated schemas of N tables
# (mixed column types incl. jsonb and an enum, a primary key, a foreign key to the previous table,
# three indexes incl. GIN), each against its floor, all on one throwaway PostgreSQL 15 cluster:
#   (a) `retort inspect URL`            vs `pg_dump --schema-only` of the same database
#   (b) `retort diff URL URL`           vs Alembic autogenerate (compare_metadata) between two
#                                          identical databases / a database and its metadata
#   (c) `retort check` cold and warm    vs the same schema files and migrations applied with psql
#       (and hot: nothing changed since, both sides read from the templates they left)
# See bench/README.md.
#
# Usage: bench/engine_bench.sh [SIZES="200 2000"] [ROUNDS=3]
# SHAPES="chain wide" (default both): the generator's schema shapes (bench/gen_engine_schema.py).
# Environment: RETORT_BIN (default build/retort, relative to the repo root), BENCH_PORT (55600),
#              PG_BIN (/usr/lib/postgresql/15/bin), PYTHON (/usr/bin/python3, with
#              python3-alembic and python3-psycopg2), ALEMBIC=0 skips Alembic,
#              BENCH_KEEP=1 keeps the temp dir (cluster stopped) for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=${1:-200 2000}
rounds=${2:-3}
port=${BENCH_PORT:-55600}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
retort_bin=${RETORT_BIN:-build/retort}
python=${PYTHON:-/usr/bin/python3}
run_alembic=${ALEMBIC:-1}
shapes=${SHAPES:-chain wide}
bench_dir=$(pwd)/bench

die() {
  echo "engine_bench: $*" >&2
  exit 1
}

for value in $sizes "$rounds" "$port"; do
  [[ $value =~ ^[0-9]+$ ]] || die "not a number: '$value' (usage: bench/engine_bench.sh [\"SIZES\"] [ROUNDS])"
done
((rounds >= 1)) || die "ROUNDS must be at least 1"
[[ -x $retort_bin ]] || die "no retort binary at $retort_bin; build first: ./scripts/setup.sh"
retort_bin=$(cd "$(dirname "$retort_bin")" && pwd)/$(basename "$retort_bin")
for tool in initdb pg_ctl psql pg_dump; do
  [[ -x $pg_bin/$tool ]] || die "missing $pg_bin/$tool; install postgresql-15: ./scripts/setup.sh"
done
[[ -x /usr/bin/time ]] || die "missing /usr/bin/time (peak memory): apt-get install time"
[[ -x $python ]] || die "missing $python (the schema generator needs Python 3's standard library)"
if [[ $run_alembic == 1 ]] && ! "$python" -c 'import alembic, psycopg2' 2>/dev/null; then
  die "Alembic is not importable by $python: apt-get install -y python3-alembic python3-psycopg2 (or ALEMBIC=0)"
fi
psql_bin=$pg_bin/psql

unset RETORT_DATABASE_URL DATABASE_URL PGSERVICE PGSERVICEFILE PGOPTIONS

# shellcheck source=bench/lib.sh
source bench/lib.sh # the scripts cd to the repository root first
# A schema file is one transaction: it locks every table and index it creates.
bench_start_cluster engine-bench "max_locks_per_transaction = 1024"

sql() { PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -X -qAt -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" "$@"; }
url() { echo "postgresql:///$1?host=$tmp&port=$port&user=$superuser"; }

# --- measurement helpers --------------------------------------------------------------------------
# timed OUTPUT TIMING CMD...: the command's output in OUTPUT, "wall_seconds peak_rss_kb" in TIMING.
# Wall time from bash's `time` (ms resolution), peak RSS from /usr/bin/time (%M, the largest
# resident set of the process, in KB).
TIMEFORMAT='%R'
timed() {
  local output=$1 timing=$2
  shift 2
  local status=0
  { time /usr/bin/time -f '%M' -o "$timing.rss" "$@" >"$output" 2>"$output.err"; } 2>"$timing.wall" || status=$?
  echo "$(cat "$timing.wall") $(tail -n 1 "$timing.rss")" >"$timing"
  return $status
}
# timed_shell TIMING FUNCTION: wall time of a shell function (the floors), "wall 0" in TIMING.
timed_shell() {
  local timing=$1
  shift
  { time "$@"; } 2>"$timing.wall"
  echo "$(cat "$timing.wall") 0" >"$timing"
}
wall_of() { awk '{ printf "%.4f", $1 }' "$1"; }
rss_of() { awk '{ printf "%d", $2 }' "$1"; }
max_of() { printf '%s\n' "$@" | sort -g | tail -n 1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
times_faster() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.0fx", b / a; else print "n/a" }'; }
secs() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.0f ms", s * 1000; else printf "%.2f s", s }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

fail_with() {
  local output=$1
  shift
  tail -n 20 "$output.err" "$output" >&2 2>/dev/null || true
  die "$*"
}

# Databases (and retort's templates, spares and scratch databases) whose names start with $1.
drop_databases_like() {
  local name
  for name in $(sql -d postgres -c "SELECT datname FROM pg_database WHERE datname LIKE '$1%'"); do
    sql -d postgres -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"
  done
}

peak_rss_all=()
summary=()

bench_size() {
  local n=$1 shape=$2
  local gen=$tmp/gen$n$shape
  local db_a=engine_${n}_${shape}_a db_b=engine_${n}_${shape}_b
  local label="$n $shape"
  local round

  "$python" "$bench_dir/gen_engine_schema.py" --shape "$shape" "$n" "$gen"
  local statements
  statements=$(grep -c ';$' "$gen/all.sql")
  local schema_files=("$gen"/schema/*.sql)
  local migration_count
  migration_count=$(find "$gen/migrations/versions" -name '*.sql' | wc -l)

  # Two identical databases: the schema applied once, then copied.
  sql -d postgres -c "CREATE DATABASE $db_a"
  sql -d "$db_a" -f "$gen/all.sql" >/dev/null
  sql -d postgres -c "CREATE DATABASE $db_b TEMPLATE $db_a"
  local tables
  tables=$(sql -d "$db_b" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  [[ $tables == "$n" ]] || die "$db_b has $tables tables, expected $n"

  # The project check runs in: the generated schema/ and migrations, the bench cluster as the
  # (throwaway-tuned) dev server.
  local project_n=$project/p$n$shape
  mkdir -p "$project_n"
  cp -r "$gen/schema" "$gen/migrations" "$project_n/"
  # As `retort init` writes it: retort keeps its caches in .retort/ where git ignores it.
  echo ".retort/" >"$project_n/.gitignore"
  cat >"$project_n/retort.toml" <<EOF
[database]
url = "$(url "$db_a")"

[migrations]
script_location = "migrations"

[schema]
paths = ["schema"]
dev_url = "$(url postgres)"
EOF
  local retort=("$retort_bin" --config "$project_n/retort.toml")
  cd "$project_n"

  echo "== $n tables, shape $shape ($statements statements; ${#schema_files[@]} schema files, $migration_count migrations)"

  # --- (a) inspect vs pg_dump --schema-only ------------------------------------------------------
  local inspect_walls=() dump_walls=() inspect_rss=()
  for ((round = 1; round <= rounds; round++)); do
    local order
    for order in $( ((round % 2)) && echo "dump inspect" || echo "inspect dump"); do
      if [[ $order == dump ]]; then
        timed "$tmp/dump.out" "$tmp/dump.time" "$pg_bin/pg_dump" --schema-only -h "$tmp" -p "$port" \
          -U "$superuser" -d "$db_a" || fail_with "$tmp/dump.out" "pg_dump failed"
        dump_walls+=("$(wall_of "$tmp/dump.time")")
      else
        timed "$tmp/inspect.out" "$tmp/inspect.time" "${retort[@]}" inspect "$(url "$db_a")" ||
          fail_with "$tmp/inspect.out" "retort inspect failed: (cd $project_n && ${retort[*]} inspect '$(url "$db_a")')"
        inspect_walls+=("$(wall_of "$tmp/inspect.time")")
        inspect_rss+=("$(rss_of "$tmp/inspect.time")")
      fi
    done
  done
  local inspected
  inspected=$(grep -c '^CREATE TABLE' "$tmp/inspect.out" || true)
  [[ $inspected == "$n" ]] || die "retort inspect printed $inspected CREATE TABLE statements, expected $n"
  local inspect_wall dump_wall
  inspect_wall=$(median "${inspect_walls[@]}")
  dump_wall=$(median "${dump_walls[@]}")
  printf '  (a) %-40s %9s   peak %s\n' "retort inspect:" "$(secs "$inspect_wall")" "$(mb "$(max_of "${inspect_rss[@]}")")"
  printf '      %-40s %9s\n' "pg_dump --schema-only:" "$(secs "$dump_wall")"
  printf '      ratio inspect/pg_dump: %s  (target <= 0.25x)\n' "$(ratio "$inspect_wall" "$dump_wall")"
  summary+=("$(printf '%11s  (a) inspect/pg_dump   %6s   %s vs %s' "$label" "$(ratio "$inspect_wall" "$dump_wall")" "$(secs "$inspect_wall")" "$(secs "$dump_wall")")")

  # --- (b) diff of two identical databases vs Alembic autogenerate ---------------------------------
  local diff_walls=() diff_rss=()
  for ((round = 1; round <= rounds; round++)); do
    timed "$tmp/diff.out" "$tmp/diff.time" "${retort[@]}" diff "$(url "$db_a")" "$(url "$db_b")" ||
      fail_with "$tmp/diff.out" "retort diff failed"
    [[ ! -s $tmp/diff.out ]] || fail_with "$tmp/diff.out" "retort diff found differences between identical databases"
    diff_walls+=("$(wall_of "$tmp/diff.time")")
    diff_rss+=("$(rss_of "$tmp/diff.time")")
  done
  local diff_wall diff_peak
  diff_wall=$(median "${diff_walls[@]}")
  diff_peak=$(max_of "${diff_rss[@]}")
  printf '  (b) %-40s %9s   peak %s\n' "retort diff URL URL:" "$(secs "$diff_wall")" "$(mb "$diff_peak")"
  if [[ $run_alembic == 1 ]]; then
    # Once: it is slow, and its time hardly varies at this scale. A first import compiles
    # models.py; that is not what is measured.
    "$python" -c "import sys; sys.path.insert(0, '$gen'); import models" ||
      die "the generated models.py does not import"
    timed "$tmp/alembic.out" "$tmp/alembic.time" "$python" "$bench_dir/alembic_autogenerate.py" "$gen" \
      "postgresql+psycopg2://$superuser@/$db_b?host=$tmp&port=$port" ||
      fail_with "$tmp/alembic.out" "Alembic autogenerate failed"
    grep -q '^alembic differences: 0$' "$tmp/alembic.out" ||
      fail_with "$tmp/alembic.out" "Alembic found differences: models.py does not match the schema"
    local alembic_wall alembic_peak
    alembic_wall=$(wall_of "$tmp/alembic.time")
    alembic_peak=$(rss_of "$tmp/alembic.time")
    printf '      %-40s %9s   peak %s\n' "Alembic compare_metadata (1 run):" "$(secs "$alembic_wall")" "$(mb "$alembic_peak")"
    printf '      retort diff is %s faster  (target >= 50x)\n' "$(times_faster "$diff_wall" "$alembic_wall")"
    summary+=("$(printf '%11s  (b) Alembic/diff      %6s   %s vs %s; peak %s vs %s' "$label" "$(times_faster "$diff_wall" "$alembic_wall")" \
      "$(secs "$diff_wall")" "$(secs "$alembic_wall")" "$(mb "$diff_peak")" "$(mb "$alembic_peak")")")
  fi

  # --- (c) check, cold and warm, vs psql -----------------------------------------------------------
  # Floors, each into fresh databases made here (CREATE DATABASE is part of the work):
  #   cold: the schema files into one database and the migrations (one transaction and one
  #         version-row update each) into another, in parallel as retort does;
  #   warm: the schema files alone (retort's warm check reads the migrations' template and applies
  #         the schema files, one of them edited since).
  # Each schema file runs as one transaction (psql -1), as retort applies it: statement by
  # statement in autocommit would be a slower floor (a commit per statement).
  apply_schema_files() {
    sql -d postgres -c "CREATE DATABASE floor_schema" &&
      for file in "${schema_files[@]}"; do sql -d floor_schema -1 -f "$file" || return 1; done
  }
  apply_migrations() {
    sql -d postgres -c "CREATE DATABASE floor_migrations" && sql -d floor_migrations -f "$gen/floor_migrations.sql"
  }
  cold_floor() {
    local schema_pid migrations_pid
    apply_schema_files >/dev/null &
    schema_pid=$!
    apply_migrations >/dev/null &
    migrations_pid=$!
    wait "$schema_pid" && wait "$migrations_pid"
  }
  warm_floor() { apply_schema_files >/dev/null; }
  drop_floor_databases() {
    sql -d postgres -c "DROP DATABASE IF EXISTS floor_schema" -c "DROP DATABASE IF EXISTS floor_migrations"
  }
  run_check() { # KIND
    timed "$tmp/check.out" "$tmp/check.time" "${retort[@]}" check ||
      fail_with "$tmp/check.out" "retort check ($1) failed: (cd $project_n && ${retort[*]} check)"
    grep -q '^migrations match' "$tmp/check.out" || fail_with "$tmp/check.out" "retort check ($1) did not say the migrations match"
    cp "$tmp/check.out.err" "$tmp/check.$1.log"
  }

  local cold_walls=() warm_walls=() hot_walls=() cold_floor_walls=() warm_floor_walls=() check_rss=()
  local cold_ratios=() warm_ratios=()
  for ((round = 1; round <= rounds; round++)); do
    # Cold: no template, no spare database left by an earlier run.
    drop_databases_like retort_
    drop_floor_databases
    sql -d postgres -c CHECKPOINT
    timed_shell "$tmp/floor.time" cold_floor || die "the cold floor failed (psql)"
    cold_floor_walls+=("$(wall_of "$tmp/floor.time")")
    drop_floor_databases
    sql -d postgres -c CHECKPOINT
    run_check cold
    grep -q 'replayed' "$tmp/check.cold.log" || fail_with "$tmp/check.out" "cold check did not replay the migrations"
    cold_walls+=("$(wall_of "$tmp/check.time")")
    check_rss+=("$(rss_of "$tmp/check.time")")
    # Warm: the migrations' template the cold run kept is read instead of replaying; a schema
    # file edited since (a comment) is applied again, as after editing the desired schema.
    local last_schema_file
    last_schema_file=$(find "$project_n/schema" -name '*.sql' | sort | tail -n 1)
    echo "-- edited in round $round" >>"$last_schema_file"
    sql -d postgres -c CHECKPOINT
    run_check warm
    grep -q 'read from template' "$tmp/check.warm.log" || fail_with "$tmp/check.out" "warm check did not use the template"
    grep -q 'applied' "$tmp/check.warm.log" || fail_with "$tmp/check.out" "warm check did not apply the edited schema files"
    warm_walls+=("$(wall_of "$tmp/check.time")")
    check_rss+=("$(rss_of "$tmp/check.time")")
    # Hot: nothing changed since: both sides are read from their templates.
    run_check hot
    grep -Eq 'files? read from template' "$tmp/check.hot.log" || fail_with "$tmp/check.out" "hot check applied the schema files"
    hot_walls+=("$(wall_of "$tmp/check.time")")
    sql -d postgres -c CHECKPOINT
    timed_shell "$tmp/floor.time" warm_floor || die "the warm floor failed (psql)"
    warm_floor_walls+=("$(wall_of "$tmp/floor.time")")
    drop_floor_databases
    cold_ratios+=("$(ratio "${cold_walls[-1]}" "${cold_floor_walls[-1]}")")
    warm_ratios+=("$(ratio "${warm_walls[-1]}" "${warm_floor_walls[-1]}")")
    printf '      round %d: cold %s vs floor %s (%s) | warm %s vs floor %s (%s)\n' "$round" \
      "$(secs "${cold_walls[-1]}")" "$(secs "${cold_floor_walls[-1]}")" "${cold_ratios[-1]}" \
      "$(secs "${warm_walls[-1]}")" "$(secs "${warm_floor_walls[-1]}")" "${warm_ratios[-1]}" >&2
  done
  local cold_wall warm_wall hot_wall cold_floor_wall warm_floor_wall check_peak
  cold_wall=$(median "${cold_walls[@]}")
  warm_wall=$(median "${warm_walls[@]}")
  hot_wall=$(median "${hot_walls[@]}")
  cold_floor_wall=$(median "${cold_floor_walls[@]}")
  warm_floor_wall=$(median "${warm_floor_walls[@]}")
  check_peak=$(max_of "${check_rss[@]}")
  printf '  (c) %-40s %9s   peak %s\n' "retort check, cold:" "$(secs "$cold_wall")" "$(mb "$check_peak")"
  printf '      %-40s %9s\n' "floor: schema files + migrations, psql:" "$(secs "$cold_floor_wall")"
  printf '      %-40s %9s\n' "retort check, warm (template):" "$(secs "$warm_wall")"
  printf '      %-40s %9s\n' "floor: schema files, psql:" "$(secs "$warm_floor_wall")"
  printf '      %-40s %9s   (%s of the warm floor)\n' "retort check, hot (both templates):" \
    "$(secs "$hot_wall")" "$(ratio "$hot_wall" "$warm_floor_wall")"
  printf '      ratio cold: %s  warm: %s  (targets <= 1.2x)\n' \
    "$(ratio "$cold_wall" "$cold_floor_wall")" "$(ratio "$warm_wall" "$warm_floor_wall")"
  echo "      last runs' log: cold: $(grep -h 'applied\|replayed' "$tmp/check.cold.log" | tr '\n' ' ')"
  echo "                      warm: $(grep -h 'applied\|template' "$tmp/check.warm.log" | tr '\n' ' ')"
  echo "                      hot: $(grep -h 'template' "$tmp/check.hot.log" | tr '\n' ' ')"
  summary+=("$(printf '%11s  (c) check cold/floor  %6s   %s vs %s' "$label" "$(ratio "$cold_wall" "$cold_floor_wall")" "$(secs "$cold_wall")" "$(secs "$cold_floor_wall")")")
  summary+=("$(printf '%11s  (c) check warm/floor  %6s   %s vs %s' "$label" "$(ratio "$warm_wall" "$warm_floor_wall")" "$(secs "$warm_wall")" "$(secs "$warm_floor_wall")")")
  summary+=("$(printf '%11s  (c) check hot/floor   %6s   %s vs %s' "$label" "$(ratio "$hot_wall" "$warm_floor_wall")" "$(secs "$hot_wall")" "$(secs "$warm_floor_wall")")")

  local peak
  peak=$(max_of "${inspect_rss[@]}" "${diff_rss[@]}" "${check_rss[@]}")
  peak_rss_all+=("$n $shape:$peak")
  printf '  peak RSS of retort (inspect, diff, check): %s  (target <= 100 MB at 2000 tables)\n' "$(mb "$peak")"

  cd "$project"
  drop_databases_like retort_
  sql -d postgres -c "DROP DATABASE $db_a" -c "DROP DATABASE $db_b"
  rm -rf "$gen"
}

mkdir -p "$project"
for shape in $shapes; do
  [[ $shape == chain || $shape == wide ]] || die "unknown shape '$shape' (SHAPES: chain, wide)"
  for n in $sizes; do bench_size "$n" "$shape"; done
done

echo
echo "summary (median of $rounds rounds; Alembic 1 run)"
printf '%s\n' "${summary[@]}"
for entry in "${peak_rss_all[@]}"; do
  printf '%11s  peak RSS of retort       %s\n' "${entry%%:*}" "$(mb "${entry#*:}")"
done
