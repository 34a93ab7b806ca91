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

Shape "wide" (issue 16: a schema we did not design for our own reader) instead has about 42
columns a table, five enums, FK chains 200 tables deep with three foreign keys a table (the
previous table, the chain's head, the table five back), and five indexes besides the primary key
(a btree per foreign key, a partial index, a two-column index, GIN jsonb_path_ops): at 2000 tables
about 85,000 columns and 12,000 indexes.

Standard library only; run with Debian's /usr/bin/python3.
Usage: bench/gen_engine_schema.py [--shape chain|wide] N OUT_DIR
"""

import os
import sys

TABLES_PER_SCHEMA_FILE = 100
TABLES_PER_MIGRATION = 10
ENUM_SQL = "CREATE TYPE item_status AS ENUM ('new', 'active', 'archived');"
ENUM_LABELS = ("new", "active", "archived")
ENUM_NAMES = {"chain": ["item_status"], "wide": ["kind_%d" % e for e in range(5)]}


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


WIDE_CHAIN = 200
WIDE_ENUMS = [("kind_%d" % e, ("a%d" % e, "b%d" % e, "c%d" % e, "d%d" % e)) for e in range(5)]
# (name, SQL type, SQLAlchemy type, NOT NULL, server default): the plain columns of a wide table.
WIDE_COLUMNS = (
    [("label_%d" % i, "text", "Text", i < 2, None) for i in range(8)]
    + [("count_%d" % i, "integer", "Integer", i < 4, "0" if i < 4 else None) for i in range(8)]
    + [("total_%d" % i, "numeric(12,2)", "Numeric(12, 2)", False, None) for i in range(6)]
    + [("at_%d" % i, "timestamptz", "DateTime(timezone=True)", False, None) for i in range(4)]
    + [("flag_%d" % i, "boolean", "Boolean", True, "false") for i in range(4)]
    + [("big_%d" % i, "bigint", "BigInteger", False, None) for i in range(3)]
    + [("code", "varchar(200)", "String(200)", True, None),
       ("day", "date", "Date", False, None),
       ("tags", "text[]", "ARRAY(Text)", False, None),
       ("meta", "jsonb", "JSONB", False, None),
       ("deleted_at", "timestamptz", "DateTime(timezone=True)", False, None),
       ("created_at", "timestamptz", "DateTime(timezone=True)", True, "now()")])


def wide_links(k, width):
    """(column, referenced table) of table k's foreign keys."""
    position = (k - 1) % WIDE_CHAIN  # 0 = the chain's head
    head = k - position
    links = []
    if position >= 1:
        links.append(("parent_id", table_name(k - 1, width)))
    if position >= 2:
        links.append(("head_id", table_name(head, width)))
    if position >= 5:
        links.append(("back_id", table_name(k - 5, width)))
    return links


def wide_enum(k):
    return WIDE_ENUMS[k % len(WIDE_ENUMS)]


def wide_table_sql(k, width):
    name = table_name(k, width)
    enum_name = wide_enum(k)[0]
    columns = ["id bigint NOT NULL", "parent_id bigint", "head_id bigint", "back_id bigint",
               "kind %s NOT NULL DEFAULT '%s'" % (enum_name, wide_enum(k)[1][0]),
               "payload jsonb NOT NULL DEFAULT '{}'"]
    for column, sql_type, _, not_null, default in WIDE_COLUMNS:
        columns.append(column + " " + sql_type + (" NOT NULL" if not_null else "")
                       + (" DEFAULT " + default if default else ""))
    columns.append("CONSTRAINT %s_pkey PRIMARY KEY (id)" % name)
    for column, target in wide_links(k, width):
        columns.append("CONSTRAINT %s_%s_fkey FOREIGN KEY (%s) REFERENCES %s (id) ON DELETE CASCADE"
                       % (name, column, column, target))
    return [
        "CREATE TABLE %s (%s);" % (name, ", ".join(columns)),
        "CREATE INDEX %s_parent_idx ON %s (parent_id);" % (name, name),
        "CREATE INDEX %s_head_idx ON %s (head_id);" % (name, name),
        "CREATE INDEX %s_live_code_idx ON %s (code) WHERE deleted_at IS NULL;" % (name, name),
        "CREATE INDEX %s_kind_created_idx ON %s (kind, created_at);" % (name, name),
        "CREATE INDEX %s_payload_gin ON %s USING gin (payload jsonb_path_ops);" % (name, name),
    ]


def wide_model_py(k, width):
    name = table_name(k, width)
    links = dict(wide_links(k, width))
    lines = ["Table(", "    %r, metadata," % name,
             "    Column('id', BigInteger, primary_key=True, autoincrement=False),"]
    for column in ("parent_id", "head_id", "back_id"):
        if column in links:
            lines.append("    Column(%r, BigInteger, ForeignKey(%r, name=%r, ondelete='CASCADE')),"
                         % (column, links[column] + ".id", "%s_%s_fkey" % (name, column)))
        else:
            lines.append("    Column(%r, BigInteger)," % column)
    lines.append("    Column('kind', %s, nullable=False, server_default=text(\"'%s'\"))," %
                 (wide_enum(k)[0], wide_enum(k)[1][0]))
    lines.append("    Column('payload', JSONB, nullable=False, server_default=text(\"'{}'\")),")
    for column, _, sa_type, not_null, default in WIDE_COLUMNS:
        extra = "" if not not_null else ", nullable=False"
        if default:
            extra += ", server_default=text(%r)" % default
        lines.append("    Column(%r, %s%s)," % (column, sa_type, extra))
    lines += [
        "    Index(%r, 'parent_id')," % (name + "_parent_idx"),
        "    Index(%r, 'head_id')," % (name + "_head_idx"),
        "    Index(%r, 'code', postgresql_where=text('deleted_at IS NULL'))," % (name + "_live_code_idx"),
        "    Index(%r, 'kind', 'created_at')," % (name + "_kind_created_idx"),
        "    Index(%r, 'payload', postgresql_using='gin', postgresql_ops={'payload': 'jsonb_path_ops'}),"
        % (name + "_payload_gin"),
        ")",
    ]
    return "\n".join(lines) + "\n"


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
    args = sys.argv[1:]
    shape = "chain"
    if len(args) == 4 and args[0] == "--shape" and args[1] in ("chain", "wide"):
        shape = args[1]
        args = args[2:]
    if len(args) != 2 or not args[0].isdigit() or int(args[0]) < 1:
        sys.exit("usage: gen_engine_schema.py [--shape chain|wide] N OUT_DIR")
    n = int(args[0])
    out = args[1]
    width = max(4, len(str(n)))
    global ENUM_SQL, table_sql, model_py  # pylint: disable=global-statement
    if shape == "wide":
        ENUM_SQL = "\n".join("CREATE TYPE %s AS ENUM (%s);" % (e, ", ".join("'%s'" % l for l in labels))
                             for e, labels in WIDE_ENUMS)
        table_sql, model_py = wide_table_sql, wide_model_py

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
            downgrade += ["DROP TYPE %s;" % name for name in ENUM_NAMES[shape]]
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
        "from sqlalchemy import (ARRAY, BigInteger, Boolean, Column, Date, DateTime, ForeignKey,",
        "                        Index, Integer, MetaData, Numeric, String, Table, Text, text)",
        "from sqlalchemy.dialects.postgresql import ENUM, JSONB",
        "",
        "metadata = MetaData()",
        "item_status = ENUM(%s, name='item_status', create_type=False)"
        % ", ".join(repr(label) for label in ENUM_LABELS),
    ]
    models += ["%s = ENUM(%s, name=%r, create_type=False)"
               % (e, ", ".join(repr(label) for label in labels), e) for e, labels in WIDE_ENUMS]
    models.append("")
    models += [model_py(k, width) for k in range(1, n + 1)]
    write(os.path.join(out, "models.py"), "\n".join(models))


if __name__ == "__main__":
    main()
