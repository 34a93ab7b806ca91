"""Reads an Alembic history for `retort import alembic`.

Run by retort in the user's Python (the one that has their Alembic and SQLAlchemy), with the
directory of alembic.ini as the working directory:

    python3 alembic_import.py --config alembic.ini [--name alembic]

Prints one JSON document on stdout: the revisions in upgrade order, each with its own header
(ids, parents, the branch labels its file declares, depends_on, message, create date) and the
SQL of its upgrade and downgrade as Alembic's offline mode renders them, statement by statement.
Anything the user's env.py prints goes to stderr.

All revisions come out of one run of env.py: the steps are handed to Alembic's MigrationContext
one at a time by a generator (all upgrades from base to the heads, then all downgrades back to
base), and every statement Alembic renders is attributed to the step being run. Alembic's own
bookkeeping (the version table) and transaction control (BEGIN/COMMIT) are dropped: retort does
both itself.
"""

import argparse
import ast
import contextlib
import datetime
import functools
import inspect
import io
import json
import os
import re
import sys
import textwrap
import traceback


def _fail(message):
    sys.stderr.write("alembic_import: " + message + "\n")
    sys.exit(2)


class StepCapture:
    """The statements and problems of the step that is running."""

    def __init__(self):
        self.revision = None  # the Script of the running step, None between steps
        self.is_upgrade = True
        self.autocommit_depth = 0
        self.results = {}  # (revision id, "upgrade"|"downgrade") -> dict
        self.outside_steps = []  # statements env.py emitted outside any step
        self.context = None

    def begin(self, script, is_upgrade):
        self.revision = script
        self.is_upgrade = is_upgrade
        if script is not None:
            self.current()  # create the entry so an empty step is still reported

    def current(self):
        key = (self.revision.revision, "upgrade" if self.is_upgrade else "downgrade")
        return self.results.setdefault(
            key, {"statements": [], "autocommit": [], "problems": []})

    def statement(self, sql):
        if self.revision is None:
            self.outside_steps.append(sql)
            return
        entry = self.current()
        entry["statements"].append(sql)
        entry["autocommit"].append(self.autocommit_depth > 0)

    def problem(self, line, reason, kind="manual"):
        if self.revision is None:
            return
        entry = self.current()
        for existing in entry["problems"]:
            if existing["reason"] == reason:
                return
        entry["problems"].append({"line": line, "reason": reason, "kind": kind})

    def caller_line(self):
        """The line of the running revision's file that is on the stack, or 0."""
        if self.revision is None:
            return 0
        wanted = os.path.realpath(self.revision.path)
        frame = inspect.currentframe()
        while frame is not None:
            if os.path.realpath(frame.f_code.co_filename) == wanted:
                return frame.f_lineno
            frame = frame.f_back
        return 0


CAPTURE = StepCapture()


class _BindProxy:
    """What op.get_bind() returns offline: passes DDL through (`enum.create(bind)` renders
    fine offline) and reports every attempt to run a statement, since offline there is no
    database to answer it."""

    _QUERYING = {"execute", "exec_driver_sql", "scalar", "scalars", "begin", "begin_nested"}

    def __init__(self, bind, line):
        object.__setattr__(self, "_bind", bind)
        object.__setattr__(self, "_line", line)

    def __getattr__(self, name):
        if name in self._QUERYING:
            line = CAPTURE.caller_line() or self._line
            CAPTURE.problem(line, "runs statements through op.get_bind() (%s): a data "
                            "migration that needs a live database" % name)
        return getattr(self._bind, name)


def _is_version_table(construct, version_table):
    if version_table is None:
        return False
    for attribute in ("table", "element"):
        target = getattr(construct, attribute, None)
        if target is version_table:
            return True
        if (target is not None and getattr(target, "name", None) == version_table.name
                and getattr(target, "schema", None) == version_table.schema):
            return True
    return False


