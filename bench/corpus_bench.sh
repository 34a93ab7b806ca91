#!/usr/bin/env bash
# Corpus benchmark: `retort inspect` against `pg_dump --schema-only` on real schemas that nobody
# on the project wrote (the Debian packages' schemas the corpus test loads), not on the
# generator's two shapes. Each schema goes into its own database on one throwaway PostgreSQL 15
# cluster; both commands read each database ROUNDS times, alternating which goes first, and the
# ratio is taken per schema (median against median) and over the whole corpus (sums of medians).
# See bench/README.md.
#
# Usage: bench/corpus_bench.sh [ROUNDS=5]
# Environment: RETORT_BIN (default build/retort, relative to the repo root), BENCH_PORT (55650),
#              PG_BIN (/usr/lib/postgresql/15/bin), RETORT_SCHEMA_CACHE (the cache
#              scripts/fetch_schemas.sh fills; default ~/.cache/retort/debian-schemas).
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}
retort_bin=${RETORT_BIN:-build/retort}
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
port=${BENCH_PORT:-55650}
cache=${RETORT_SCHEMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/retort/debian-schemas}

die() {
  echo "corpus_bench: $*" >&2
  exit 1
}
[[ -x $retort_bin ]] || die "no retort binary at $retort_bin (build first, or set RETORT_BIN)"
retort_bin=$(cd "$(dirname "$retort_bin")" && pwd)/$(basename "$retort_bin")
[[ -d $cache ]] || die "no schema cache at $cache: run scripts/fetch_schemas.sh first"
for tool in initdb pg_ctl psql pg_dump; do
  [[ -x $pg_bin/$tool ]] || die "missing $pg_bin/$tool; install postgresql-15: ./scripts/setup.sh"
done

unset RETORT_DATABASE_URL DATABASE_URL PGSERVICE PGSERVICEFILE PGOPTIONS

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_start_cluster corpus-bench

sql() { PGOPTIONS="-c client_min_messages=warning" "$pg_bin/psql" -X -qAt -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U "$superuser" "$@"; }
url() { echo "postgresql:///$1?host=$tmp&port=$port&user=$superuser"; }

# The corpus test's cases that load with plain psql (no roles, extensions or rewrites): name, then
# the package's files in load order.
cases=(
  "zabbix zabbix-server-pgsql/usr/share/zabbix-server-pgsql/schema.sql"
  "icinga2_ido icinga2-ido-pgsql/usr/share/icinga2-ido-pgsql/schema/pgsql.sql"
  "icingadb icingadb/usr/share/icingadb/schema/pgsql/schema.sql"
  "icingaweb2 icingaweb2/usr/share/icingaweb2/schema/pgsql.schema.sql"
  "pdns pdns-backend-pgsql/usr/share/pdns-backend-pgsql/schema/schema.pgsql.sql"
  "kea kea-admin/usr/share/kea/scripts/pgsql/dhcpdb_create.pgsql"
  "roundcube roundcube-core/usr/share/roundcube/SQL/postgres.initial.sql"
  "hibiscus hibiscus/usr/share/jameica/plugins/hibiscus/sql/postgresql-create.sql"
  "tryton tryton-server/usr/lib/python3/dist-packages/trytond/backend/postgresql/init.sql"
  "tt_rss tt-rss/usr/share/tt-rss/schema/ttrss_schema_pgsql.sql"
  "openqa openqa/usr/share/openqa/dbicdh/PostgreSQL/deploy/98/001-auto.sql"
  "oar oar-server/usr/lib/oar/database/pg_structure.sql"
  "biosql python-biopython-doc/usr/share/doc/python-biopython-doc/Tests/BioSQL/biosqldb-pg.sql"
)

TIMEFORMAT='%R'
# wall seconds of one run of the command, its output in $tmp/out
wall() {
  { time "$@" >"$tmp/out" 2>"$tmp/err"; } 2>"$tmp/wall" || {
    tail -n 5 "$tmp/err" >&2
    die "failed: $*"
  }
  cat "$tmp/wall"
}

printf '%-14s %7s %8s %9s %9s %7s\n' schema tables indexes inspect pg_dump ratio
inspect_sum=0
dump_sum=0
loaded=0
for entry in "${cases[@]}"; do
  read -r name file <<<"$entry"
  path=$cache/$file
  if [[ ! -f $path ]]; then
    echo "$name: not in the cache ($path), left out" >&2
    continue
  fi
  sql -d postgres -c "CREATE DATABASE $name"
  sql -d "$name" -f "$path" >/dev/null 2>"$tmp/load.err" || {
    tail -n 3 "$tmp/load.err" >&2
    die "$name: $path does not load"
  }
  tables=$(sql -d "$name" -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")
  indexes=$(sql -d "$name" -c "SELECT count(*) FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
  inspect_walls=() dump_walls=()
  for ((round = 1; round <= rounds; round++)); do
    for order in $( ((round % 2)) && echo "dump inspect" || echo "inspect dump"); do
      if [[ $order == dump ]]; then
        dump_walls+=("$(wall "$pg_bin/pg_dump" --schema-only -h "$tmp" -p "$port" -U "$superuser" -d "$name")")
      else
        inspect_walls+=("$(wall "$retort_bin" inspect "$(url "$name")")")
        created=$(grep -c '^CREATE TABLE' "$tmp/out" || true)
        [[ $created -ge $tables ]] || die "$name: retort inspect printed $created CREATE TABLE statements for $tables tables"
      fi
    done
  done
  inspect=$(median "${inspect_walls[@]}")
  dump=$(median "${dump_walls[@]}")
  printf '%-14s %7d %8d %7.0f ms %6.0f ms %6.2fx\n' "$name" "$tables" "$indexes" \
    "$(awk -v s="$inspect" 'BEGIN { print s * 1000 }')" "$(awk -v s="$dump" 'BEGIN { print s * 1000 }')" \
    "$(awk -v a="$inspect" -v b="$dump" 'BEGIN { print a / b }')"
  inspect_sum=$(awk -v a="$inspect_sum" -v b="$inspect" 'BEGIN { print a + b }')
  dump_sum=$(awk -v a="$dump_sum" -v b="$dump" 'BEGIN { print a + b }')
  loaded=$((loaded + 1))
done
((loaded > 0)) || die "no schema of the corpus was in the cache"
printf 'all %d schemas: inspect %.0f ms, pg_dump %.0f ms, ratio %.2fx (median of %d rounds each)\n' \
  "$loaded" "$(awk -v s="$inspect_sum" 'BEGIN { print s * 1000 }')" \
  "$(awk -v s="$dump_sum" 'BEGIN { print s * 1000 }')" \
  "$(awk -v a="$inspect_sum" -v b="$dump_sum" 'BEGIN { print a / b }')" "$rounds"
