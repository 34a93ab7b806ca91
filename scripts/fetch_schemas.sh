#!/usr/bin/env bash
# Fetches real PostgreSQL schemas that Debian packages ship, for the round-trip acceptance test
# (tests/integration/roundtrip_test.cc): `apt-get download` + `dpkg -x`, nothing installed or
# configured. The cache folder is $RETORT_SCHEMA_CACHE, else $XDG_CACHE_HOME/retort/debian-schemas,
# else ~/.cache/retort/debian-schemas. Safe to run again: a package whose schema files are already
# there is skipped.
#
# Layout: <cache>/<package>/<path inside the package>, e.g.
#   <cache>/zabbix-server-pgsql/usr/share/zabbix-server-pgsql/schema.sql (gunzipped)
set -euo pipefail

cache="${RETORT_SCHEMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/retort/debian-schemas}"

# package -> the schema files the test reads (paths inside the package, after unpacking).
declare -A files=(
  [zabbix-server-pgsql]="usr/share/zabbix-server-pgsql/schema.sql.gz"
  [pdns-backend-pgsql]="usr/share/pdns-backend-pgsql/schema/schema.pgsql.sql"
  [kea-admin]="usr/share/kea/scripts/pgsql/dhcpdb_create.pgsql"
  [icingaweb2-module-director]="usr/share/icingaweb2/modules/director/schema/pgsql.sql"
  [icinga2-ido-pgsql]="usr/share/icinga2-ido-pgsql/schema/pgsql.sql"
  [mediawiki]="usr/share/mediawiki/maintenance/postgres/tables-generated.sql usr/share/mediawiki/maintenance/postgres/tables.sql"
  [tt-rss]="usr/share/tt-rss/schema/ttrss_schema_pgsql.sql"
)

# Whether every schema file of `package` is in the cache (a .gz is kept gunzipped).
have_all() {
  local package=$1 file
  for file in ${files[$package]}; do
    [ -s "$cache/$package/${file%.gz}" ] || return 1
  done
}

mkdir -p "$cache"
missing=()
for package in "${!files[@]}"; do
  have_all "$package" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "fetch_schemas: all schemas already in $cache"
  exit 0
fi

# apt-get download drops privileges to _apt when run as root, and _apt may not write to the cache
# folder (or read a home directory): download into a temp folder _apt can write, then move.
downloads=$(mktemp -d)
trap 'rm -rf "$downloads"' EXIT
chmod 0777 "$downloads"
echo "fetch_schemas: downloading ${missing[*]} into $cache"
if ! (cd "$downloads" && apt-get download -qq "${missing[@]}"); then
  # Stale package lists (a fresh container) are the usual cause; refresh them once.
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  (cd "$downloads" && apt-get download -qq "${missing[@]}")
fi

for package in "${missing[@]}"; do
  deb=$(ls "$downloads/${package}_"*.deb)
  # Unpack next to the download and keep only the schema files (mediawiki alone is 300 MB).
  dpkg -x "$deb" "$downloads/$package"
  rm -rf "${cache:?}/$package"
  for file in ${files[$package]}; do
    mkdir -p "$(dirname "$cache/$package/$file")"
    cp "$downloads/$package/$file" "$cache/$package/$file"
    if [[ $file == *.gz ]]; then gunzip -f "$cache/$package/$file"; fi
  done
  have_all "$package" || { echo "fetch_schemas: $package lacks ${files[$package]}" >&2; exit 1; }
done
echo "fetch_schemas: done ($cache)"