def _install_hooks():
    from alembic.ddl import impl as ddl_impl
    from alembic.operations import base as operations_base
    from alembic.runtime import environment, migration

    original_exec = ddl_impl.DefaultImpl._exec

    def capturing_exec(self, construct, *args, **kwargs):
        if not self.as_sql:
            return original_exec(self, construct, *args, **kwargs)
        context = CAPTURE.context
        version_table = getattr(context, "_version", None) if context is not None else None
        if _is_version_table(construct, version_table):
            return None
        rendered = []
        # Alembic renders each statement through static_output; shadowing it on the instance
        # for the duration of one call keeps the statement whole and in its step.
        self.static_output = rendered.append
        try:
            original_exec(self, construct, *args, **kwargs)
        finally:
            del self.static_output
        for text in rendered:
            CAPTURE.statement(text)
        return None

    ddl_impl.DefaultImpl._exec = capturing_exec

    original_autocommit = migration.MigrationContext.autocommit_block

    @contextlib.contextmanager
    def counting_autocommit(self):
        CAPTURE.autocommit_depth += 1
        try:
            with original_autocommit(self):
                yield
        finally:
            CAPTURE.autocommit_depth -= 1

    migration.MigrationContext.autocommit_block = counting_autocommit

    original_get_bind = operations_base.Operations.get_bind

    def recording_get_bind(self):
        bind = original_get_bind(self)
        if bind is None:
            return bind
        return _BindProxy(bind, CAPTURE.caller_line())

    operations_base.Operations.get_bind = recording_get_bind

    original_bind = migration.MigrationContext.bind

    def recording_bind(self):
        line = CAPTURE.caller_line()
        if line:
            CAPTURE.problem(line, "uses the migration context's bind (a database connection)")
        return original_bind.fget(self)

    migration.MigrationContext.bind = property(recording_bind)

    original_offline = environment.EnvironmentContext.is_offline_mode

    def recording_offline(self):
        line = CAPTURE.caller_line()
        if line:
            CAPTURE.problem(
                line, "branches on context.is_offline_mode(): its offline SQL differs from "
                "what it does online")
        return original_offline(self)

    environment.EnvironmentContext.is_offline_mode = recording_offline


def _function_has_body(function):
    """False for a function that only passes (or holds just a docstring / `...`)."""
    try:
        source = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return True
    definition = tree.body[0]
    for node in definition.body:
        if isinstance(node, ast.Pass):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        return True
    return False


