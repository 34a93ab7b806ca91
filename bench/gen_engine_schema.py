#!/usr/bin/python3
"""Generates the engine bench's schema of N tables, in every form the bench compares.

Each table tNNNN has mixed column types (bigint, text, an enum, jsonb, numeric, text[],
timestamptz, boolean), a primary key, a foreign key to the previous table and three indexes
(btree, a two-column btree, GIN on the jsonb). Written into OUT_DIR:

  schema/00_types.sql, schema/NN_tables.sql  the desired state: the enum, then 100 tables a file
  all.sql                                    the same statements in one file
  migrations/versions/*.sql                  retort migrations building the same schema, 10 tables
                                             each (the first also creates the enum), with downgrades
  floor_migrations.sql                       those migrations as psql runs them: the version table,
                                             then one transaction + version-row update per migration
  models.py                                  equivalent SQLAlchemy metadata (`metadata`) for Alembic

Standard library only; run with Debian's /usr/bin/python3.
Usage: bench/gen_engine_schema.py N OUT_DIR
"""

import os
import sys

TABLES_PER_SCHEMA_FILE = 100
TABLES_PER_MIGRATION = 10
ENUM_SQL = "CREATE TYPE item_status AS ENUM ('new', 'active', 'archived');"
ENUM_LABELS = ("new", "active", "archived")


def table_name(k, width):
    return "t%0*d" % (width, k)


def table_sql(k, width):
    """CREATE TABLE + indexes of table k, one statement a line."""
    name = table_name(k, width)
    columns = [
        "id bigint NOT NULL",
        "prev_id bigint",
        "name text NOT NULL",
        "status item_status NOT NULL DEFAULT 'new'",
        "payload jsonb NOT NULL DEFAULT '{}'",
        "amount numeric(12,2)",
        "tags text[]",
        "created_at timestamptz NOT NULL DEFAULT now()",
        "active boolean NOT NULL DEFAULT true",
        "CONSTRAINT %s_pkey PRIMARY KEY (id)" % name,
    ]
    if k > 1:
        columns.append(
            "CONSTRAINT %s_prev_fkey FOREIGN KEY (prev_id) REFERENCES %s (id) ON DELETE CASCADE"
            % (name, table_name(k - 1, width)))
    return [
        "CREATE TABLE %s (%s);" % (name, ", ".join(columns)),
        "CREATE INDEX %s_name_idx ON %s (name);" % (name, name),
        "CREATE INDEX %s_status_created_idx ON %s (status, created_at);" % (name, name),
        "CREATE INDEX %s_payload_gin ON %s USING gin (payload);" % (name, name),
    ]


def model_py(k, width):
    name = table_name(k, width)
    lines = [
        "Table(",
        "    %r, metadata," % name,
        "    Column('id', BigInteger, primary_key=True, autoincrement=False),",
    ]
    if k > 1:
        lines.append("    Column('prev_id', BigInteger, ForeignKey(%r, name=%r, ondelete='CASCADE')),"
                     % (table_name(k - 1, width) + ".id", name + "_prev_fkey"))
    else:
        lines.append("    Column('prev_id', BigInteger),")
    lines += [
        "    Column('name', Text, nullable=False),",
        "    Column('status', item_status, nullable=False, server_default=text(\"'new'\")),",
        "    Column('payload', JSONB, nullable=False, server_default=text(\"'{}'\")),",
        "    Column('amount', Numeric(12, 2)),",
        "    Column('tags', ARRAY(Text)),",
        "    Column('created_at', DateTime(timezone=True), nullable=False,"
        " server_default=text('now()')),",
        "    Column('active', Boolean, nullable=False, server_default=text('true')),",
        "    Index(%r, 'name')," % (name + "_name_idx"),
        "    Index(%r, 'status', 'created_at')," % (name + "_status_created_idx"),
        "    Index(%r, 'payload', postgresql_using='gin')," % (name + "_payload_gin"),
        ")",
    ]
    return "\n".join(lines) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: gen_engine_schema.py N OUT_DIR")
    n = int(sys.argv[1])
    out = sys.argv[2]
    width = max(4, len(str(n)))

    # Desired state.
    write(os.path.join(out, "schema", "00_types.sql"), ENUM_SQL + "\n")
    all_sql = [ENUM_SQL]
    for first in range(1, n + 1, TABLES_PER_SCHEMA_FILE):
        last = min(n, first + TABLES_PER_SCHEMA_FILE - 1)
        statements = [s for k in range(first, last + 1) for s in table_sql(k, width)]
        all_sql += statements
        file_no = (first - 1) // TABLES_PER_SCHEMA_FILE + 1
        write(os.path.join(out, "schema", "%02d_tables.sql" % file_no) if file_no < 100 else
              os.path.join(out, "schema", "%d_tables.sql" % file_no), "\n".join(statements) + "\n")
    write(os.path.join(out, "all.sql"), "\n".join(all_sql) + "\n")

    # Migrations, and the floor script doing the same work through psql.
    migrations = (n + TABLES_PER_MIGRATION - 1) // TABLES_PER_MIGRATION
    rev_width = max(4, len(str(migrations)))
    floor = ["CREATE TABLE retort_version (version_num varchar(32) NOT NULL,"
             " CONSTRAINT retort_version_pkc PRIMARY KEY (version_num));"]
    for m in range(1, migrations + 1):
        rev = "r%0*d" % (rev_width, m)
        previous = "r%0*d" % (rev_width, m - 1)
        first = (m - 1) * TABLES_PER_MIGRATION + 1
        last = min(n, m * TABLES_PER_MIGRATION)
        upgrade = ([ENUM_SQL] if m == 1 else []) + [
            s for k in range(first, last + 1) for s in table_sql(k, width)]
        downgrade = ["DROP TABLE %s;" % table_name(k, width) for k in range(last, first - 1, -1)]
        if m == 1:
            downgrade.append("DROP TYPE item_status;")
        header = ["-- retort:revision  " + rev]
        if m > 1:
            header.append("-- retort:revises   " + previous)
        header.append("-- retort:message   tables %d to %d" % (first, last))
        write(os.path.join(out, "migrations", "versions", "%0*d-%s_tables.sql" % (rev_width, m, rev)),
              "\n".join(header + ["", "-- retort:upgrade"] + upgrade + ["", "-- retort:downgrade"]
                        + downgrade) + "\n")
        floor.append("BEGIN;")
        floor += upgrade
        if m == 1:
            floor.append("INSERT INTO retort_version (version_num) VALUES ('%s');" % rev)
        else:
            floor.append("UPDATE retort_version SET version_num = '%s' WHERE version_num = '%s';"
                         % (rev, previous))
        floor.append("COMMIT;")
    write(os.path.join(out, "floor_migrations.sql"), "\n".join(floor) + "\n")

    # SQLAlchemy metadata equivalent to the schema, as an application would declare it.
    models = [
        "# Generated by bench/gen_engine_schema.py: %d tables, the same as schema/." % n,
        "from sqlalchemy import (ARRAY, BigInteger, Boolean, Column, DateTime, ForeignKey, Index,",
        "                        MetaData, Numeric, Table, Text, text)",
        "from sqlalchemy.dialects.postgresql import ENUM, JSONB",
        "",
        "metadata = MetaData()",
        "item_status = ENUM(%s, name='item_status', create_type=False)"
        % ", ".join(repr(label) for label in ENUM_LABELS),
        "",
    ]
    models += [model_py(k, width) for k in range(1, n + 1)]
    write(os.path.join(out, "models.py"), "\n".join(models))


if __name__ == "__main__":
    main()
