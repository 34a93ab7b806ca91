"""The desired schema from SQLAlchemy models, for `[schema] sqlalchemy = "module:Base"`.

Run by retort in the user's Python, in the project directory:

    python3 sqlalchemy_schema.py app.models:Base

Prints the DDL that `metadata.create_all()` would run on PostgreSQL, rendered by SQLAlchemy's
own PostgreSQL compiler against a mock engine (no database, no driver needed): CREATE TYPE for
enums, sequences, tables with identity / computed columns, server defaults and named
constraints, indexes with their postgresql_* options, comments, and the DDL of any
`after_create` / `before_create` listeners. Constraint and index names come from the MetaData's
naming_convention through SQLAlchemy's own machinery; the convention itself is printed first as
a comment line, `-- retort:naming_convention {json}`, for retort to read.

Extensions: `CREATE EXTENSION IF NOT EXISTS vector` is printed when a column uses pgvector's
type (its package is optional), and any names listed in `metadata.info["retort_extensions"]`
(e.g. ["pg_trgm", "citext"]) are created first too.

Works with SQLAlchemy 1.4 and 2.x. Errors go to stderr with a non-zero exit.
"""

import importlib
import json
import os
import sys


def _fail(message, code=2):
    sys.stderr.write("sqlalchemy_schema: " + message + "\n")
    sys.exit(code)


def _load_metadata(target):
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        _fail('expected "module:attribute" (e.g. app.models:Base), got %r' % target)
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        _fail("cannot import %s from %s with %s: %s" % (module_name, os.getcwd(), sys.executable,
                                                        error))
    value = module
    for part in attribute.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            _fail("%s has no attribute %s" % (module_name, attribute))
    from sqlalchemy import MetaData

    if isinstance(value, MetaData):
        return value
    metadata = getattr(value, "metadata", None)
    if isinstance(metadata, MetaData):
        return metadata
    _fail("%s is neither a MetaData nor a declarative base with .metadata" % target)


def _convention_as_json(metadata):
    """The naming convention as {"pk": "...", ...}; keys that are classes use SQLAlchemy's
    short names, callables (which only Python can run) are left out."""
    short = {"PrimaryKeyConstraint": "pk", "ForeignKeyConstraint": "fk",
             "UniqueConstraint": "uq", "CheckConstraint": "ck", "Index": "ix"}
    out = {}
    for key, value in (metadata.naming_convention or {}).items():
        if not isinstance(key, str):
            key = short.get(getattr(key, "__name__", ""), None)
            if key is None:
                continue
        if isinstance(value, str):
            out[key] = value
    return out


def _uses_pgvector(metadata):
    for table in metadata.tables.values():
        for column in table.columns:
            if type(column.type).__module__.startswith("pgvector"):
                return True
    return False


def main():
    if len(sys.argv) != 2:
        _fail("usage: sqlalchemy_schema.py module:attribute")
    sys.path.insert(0, os.getcwd())
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # whatever the models print must not end up in the DDL
    try:
        import sqlalchemy
    except ImportError as error:
        _fail("cannot import SQLAlchemy with %s (%s): set [schema] python to the interpreter "
              "that has your models' dependencies" % (sys.executable, error))
    try:
        import pgvector.sqlalchemy  # noqa: F401 - registers the type when it is installed
    except ImportError:
        pass

    metadata = _load_metadata(sys.argv[1])
    statements = []

    def collect(sql, *multiparams, **params):
        compiled = sql.compile(dialect=engine.dialect)
        statements.append(str(compiled).strip())

    engine = sqlalchemy.create_mock_engine("postgresql://", collect)
    metadata.create_all(engine, checkfirst=False)

    out = real_stdout
    out.write("-- retort:naming_convention %s\n" % json.dumps(_convention_as_json(metadata),
                                                              sort_keys=True))
    out.write("-- generated from %s with SQLAlchemy %s\n\n" % (sys.argv[1],
                                                              sqlalchemy.__version__))
    extensions = list(metadata.info.get("retort_extensions", []))
    if _uses_pgvector(metadata) and "vector" not in extensions:
        extensions.insert(0, "vector")
    for extension in extensions:
        out.write('CREATE EXTENSION IF NOT EXISTS "%s";\n\n' % extension.replace('"', '""'))
    schemas = sorted({table.schema for table in metadata.tables.values() if table.schema})
    for schema in schemas:
        out.write('CREATE SCHEMA IF NOT EXISTS "%s";\n\n' % schema.replace('"', '""'))
    for statement in statements:
        out.write(statement)
        out.write(";\n\n")
    out.flush()


if __name__ == "__main__":
    main()
