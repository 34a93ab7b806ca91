#!/usr/bin/env bash
# Sets up retort (dependencies + build) and runs the demo: the Semantik-style example project
# on retort's embedded PostgreSQL: upgrade head, history, downgrade, upgrade again.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
retort="$PWD/${RETORT_BUILD_DIR:-build}/retort"
project="${1:-examples/semantik}"
cd "$project"

step() { printf '\n\033[1m$ retort %s\033[0m\n' "$*"; "$retort" "$@"; }

"$retort" dev destroy >/dev/null 2>&1 || true   # start from a fresh embedded cluster
step dev start
step history
step upgrade head
step current --verbose
conninfo=$("$retort" dev url)
printf '\n\033[1m$ psql: insert chunks for three collections; the partition trigger routes them\033[0m\n'
psql "$conninfo" -X -q -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO collections (name, vector_store_name, embedding_model)
  SELECT 'demo ' || g, 'store_' || g, 'bge-small' FROM generate_series(1, 3) g;
INSERT INTO chunks (collection_id, partition_key, chunk_index, content)
  SELECT c.id, chunk_partition_key(c.id), i, 'chunk ' || i
  FROM collections c CROSS JOIN generate_series(1, 5) i;
SELECT tableoid::regclass AS partition, count(*) FROM chunks GROUP BY 1 ORDER BY 1;
SQL
step downgrade -1
step current
step upgrade head
step history --indicate-current
printf '\n\033[1m$ retort upgrade base:head --sql | head -30   (the script a DBA would review)\033[0m\n'
# Written whole first: `head` closing the pipe early would end retort with SIGPIPE, and with
# pipefail the demo with it.
script=$(mktemp)
"$retort" upgrade base:head --sql >"$script"
head -30 "$script"
rm -f "$script"
step dev stop
