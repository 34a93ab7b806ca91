#!/usr/bin/python3
"""What `alembic revision --autogenerate` does, minus writing the file: reflect the database and
compare it with the application's metadata. The engine bench times this process against
`retort diff`. Run with Debian's /usr/bin/python3 (python3-alembic, python3-psycopg2).

Usage: bench/alembic_autogenerate.py MODELS_DIR SQLALCHEMY_URL
Prints the number of differences found (0 when the metadata matches the database) and the
first few of them.
"""

import sys
import threading
import traceback

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine


def autogenerate(models_dir, url, outcome):
    try:
        sys.path.insert(0, models_dir)
        import models  # noqa: E402  (generated next to the schema)

        engine = create_engine(url)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection)
            outcome["differences"] = compare_metadata(context, models.metadata)
    except Exception:  # reported by main()
        outcome["error"] = traceback.format_exc()


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: alembic_autogenerate.py MODELS_DIR SQLALCHEMY_URL")
    # Reflecting a table reflects the table its foreign key references first, recursively: along
    # the bench's chain of N foreign keys that is about 10 Python frames a table, beyond the
    # default recursion limit from about 100 tables on. Give it the depth (and the C stack).
    sys.setrecursionlimit(1000000)
    threading.stack_size(1 << 30)
    outcome = {}
    worker = threading.Thread(target=autogenerate, args=(sys.argv[1], sys.argv[2], outcome))
    worker.start()
    worker.join()
    if "differences" not in outcome:
        sys.exit(outcome.get("error", "alembic autogenerate did not finish"))
    differences = outcome["differences"]
    print("alembic differences: %d" % len(differences))
    for difference in differences[:5]:
        print("  %r" % (difference,))


if __name__ == "__main__":
    main()
