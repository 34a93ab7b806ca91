#!/usr/bin/env bash
# Apply benchmark: `retort upgrade head` over N generated migrations (one table + one index each)
# against the floor -- the same DDL through one psql session, one transaction and one version-row
# update per migration -- both on the same throwaway PostgreSQL 15 cluster in the same run.
# Then the no-op bench: `retort upgrade head` and `retort current` at head against a bare psql
# round trip. See bench/README.md.
#
# Usage: bench/apply_bench.sh [N=1000] [ROUNDS=3] (a multiple of 3: each client takes each place;
#        0 skips the apply bench: one untimed `retort upgrade head`, then the no-op bench)
# Environment: RETORT_BIN (default build/retort, relative to the repo root), BENCH_PORT (55500),
#              NOOP_RUNS (20; 0 skips the no-op bench), PG_BIN (/usr/lib/postgresql/15/bin),
#              NOOP_BASELINE_BIN (a second retort timed in the no-op bench, interleaved: an A/B),
#              BENCH_KEEP=1 keeps the temp dir (cluster stopped) for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-1000}
rounds=${2:-3}
noop_runs=${NOOP_RUNS:-20}
port=${BENCH_PORT:-55500}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
retort_bin=${RETORT_BIN:-build/retort}
baseline_bin=${NOOP_BASELINE_BIN:-}

die() {
  echo "apply_bench: $*" >&2
  exit 1
}

for value in "$n" "$rounds" "$noop_runs" "$port"; do
  [[ $value =~ ^[0-9]+$ ]] || die "not a number: '$value' (usage: bench/apply_bench.sh [N] [ROUNDS])"
done
((n >= 1)) || die "N must be at least 1"
((rounds >= 1 || noop_runs >= 1)) || die "ROUNDS 0 (no apply bench) needs NOOP_RUNS >= 1"
[[ -x $retort_bin ]] || die "no retort binary at $retort_bin; build first: ./scripts/setup.sh"
retort_bin=$(cd "$(dirname "$retort_bin")" && pwd)/$(basename "$retort_bin")
if [[ -n $baseline_bin ]]; then
  [[ -x $baseline_bin ]] || die "no retort binary at NOOP_BASELINE_BIN=$baseline_bin"
  baseline_bin=$(cd "$(dirname "$baseline_bin")" && pwd)/$(basename "$baseline_bin")
fi
for tool in initdb pg_ctl psql; do
  [[ -x $pg_bin/$tool ]] || die "missing $pg_bin/$tool; install postgresql-15: ./scripts/setup.sh"
done
psql_bin=$pg_bin/psql

# The config's URL is what we measure against; the environment would override it.
unset RETORT_DATABASE_URL DATABASE_URL PGSERVICE PGSERVICEFILE PGOPTIONS

# shellcheck source=bench/lib.sh
source bench/lib.sh  # the scripts cd to the repository root first
# Autovacuum off: its workers' CPU would land in the server CPU figure below.
bench_start_cluster apply-bench "autovacuum = off"
postmaster=$(head -n 1 "$data/postmaster.pid")

