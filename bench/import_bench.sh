#!/usr/bin/env bash
# `retort import alembic` on a generated 100-revision Alembic history, against the floor the
# issue sets: one `alembic upgrade base:head --sql` of the same history, measured in the same
# run (best of N each, so a busy machine hurts both alike). Prints both times and the ratio;
# the target is <= 2.0.
#
#   bench/import_bench.sh [REVISIONS] [RUNS]     (RETORT_BIN=build/retort PYTHON=/usr/bin/python3)
set -euo pipefail
cd "$(dirname "$0")/.."
revisions="${1:-100}"
runs="${2:-5}"
retort="$(realpath "${RETORT_BIN:-build/retort}")"
python="${PYTHON:-/usr/bin/python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
"$python" -m alembic init migrations >/dev/null
cat > migrations/env.py <<'PY'
from alembic import context
from sqlalchemy import MetaData

target_metadata = MetaData(naming_convention={"pk": "pk_%(table_name)s",
                                              "ix": "ix_%(column_0_label)s"})
context.configure(url="postgresql://bench@localhost/bench", target_metadata=target_metadata,
                  literal_binds=True)
with context.begin_transaction():
    context.run_migrations()
PY
rm -f migrations/versions/*.py
"$python" - "$revisions" <<'PY'
import sys
count = int(sys.argv[1])
for i in range(1, count + 1):
    rev = "r%010d" % i
    down = "None" if i == 1 else '"r%010d"' % (i - 1)
    with open("migrations/versions/%s_table_%d.py" % (rev, i), "w") as out:
        out.write('''"""table %(i)d

Revision ID: %(rev)s
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "%(rev)s"
down_revision = %(down)s
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "t%(i)d",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("name", sa.Text(), nullable=False, server_default="x"),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index(op.f("ix_t%(i)d_name"), "t%(i)d", ["name"])
    op.add_column("t%(i)d", sa.Column("note", sa.String(40)))


def downgrade():
    op.drop_column("t%(i)d", "note")
    op.drop_index(op.f("ix_t%(i)d_name"), table_name="t%(i)d")
    op.drop_table("t%(i)d")
''' % {"i": i, "rev": rev, "down": down})
PY
"$retort" init >/dev/null 2>&1

now_ms() { date +%s%3N; }
best() {  # best of $runs wall-clock milliseconds of "$@"
  local best_ms=""
  for _ in $(seq "$runs"); do
    local start end
    start=$(now_ms)
    "$@" >/dev/null 2>&1
    end=$(now_ms)
    local ms=$((end - start))
    if [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; then best_ms=$ms; fi
  done
  echo "$best_ms"
}

floor_ms=$(best "$python" -m alembic upgrade base:head --sql)
import_ms=$(best "$retort" import alembic --python "$python" --force)
ls migrations/versions/*.sql | wc -l | xargs printf "imported files: %s\n"
printf "revisions: %d, best of %d runs\n" "$revisions" "$runs"
printf "alembic upgrade base:head --sql: %6d ms\n" "$floor_ms"
printf "retort import alembic:           %6d ms\n" "$import_ms"
awk -v a="$import_ms" -v b="$floor_ms" 'BEGIN { printf "ratio: %.2f (target <= 2.00)\n", a / b }'
