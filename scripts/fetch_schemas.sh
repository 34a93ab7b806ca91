#!/usr/bin/env bash
# Fetches real PostgreSQL schemas that Debian packages ship, for the round-trip acceptance test
# (tests/integration/corpus_test.cc): `apt-get download` + `dpkg -x`, nothing installed or
# configured. The cache folder is $RETORT_SCHEMA_CACHE, else $XDG_CACHE_HOME/retort/debian-schemas,
# else ~/.cache/retort/debian-schemas. Safe to run again: a package whose schema files are already
# there is skipped.
#
# Layout: <cache>/<package>/<path inside the package>, e.g.
#   <cache>/zabbix-server-pgsql/usr/share/zabbix-server-pgsql/schema.sql (gunzipped)
set -euo pipefail

cache="${RETORT_SCHEMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/retort/debian-schemas}"

# package -> the schema files the test reads (paths inside the package, after unpacking); a path
# ending in / is a folder copied whole. Found with apt-file (a development-time tool only):
#   apt-file search -x '\.(pg)?sql(\.gz)?$' | grep -iE 'postgres|pgsql|pg_|_pg'
declare -A files=(
  # monitoring
  [zabbix-server-pgsql]="usr/share/zabbix-server-pgsql/schema.sql.gz"
  [icingaweb2-module-director]="usr/share/icingaweb2/modules/director/schema/pgsql.sql"
  [icinga2-ido-pgsql]="usr/share/icinga2-ido-pgsql/schema/pgsql.sql"
  [icingadb]="usr/share/icingadb/schema/pgsql/schema.sql"
  [icingaweb2]="usr/share/icingaweb2/schema/pgsql.schema.sql"
  [icingaweb2-module-reporting]="usr/share/icingaweb2/modules/reporting/schema/postgresql.sql"
  [collectd-core]="usr/share/doc/collectd-core/examples/postgresql/collectd_insert.sql"
  [libpreludedb7-pgsql]="usr/share/libpreludedb/classic/pgsql.sql"
  [ulogd2]="usr/share/doc/ulogd2/pgsql-ulogd2.sql.gz"
  [pmacct]="usr/share/pmacct/sql/pmacct-create-table_v9.pgsql"
  # DNS, DHCP, RADIUS, IP address management
  [pdns-backend-pgsql]="usr/share/pdns-backend-pgsql/schema/schema.pgsql.sql"
  [kea-admin]="usr/share/kea/scripts/pgsql/dhcpdb_create.pgsql"
  [freeradius-config]="etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql etc/freeradius/3.0/mods-config/sql/ippool/postgresql/schema.sql etc/freeradius/3.0/mods-config/sql/ippool/postgresql/procedure.sql etc/freeradius/3.0/mods-config/sql/cui/postgresql/schema.sql"
  [haci]="usr/share/doc/haci/HaCi_v0.98c.pgsql.gz"
  # VoIP, chat, SMS
  [kamailio-postgres-modules]="usr/share/kamailio/postgres/"
  [homer-api]="usr/share/homer/sql/postgres/schema_configuration.sql usr/share/homer/sql/postgres/schema_data.sql usr/share/homer/sql/postgres/schema_statistic.sql"
  [jabberd2]="usr/share/doc/jabberd2/db-setup.pgsql.gz"
  [inspircd]="usr/share/doc/inspircd/examples/sql/sqloper.pgsql.sql"
  [gammu-smsd]="usr/share/doc/gammu-smsd/examples/pgsql.sql"
  [gnokii-smsd-pgsql]="usr/share/doc/gnokii-smsd-pgsql/sms.tables.pq.sql"
  # mail and groupware
  [roundcube-core]="usr/share/roundcube/SQL/postgres.initial.sql"
  [spamassassin]="usr/share/doc/spamassassin/sql/awl_pg.sql usr/share/doc/spamassassin/sql/bayes_pg.sql usr/share/doc/spamassassin/sql/txrep_pg.sql usr/share/doc/spamassassin/sql/userpref_pg.sql"
  [libmail-dmarc-perl]="usr/share/perl5/auto/share/dist/Mail-DMARC/mail_dmarc_schema.pgsql"
  [vmm]="usr/share/doc/vmm/examples/pgsql/create_tables.pgsql"
  [libawl-php]="usr/share/awl/dba/awl-tables.sql usr/share/awl/dba/schema-management.sql"
  [davical]="usr/share/davical/dba/davical.sql usr/share/davical/dba/caldav_functions.sql usr/share/davical/dba/rrule_functions.sql"
  [php-sabre-dav]="usr/share/doc/php-sabre-dav/examples/sql/pgsql.addressbook.sql usr/share/doc/php-sabre-dav/examples/sql/pgsql.calendars.sql usr/share/doc/php-sabre-dav/examples/sql/pgsql.locks.sql usr/share/doc/php-sabre-dav/examples/sql/pgsql.principals.sql usr/share/doc/php-sabre-dav/examples/sql/pgsql.users.sql"
  [libnss-pgsql2]="usr/share/doc/libnss-pgsql2/examples/dbschema.sql"
  # accounting, banking, ERP
  [ledgersmb]="usr/share/ledgersmb/sql/Pg-database.sql"
  [hibiscus]="usr/share/jameica/plugins/hibiscus/sql/postgresql-create.sql"
  [tryton-server]="usr/lib/python3/dist-packages/trytond/backend/postgresql/init.sql"
  # web applications, job queues, configuration management, CI
  [mediawiki]="usr/share/mediawiki/maintenance/postgres/tables-generated.sql usr/share/mediawiki/maintenance/postgres/tables.sql"
  [tt-rss]="usr/share/tt-rss/schema/ttrss_schema_pgsql.sql"
  [supysonic]="usr/share/supysonic/schema/postgres.sql"
  [libtheschwartz-perl]="usr/share/doc/libtheschwartz-perl/schema-postgres.sql"
  [goiardi]="usr/share/goiardi/sql-files/sql-files/goiardi-schema-postgres.sql"
  [openqa]="usr/share/openqa/dbicdh/PostgreSQL/deploy/98/001-auto.sql"
  [oar-server]="usr/lib/oar/database/pg_structure.sql"
  # science: BioSQL, RDF, OpenStreetMap on PostGIS
  [python-biopython-doc]="usr/share/doc/python-biopython-doc/Tests/BioSQL/biosqldb-pg.sql.gz"
  [libatteanx-store-dbi-perl]="usr/share/perl5/auto/share/dist/AtteanX-Store-DBI/database-schema/postgresql-create.sql"
  [osmosis]="usr/share/doc/osmosis/examples/pgsnapshot_schema_0.6.sql usr/share/doc/osmosis/examples/pgsnapshot_schema_0.6_action.sql usr/share/doc/osmosis/examples/pgsnapshot_schema_0.6_bbox.sql usr/share/doc/osmosis/examples/pgsnapshot_schema_0.6_linestring.sql"
)

# Whether every schema file of `package` is in the cache (a .gz is kept gunzipped).
have_all() {
  local package=$1 file
  for file in ${files[$package]}; do
    if [[ $file == */ ]]; then
      [ -n "$(ls -A "$cache/$package/$file" 2>/dev/null)" ] || return 1
    else
      [ -s "$cache/$package/${file%.gz}" ] || return 1
    fi
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
    if [[ $file == */ ]]; then
      cp -r "$downloads/$package/$file" "$cache/$package/$file"
      continue
    fi
    cp "$downloads/$package/$file" "$cache/$package/$file"
    if [[ $file == *.gz ]]; then gunzip -f "$cache/$package/$file"; fi
  done
  rm -rf "${downloads:?}/$package" "$deb"
  have_all "$package" || { echo "fetch_schemas: $package lacks ${files[$package]}" >&2; exit 1; }
done
echo "fetch_schemas: done ($cache)"