sql() { PGOPTIONS="-c client_min_messages=warning" "$psql_bin" -X -qAt -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" "$@"; }

# --- generated project and floor script -----------------------------------------------------------
width=$((${#n} > 4 ? ${#n} : 4))
rev() { printf "r%0${width}d" "$1"; }
last_rev=$(rev "$n")

mkdir -p "$project/migrations/versions"
# As `retort init` writes it: retort keeps its header cache in .retort/ only where git ignores it.
echo ".retort/" >"$project/.gitignore"
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

# CPU seconds the server's exited backends used so far: the postmaster's cutime + cstime, which
# count a backend once the postmaster has reaped it, so this first waits for every client
# backend (the "[local]" ones) to be gone. On a machine shared with other work, wall times
# scatter by 2x and more; CPU time, the client's plus the server's, hardly moves with load.
server_cpu() {
  local child busy
  for ((try = 0; try < 1000; try++)); do
    busy=0
    for child in $(cat "/proc/$postmaster/task/$postmaster/children" 2>/dev/null); do
      if grep -qa '\[local\]' "/proc/$child/cmdline" 2>/dev/null; then busy=1; fi
    done
    ((busy)) || break
    sleep 0.01
  done
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($16 + $17) / hz }' "/proc/$postmaster/stat"
}

# Runs timed() and appends the server CPU the command used to the array named by $1.
timed_with_server() {
  local -n server_cpus=$1
  shift
  local before after
  before=$(server_cpu)
  timed "$@" || return
  after=$(server_cpu)
  server_cpus+=("$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }')")
}
wall_of() { awk '{ printf "%.4f", $1 }' "$1"; }
cpu_of() { awk '{ printf "%.4f", $2 + $3 }' "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
seconds() { awk -v s="$1" 'BEGIN { printf "%.2f s", s }'; }
millis() { awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; }

# One psql script (the floor or the bare floor, by name) into its database, timed.
run_psql_script() {
  local name=$1 db=$2 script=$3
  local -n walls=${name}_walls cpus=${name}_cpus
  timed_with_server "${name}_servers" "$tmp/$name.out" "$tmp/$name.time" \
    "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" -d "$db" \
    -f "$script" || { cat "$tmp/$name.out" >&2; die "the $name script failed (psql -f $script)"; }
  walls+=("$(wall_of "$tmp/$name.time")")
  cpus+=("$(cpu_of "$tmp/$name.time")")
}
run_floor() { run_psql_script floor bench_floor "$floor_sql"; }
run_bare() { run_psql_script bare bench_bare "$bare_sql"; }

run_retort() {
  timed_with_server retort_servers "$tmp/retort.out" "$tmp/retort.time" \
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
if ((rounds == 0)); then
  # No apply bench: the no-op bench needs the database at head.
  sql -d postgres -c "DROP DATABASE IF EXISTS bench_retort" -c "CREATE DATABASE bench_retort"
  "$retort_bin" --config "$project/retort.toml" upgrade head >"$tmp/retort.out" 2>&1 ||
    { tail -n 20 "$tmp/retort.out" >&2; die "retort failed: (cd $project && $retort_bin --config $project/retort.toml upgrade head)"; }
  round="setup"
  verify bench_retort
fi
floor_walls=() floor_cpus=() bare_walls=() bare_cpus=() retort_walls=() retort_cpus=()
round_ratios=() bare_ratios=() floor_servers=() bare_servers=() retort_servers=()
for ((round = 1; round <= rounds; round++)); do
  for db in bench_retort bench_floor bench_bare bench_warm; do
    sql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  done
  # The new databases' pages written out, by the server and then by the kernel (fsync is off):
  # otherwise whichever client runs first pays for that writeback, up to twice its time.
  sql -d postgres -c "CHECKPOINT"
  sync
  # Whatever runs first after the databases were dropped and created pays for the file system
  # catching up (seen: twice the time, client and server CPU alike): an untimed run of the bare
  # floor into a database of its own takes that hit. Then each of the three takes each place in
  # turn, since the remaining effect of the order is not nil either: use a multiple of 3 rounds.
  "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" -d bench_warm \
    -f "$bare_sql" >/dev/null || die "the warm-up run failed (psql -f $bare_sql)"
  case $((round % 3)) in
    1) order="floor, retort, bare" && run_floor && run_retort && run_bare ;;
    2) order="retort, bare, floor" && run_retort && run_bare && run_floor ;;
    0) order="bare, floor, retort" && run_bare && run_floor && run_retort ;;
  esac
  verify bench_floor
  verify bench_bare
  verify bench_retort
  round_ratios+=("$(awk -v a="${retort_walls[-1]}" -v b="${floor_walls[-1]}" \
    'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }')")
  bare_ratios+=("$(awk -v a="${retort_walls[-1]}" -v b="${bare_walls[-1]}" \
    'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }')")
  printf '  round %d (%s): wall/client cpu/server cpu: floor %s/%s/%s | bare %s/%s/%s | retort %s/%s/%s | wall ratios %sx, bare %sx\n' \
    "$round" "$order" "${floor_walls[-1]}" "${floor_cpus[-1]}" "${floor_servers[-1]}" \
    "${bare_walls[-1]}" "${bare_cpus[-1]}" "${bare_servers[-1]}" \
    "${retort_walls[-1]}" "${retort_cpus[-1]}" "${retort_servers[-1]}" \
    "${round_ratios[-1]}" "${bare_ratios[-1]}" >&2
done

if ((rounds > 0)); then
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
  # Client + server CPU of each run, summed over the rounds: the figure least moved by other work
  # on the machine.
  total_cpu() {
    local -n clients=$1 servers=$2
    printf '%s\n' "${clients[@]}" "${servers[@]}" | awk '{ sum += $1 } END { printf "%.2f", sum }'
  }
  floor_total=$(total_cpu floor_cpus floor_servers)
  bare_total=$(total_cpu bare_cpus bare_servers)
  retort_total=$(total_cpu retort_cpus retort_servers)
  echo "  client+server cpu over all rounds: floor ${floor_total} s, bare ${bare_total} s, retort ${retort_total} s:" \
    "ratio $(ratio "$retort_total" "$floor_total"), to the bare floor $(ratio "$retort_total" "$bare_total")"
fi

# --- no-op bench ----------------------------------------------------------------------------------
((noop_runs > 0)) || exit 0

psql_walls=() psql_cpus=()
# Times `BIN COMMAND...` at head, appending to the arrays named PREFIX_walls and PREFIX_cpus.
noop_run() {
  local -n walls=${1}_walls cpus=${1}_cpus
  local bin=$2
  shift 2
  timed "$tmp/noop.out" "$tmp/noop.time" "$bin" --config "$project/retort.toml" "$@" ||
    { cat "$tmp/noop.out" >&2; die "retort failed: (cd $project && $bin --config $project/retort.toml $*) at head"; }
  if [[ $1 == current ]]; then
    grep -q "$last_rev" "$tmp/noop.out" ||
      { cat "$tmp/noop.out" >&2; die "$bin current does not report $last_rev"; }
  fi
  walls+=("$(wall_of "$tmp/noop.time")")
  cpus+=("$(cpu_of "$tmp/noop.time")")
}
current_walls=() current_cpus=() noop_walls=() noop_cpus=()
base_current_walls=() base_current_cpus=() base_noop_walls=() base_noop_cpus=()
# Interleaved so that drift in the machine's load hits all of them alike.
for ((run = 1; run <= noop_runs; run++)); do
  timed "$tmp/noop.out" "$tmp/noop.time" \
    "$psql_bin" -X -qAt -h "$tmp" -p "$port" -U "$superuser" -d bench_retort \
    -c 'SELECT version_num FROM retort_version' || { cat "$tmp/noop.out" >&2; die "psql round trip failed"; }
  psql_walls+=("$(wall_of "$tmp/noop.time")")
  psql_cpus+=("$(cpu_of "$tmp/noop.time")")
  noop_run current "$retort_bin" current
  noop_run noop "$retort_bin" upgrade head
  if [[ -n $baseline_bin ]]; then
    noop_run base_current "$baseline_bin" current
    noop_run base_noop "$baseline_bin" upgrade head
  fi
done
round="no-op"
verify bench_retort

psql_wall=$(median "${psql_walls[@]}")
psql_cpu=$(median "${psql_cpus[@]}")

echo
echo "no-op at head ($n migrations on disk), median of $noop_runs runs each"
printf '  %-40s wall %s  cpu %s\n' \
  "psql round trip (SELECT version_num):" "$(millis "$psql_wall")" "$(millis "$psql_cpu")"
# Prints one line per measured command: LABEL PREFIX.
noop_line() {
  local -n walls=${2}_walls cpus=${2}_cpus
  local wall cpu
  wall=$(median "${walls[@]}")
  cpu=$(median "${cpus[@]}")
  printf '  %-40s wall %s  cpu %s   ratio wall %s  cpu %s\n' "$1" "$(millis "$wall")" \
    "$(millis "$cpu")" "$(ratio "$wall" "$psql_wall")" "$(ratio "$cpu" "$psql_cpu")"
}
noop_line "retort current:" current
noop_line "retort upgrade head (nothing to do):" noop
if [[ -n $baseline_bin ]]; then
  noop_line "baseline current:" base_current
  noop_line "baseline upgrade head (nothing to do):" base_noop
fi
echo "  (target: about 1x the psql round trip)"