def _function_source(function):
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def _guard(script, name, capture):
    """Wraps module.upgrade/downgrade so one revision's failure does not end the run."""
    function = getattr(script.module, name, None)
    if function is None:
        return None, None

    def guarded(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 - every failure is reported, none is fatal
            line = function.__code__.co_firstlineno
            wanted = os.path.realpath(script.path)
            for frame, frame_line in traceback.walk_tb(error.__traceback__):
                if os.path.realpath(frame.f_code.co_filename) == wanted:
                    line = frame_line
            if name == "downgrade" and isinstance(error, NotImplementedError):
                # Alembic's way of saying "irreversible": retort's is no downgrade section.
                capture.problem(line, "irreversible: downgrade() raises NotImplementedError",
                                kind="irreversible")
                return None
            capture.problem(line, "fails offline: %s: %s" % (type(error).__name__, error))
            return None

    guarded = functools.wraps(function)(guarded)
    setattr(script.module, name, guarded)
    return function, guarded


def _as_tuple(value):
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


_CREATE_DATE = re.compile(r"^Create Date:\s*(.+?)\s*$", re.MULTILINE)


def _created(script):
    """(text as retort writes it, seconds since the epoch)."""
    moment = None
    match = _CREATE_DATE.search(script.module.__doc__ or "")
    if match:
        try:
            moment = datetime.datetime.fromisoformat(match.group(1))
        except ValueError:
            moment = None
    if moment is None:
        moment = datetime.datetime.fromtimestamp(os.path.getmtime(script.path),
                                                 tz=datetime.timezone.utc)
    if moment.tzinfo is None:
        # Alembic writes the local time of the author's machine unless `timezone` is set; the
        # zone is unknown here, so the wall-clock value is kept and read as UTC.
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    moment = moment.astimezone(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M:%S+00"), int(moment.timestamp())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="alembic.ini")
    parser.add_argument("--name", default="alembic")
    arguments = parser.parse_args()

    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # env.py and logging must not mix with the JSON
    sys.path.insert(0, os.getcwd())

    try:
        import alembic
        from alembic.config import Config
        from alembic.runtime.environment import EnvironmentContext
        from alembic.script import ScriptDirectory
    except ImportError as error:
        _fail("cannot import Alembic in %s (%s): pass --python with the interpreter that has "
              "your Alembic and SQLAlchemy" % (sys.executable, error))
    import sqlalchemy

    if not os.path.exists(arguments.config):
        _fail("%s: no such file" % arguments.config)
    config = Config(arguments.config, ini_section=arguments.name, output_buffer=io.StringIO(),
                    cmd_opts=argparse.Namespace(x=None, autogenerate=False))
    script_directory = ScriptDirectory.from_config(config)
    _install_hooks()

    heads = tuple(script_directory.get_heads())
    upgrade_steps = script_directory._upgrade_revs("heads", ())
    downgrade_steps = script_directory._downgrade_revs("base", heads)
    order = [step.revision for step in upgrade_steps]

    originals = {}
    guarded = {}
    for revision in order:
        upgrade_fn, guarded[(revision.revision, True)] = _guard(revision, "upgrade", CAPTURE)
        downgrade_fn, guarded[(revision.revision, False)] = _guard(revision, "downgrade",
                                                                   CAPTURE)
        originals[revision.revision] = (upgrade_fn, downgrade_fn)

    def steps(_heads, context):
        CAPTURE.context = context
        for step in list(upgrade_steps) + list(downgrade_steps):
            CAPTURE.begin(step.revision, step.is_upgrade)
            # A step holds its function from when it was made; run the guarded one.
            replacement = guarded.get((step.revision.revision, step.is_upgrade))
            if replacement is not None:
                step.migration_fn = replacement
            yield step
        CAPTURE.begin(None, True)

    with EnvironmentContext(config, script_directory, fn=steps, as_sql=True,
                            starting_rev=None, destination_rev="heads", tag=None):
        script_directory.run_env()

    context = CAPTURE.context
    if context is None:
        _fail("env.py did not run the migrations (context.run_migrations() was not reached in "
              "offline mode)")
    version_table = context._version

    revisions = []
    for script in order:
        upgrade_fn, downgrade_fn = originals[script.revision]
        created_text, created_epoch = _created(script)
        entry = {
            "id": script.revision,
            "parents": list(_as_tuple(script.down_revision)),
            "branch_labels": list(_as_tuple(getattr(script.module, "branch_labels", None))),
            "depends_on": list(getattr(script, "_resolved_dependencies", None)
                               or _as_tuple(getattr(script.module, "depends_on", None))),
            "message": script.doc or "",
            "created": created_text,
            "created_epoch": created_epoch,
            "path": os.path.relpath(script.path),
        }
        for section, function in (("upgrade", upgrade_fn), ("downgrade", downgrade_fn)):
            result = CAPTURE.results.get((script.revision, section),
                                         {"statements": [], "autocommit": [], "problems": []})
            problems = list(result["problems"])
            if function is not None and not result["statements"] and not problems \
                    and _function_has_body(function):
                problems.append({
                    "line": function.__code__.co_firstlineno,
                    "reason": "%s() has code but produced no SQL offline" % section})
            entry[section] = result["statements"]
            entry[section + "_autocommit"] = result["autocommit"]
            entry[section + "_problems"] = problems
            entry[section + "_line"] = function.__code__.co_firstlineno if function else 0
            entry[section + "_source"] = _function_source(function) if problems else ""
        revisions.append(entry)

    document = {
        "alembic_version": alembic.__version__,
        "sqlalchemy_version": sqlalchemy.__version__,
        "script_location": os.path.relpath(script_directory.dir),
        "version_table": version_table.name,
        "version_table_schema": version_table.schema,
        "heads": list(heads),
        "revisions": revisions,
        "outside_steps": CAPTURE.outside_steps,
    }
    real_stdout.write(json.dumps(document, indent=1))
    real_stdout.write("\n")
    real_stdout.flush()


if __name__ == "__main__":
    main()
