# Shared by the bench scripts: a throwaway PostgreSQL cluster in a temp dir, removed on exit.
# The caller defines die(), pg_bin and port, then calls
#   bench_start_cluster NAME [EXTRA_POSTGRESQL_CONF]
# which sets superuser, as_server_owner, tmp, data and project, and installs the EXIT trap.

# The median of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
  if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

bench_start_cluster() {
  local name=$1 extra_conf=${2:-}
  bench_name=$name
  # initdb refuses to run as root, so the server belongs to the postgres OS user then.
  if (($(id -u) == 0)); then
    superuser=postgres
    as_server_owner() { runuser -u postgres -- "$@"; }
  else
    superuser=${USER:-$(id -un)}
    as_server_owner() { "$@"; }
  fi

  tmp=$(mktemp -d "/tmp/retort-$name-XXXX")
  chmod 755 "$tmp"
  if (($(id -u) == 0)); then chown postgres: "$tmp"; fi
  data=$tmp/data
  project=$tmp/project
  trap bench_cleanup EXIT

  as_server_owner "$pg_bin/initdb" -D "$data" -U "$superuser" -A trust -E UTF8 --locale=C \
    --no-sync >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
  # Durability off so that the disk's flush time does not decide the result.
  cat >>"$data/postgresql.conf" <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
listen_addresses = ''
unix_socket_directories = '$tmp'
port = $port
$extra_conf
CONF
  as_server_owner "$pg_bin/pg_ctl" start -D "$data" -w -s -l "$tmp/server.log" >/dev/null ||
    { cat "$tmp/server.log" >&2; die "the server did not start (port $port; try BENCH_PORT=...)"; }
}

bench_cleanup() {
  if [[ -f $data/postmaster.pid ]]; then
    as_server_owner "$pg_bin/pg_ctl" stop -D "$data" -m immediate -s >/dev/null 2>&1 || true
  fi
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    echo "$bench_name: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
