// One function per command, each a thin orchestration of the library (Alembic's command.py).
// Commands return values; src/cli decides how to print them (text or JSON).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/status.h"
#include "commands/project.h"
#include "config/config.h"
#include "history/version_store.h"
#include "lint/lint.h"
#include "lint/probe.h"
#include "render/render.h"
#include "schema/model.h"

namespace retort::commands {

// A revision as the data commands report it.
struct RevisionInfo {
  std::string id;
  std::vector<std::string> parents;
  std::vector<std::string> children;
  std::string message;
  std::string created;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::string path;
  bool transactional = true;
  bool is_head = false;
  bool is_base = false;
  bool is_merge = false;
  bool is_branch_point = false;
  bool is_current = false;
  int upgrade_statements = -1;  // -1: not counted (only the header was read)
  int downgrade_statements = -1;
};
RevisionInfo DescribeRevision(const ProjectHeaders& project, const std::string& id,
                              const std::vector<std::string>& current_rows = {});

// ---- init
Status Init(const std::string& directory, const Io& io);

// ---- revision / merge
struct RevisionOptions {
  std::string message;
  std::optional<std::string> rev_id;
  std::optional<std::string> head;  // what the new revision revises: a spec, "base" for a root
  bool splice = false;              // allow revising a revision that is not a head
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  bool transactional = true;
  std::string upgrade_sql;  // body of the sections (empty for a blank revision)
  std::string downgrade_sql;
};
// Writes the new file and returns its path.
Result<std::string> CreateRevision(const config::Config& config, const RevisionOptions& options,
                                   const Io& io);
// CreateRevision in two halves, for a caller that has the project loaded already (autogenerate):
// the new revision from `options`, its parent resolved in the project's graph (InvalidInput for
// several heads without --head, or a parent that is not a head without --splice); then the file
// written from the template, as parsed back (its path, header and statements).
Result<migrations::NewRevision> StartRevision(const ProjectHeaders& project,
                                              const RevisionOptions& options);
Result<migrations::Migration> WriteRevision(const Project& project,
                                            migrations::NewRevision revision, const Io& io);
struct MergeOptions {
  std::string message;
  std::vector<std::string> revisions;  // default {"heads"}
  std::optional<std::string> rev_id;
  std::vector<std::string> branch_labels;
};
Result<std::string> Merge(const config::Config& config, const MergeOptions& options, const Io& io);

// ---- import alembic
struct ImportAlembicOptions {
  std::string alembic_config = "alembic.ini";
  std::string ini_section = "alembic";
  std::string python = "python3";
  bool force = false;  // replace the files of revisions imported before
};
// Converts the Alembic history into migration files, sets version_table to Alembic's in
// retort.toml and writes retort.sum. Revisions that cannot be rendered offline are written with
// `-- retort:needs-manual-conversion` and make the result InvalidInput listing them.
Status ImportAlembic(const config::Config& config, const ImportAlembicOptions& options,
                     const Io& io);

// ---- upgrade / downgrade / stamp
struct MigrateOptions {
  std::string target;
  bool sql = false;           // print the script instead of running it
  long lock_wait_ms = 60000;  // how long to wait for another migrator
  bool no_backup = false;     // --no-backup: destroy without copying first
};
Status Upgrade(const config::Config& config, const MigrateOptions& options, const Io& io);
Status Downgrade(const config::Config& config, const MigrateOptions& options, const Io& io);
struct StampOptions {
  std::vector<std::string> revisions;
  bool purge = false;
  bool sql = false;
  long lock_wait_ms = 60000;
};
Status Stamp(const config::Config& config, const StampOptions& options, const Io& io);

// ---- data commands

// A migration outside a transaction that stopped part way (history::ProgressRow, explained).
struct PartialMigration {
  std::string revision;
  std::string direction;    // "up" or "down"
  int statement = 0;        // where it stopped (1-based): the failed or next statement
  int statement_count = 0;  // as the run recorded it
  // statement_count + 1 when every statement ran but the step was not recorded (the version
  // table update failed or the run was cut off just before it).
  bool AllStatementsRan() const { return statement > statement_count; }
  // How many statements the file has in that direction now; nullopt when it cannot be read. A
  // value other than statement_count means the file was edited since the run.
  std::optional<int> file_statement_count;
  std::string error;  // the failed statement's error; "" when the run was interrupted
  std::string path;   // the migration file and the statement's line, when known
  int line = 0;
  std::string finished_at;  // when the last statement ran
};
// The partially applied migrations of the database (empty when there are none).
Result<std::vector<PartialMigration>> ReadPartialMigrations(const ProjectHeaders& project,
                                                            pg::Connection& connection);
// The same from progress rows read already (VersionStore::ReadState).
std::vector<PartialMigration> PartialMigrations(const ProjectHeaders& project,
                                                const std::vector<history::ProgressRow>& rows);

struct CurrentReport {
  std::string database;  // where we looked, safe to print
  std::vector<std::string> rows;
  std::vector<RevisionInfo> revisions;        // one per known row
  std::vector<std::string> unknown_rows;      // rows with no migration file
  std::vector<history::HistoryEntry> recent;  // --verbose: last applied steps
  std::vector<PartialMigration> partial;      // non-transactional migrations stopped part way
};
Result<CurrentReport> Current(const config::Config& config, bool verbose);

struct HistoryReport {
  std::vector<RevisionInfo> revisions;  // newest first
};
Result<HistoryReport> History(const config::Config& config, const std::string& range,
                              bool indicate_current, bool verbose);
// `history --graph` (text: the lanes of revision::DrawGraph, then each revision's id, branch
// labels, markers and message), `--format dot` (a Graphviz digraph) and `--format mermaid` (a
// mermaid flowchart). Edges run from a revision to its parents, so the newest is drawn on top;
// depends_on edges are dashed. The same report always gives the same bytes.
enum class GraphFormat { kText, kDot, kMermaid };
std::string DrawHistory(const HistoryReport& report, GraphFormat format);

Result<std::vector<RevisionInfo>> Heads(const config::Config& config, bool verbose);
struct BranchReport {
  RevisionInfo branch_point;
  std::vector<RevisionInfo> children;
};
Result<std::vector<BranchReport>> Branches(const config::Config& config);
struct ShowReport {
  RevisionInfo revision;
  std::vector<std::string> upgrade;
  std::vector<std::string> downgrade;
};
Result<ShowReport> Show(const config::Config& config, const std::string& spec);

// ---- checksums and retort.sum
struct ValidateReport {
  bool sum_file_present = false;
  std::vector<std::string> sum_file_problems;
  bool database_checked = false;          // false when no database URL is configured
  std::vector<ChangedMigration> changed;  // applied migrations whose files changed
  std::vector<std::string> unknown_rows;  // version rows with no migration file
  bool ok() const { return sum_file_problems.empty() && changed.empty() && unknown_rows.empty(); }
};
Result<ValidateReport> Validate(const config::Config& config);
// Rewrites migrations/retort.sum from the files on disk.
Status Hash(const config::Config& config, const Io& io);
// `stamp --update-checksums`: accepts the current files of applied migrations that changed.
Status UpdateChecksums(const config::Config& config, long lock_wait_ms, const Io& io);

// ---- backups (backups.cc): the rows migrations destroyed, kept in [backup] schema
struct BackupInfo {
  long long id = 0;
  std::string revision;
  std::string direction;  // "up" or "down"
  std::string kind;       // "table", "column", "truncate", "delete"
  std::string schema;
  std::string table;
  std::string column;                    // kind "column"
  std::vector<std::string> key_columns;  // the primary key kept beside a dropped column
  std::string backup_table;              // in the backup schema
  long long rows = 0;
  std::string created_at;
  std::string restored_at;  // "" until restored
};
// Newest first; empty when no backup was ever taken.
Result<std::vector<BackupInfo>> ListBackups(const config::Config& config);
struct RestoreReport {
  BackupInfo backup;
  long long restored = 0;  // rows inserted, or column values written back
  std::string summary;     // what was done, for people
};
// Puts backup `id` back: a dropped column's values by primary key into the column (which must
// exist again, e.g. after a downgrade); the rows of a dropped, truncated or emptied table into
// the table (which must exist), skipping rows whose key is already there.
Result<RestoreReport> RestoreBackup(const config::Config& config, long long id);
// Drops backups older than `older_than` (a PostgreSQL interval: "30d", "12 hours", "2 weeks")
// and returns them.
Result<std::vector<BackupInfo>> PruneBackups(const config::Config& config,
                                             const std::string& older_than);

// ---- dev (the embedded cluster)
struct DevReport {
  bool initialised = false;
  bool running = false;
  int pid = 0;
  std::string data_dir;
  std::string conninfo;
  std::string log_file;
  bool pruning = false;             // `dev prune`: only `pruned` is set
  std::vector<std::string> pruned;  // the template and spare databases dropped
};
// `prune` drops the replayed-migration templates and spare databases of the dev server
// (devdb::PruneCaches); a stopped embedded dev server is not started for it.
Result<DevReport> Dev(const config::Config& config, const std::string& action);

// ---- engine: inspect, diff, check, revision --autogenerate (engine.cc) ----
//
// A schema source ("side") is one of: "" (the configured database), a database URL or libpq
// conninfo ("embedded" too), `schema` (the [schema] paths applied to a scratch database on the
// dev server), `head`/`heads`, `base` or a revision (the migrations up to there, replayed into a
// scratch database; the replayed state is kept on the dev server as a template database keyed
// by the migrations' checksums and read instead of replayed while they do not change).
// retort's own tables and the retort_backup schema are never part of a side.

// The source's schema (src/cli prints it as a create script, or the model as JSON).
Result<schema::Database> InspectSchema(const config::Config& config, const std::string& source,
                                       const Io& io);

struct DiffOptions {
  std::string from;
  std::string to;
  bool with_downgrade = false;  // also print the SQL that goes back
  bool json = false;            // the report is printed as JSON, which has the downgrade too
  // --using / --downgrade-using "schema.table.column=EXPRESSION": the USING expression of a
  // column type change that has no cast (docs/formats.md, "Type changes without a cast").
  std::vector<std::string> using_exprs;
  std::vector<std::string> downgrade_using_exprs;
  // --rename values, as AutogenerateOptions::renames.
  std::vector<std::string> renames;
};
struct DiffReport {
  std::string from = {};  // the sides as given, passwords redacted: safe to print
  std::string to = {};
  bool with_downgrade = false;
  render::MigrationSql sql = {};  // what turns `from` into `to` (empty when they are equal)
};
// The SQL that turns `from` into `to`. src/cli prints it (nothing, and a note on the log, when
// they are equal).
Result<DiffReport> Diff(const config::Config& config, const DiffOptions& options, const Io& io);

struct CheckReport {
  std::vector<std::string> heads = {};
  std::string schema = {};  // where the desired schema comes from (SchemaPathsText)
  std::string sql = {};     // what the migrations lack; "" when they match
  double elapsed_ms = 0;
  // Ok when they match, else Differences (exit 3) saying what to do; printed after the report.
  Status verdict = Status::Ok();
  bool match() const { return verdict.ok(); }
};
// Compares schema/ with the migrations at head: src/cli prints "migrations match ..." or the
// SQL the migrations lack (with json, {"match", "heads", "schema", "sql"} either way).
// InvalidInput when the project declares no desired schema (NoDesiredSchemaReason): there is
// nothing to compare the migrations with.
Result<CheckReport> Check(const config::Config& config, const Io& io);

struct AutogenerateOptions {
  bool from_db = false;  // start from the configured database (which must be at the parent)
  bool empty = false;    // write a revision even when there is nothing to change
  std::vector<std::string> using_exprs;  // as DiffOptions::using_exprs
  std::vector<std::string> downgrade_using_exprs;
  // Today's simple form (CREATE INDEX in the migration's transaction, ADD COLUMN ... DEFAULT
  // ..., SET NOT NULL) instead of the online plan for tables that exist already
  // (docs/formats.md, "Online plans"): for empty databases and small tables.
  bool plain = false;
  // --rename "schema.table.column=new_name" (a column; "table.column=new_name" in public) or
  // "schema.table=new_name" (a table; "table=new_name" in public): written as ALTER ... RENAME,
  // and back in the downgrade, instead of a drop and an add (docs/formats.md, "Renames").
  std::vector<std::string> renames;
};
// `revision --autogenerate`: the SQL from the state at the new revision's parent (replayed, or
// the database) to schema/, written with CreateRevision. A dropped and an added column (or
// table) of the same shape is a likely rename (diff::LikelyRenames): io.confirm is asked
// whether it is one; without it, the drop and add are written with a comment and a note that
// name the --rename to pass. Returns the new file's path, or "" when
// there was nothing to write. Without schema files it refuses (InvalidInput, naming what the
// migration would drop) unless the start holds nothing either.
Result<std::string> AutogenerateRevision(const config::Config& config,
                                         const RevisionOptions& options,
                                         const AutogenerateOptions& autogenerate, const Io& io);

// ---- verification (soundness.cc, drift.cc): docs/verification.md

// One check of `retort test`: a JUnit test case.
struct TestCheck {
  enum class Outcome { kPassed, kFailed, kSkipped };
  std::string check;  // "heads", "files", "reachability", "upgrade", "schema", "stairway"
  std::string name;   // the test case: "single head", "stairway 3f2a9c1b7d4e", ...
  std::vector<std::string> revisions;  // at fault (failed) or covered (stairway)
  Outcome outcome = Outcome::kPassed;
  std::string message;  // one line: what passed, why it failed, why it did not run
  std::string details;  // more lines (SQL of a diff, the error) or ""
  double elapsed_ms = 0;
};
struct TestReport {
  std::vector<TestCheck> checks;
  double elapsed_ms = 0;
  int Count(TestCheck::Outcome outcome) const;
  bool ok() const { return Count(TestCheck::Outcome::kFailed) == 0; }
};
struct TestOptions {
  std::string junit_path;  // write JUnit XML here too ("" for none)
};
// `retort test`: proves the migrations sound on scratch databases of the dev server (graph
// shape, files, upgrade base -> head, head against schema/, the stairway up-down-up of every
// revision, with migrations/fixtures/REV.sql applied after REV). Never touches the configured
// database. A failed check is part of the report (the caller exits 1), not an error.
Result<TestReport> TestMigrations(const config::Config& config, const TestOptions& options,
                                  const Io& io);
// The report as JUnit XML: one testsuite (named `suite`), one testcase per check.
std::string TestReportJunit(const TestReport& report, const std::string& suite = "retort test");

struct DriftReport {
  std::string database = {};                // safe to print
  std::vector<std::string> revisions = {};  // the database's version rows
  render::MigrationSql sql = {};            // expected -> live: the out-of-band changes
  // Ok without drift, else Differences (exit 3) saying how to keep or drop the changes.
  Status verdict = Status::Ok();
};
// `retort drift`: the configured database against what its version rows should contain (the
// migrations up to them, replayed on the dev server). src/cli prints the SQL of the out-of-band
// changes, or "no drift: ...". InvalidInput when the database has no version rows or rows the
// migrations do not know.
Result<DriftReport> Drift(const config::Config& config, const Io& io);

// ---- lint (lint.cc): the rules of src/lint over migration files; docs/lint.md
struct LintOptions {
  // Revisions (REV, heads, A:B ranges) and SQL files. Empty: the migrations the configured
  // database has not applied, or every migration when there is no database to ask.
  std::vector<std::string> targets;
  bool all = false;      // every migration, even when a database says which are applied
  bool offline = false;  // never connect: no size grading
  bool probe = false;    // run the one target on a scratch copy and report locks and rewrites
  bool list_rules = false;
};
struct LintFindings {
  std::vector<lint::Finding> findings = {};
  std::vector<std::string> files = {};
  // Where the findings were graded by table size, if anywhere.
  std::optional<std::string> database = {};
  lint::Summary summary = {};
};
struct LintReport {
  // One of: the rules (--rules), the probe's report (--probe), the findings.
  std::variant<std::vector<lint::Rule>, lint::ProbeReport, LintFindings> result = {};
  // Differences (exit 3) when a finding is an error; Failed when a probed statement failed on
  // the scratch copy. Printed after the report.
  Status verdict = Status::Ok();
};
Result<LintReport> Lint(const config::Config& config, const LintOptions& options, const Io& io);

// For `revision --autogenerate`: the findings for the migration it just wrote, in line order: its
// plan's hazards (render::MigrationSql::upgrade_hazards, on their statements' lines) and the
// hygiene rules, which need the text, linted from the parse `written` already holds (static, no
// database). The plan's hazards are not linted again.
std::vector<lint::Finding> WrittenRevisionFindings(
    const config::Config& config, const migrations::Migration& written,
    const std::vector<render::MigrationSql::StatementHazard>& hazards);
// Prints WrittenRevisionFindings on io.log. Never fails and never blocks the revision.
void ReportWrittenRevision(const config::Config& config, const migrations::Migration& written,
                           const std::vector<render::MigrationSql::StatementHazard>& hazards,
                           const Io& io);

// ---- fleet (fleet.cc): the verbs over every target of a [[targets]] group; docs/fleet.md

// One target of a group: a database, or one tenant's schema in a database.
struct FleetTarget {
  std::string label = {};   // the URL with its password redacted: safe to print
  std::string schema = {};  // "" for a whole database
  std::string url = {};     // as listed; never printed
  std::string where = {};  // where it was listed: "retort.toml:12", "fleet.txt:3", "registry row 4"
  // What the label and schema say together, as one word for messages and the fleet log.
  std::string Name() const { return schema.empty() ? label : label + " [" + schema + "]"; }
};
// The group's targets in the order they are listed. InvalidInput for an unknown group, a bad
// URL (naming where it is listed) or a target listed twice; Failed when the registry query
// cannot run.
Result<std::vector<FleetTarget>> ResolveFleetTargets(const config::Config& config,
                                                     const std::string& group);

struct FleetOptions {
  std::string group = {};
  MigrateOptions migrate = {};  // the revision target, --lock-wait, --no-backup
  bool dry_run = false;         // only read each target and say what it would run
  // The group's settings, overridden from the command line when set.
  std::optional<long long> canary = {};
  std::optional<long long> width = {};
  std::optional<long long> max_failures = {};
};

// What happened to one target of a rollout.
struct FleetTargetRun {
  enum class Outcome { kMoved, kAlreadyThere, kWouldMove, kFailed, kNotStarted };
  FleetTarget target = {};
  Outcome outcome = Outcome::kNotStarted;
  bool canary = false;
  std::vector<std::string> rows_before = {};
  std::vector<std::string> rows_after = {};
  std::vector<std::string> moved = {};  // applied or reverted; with --dry-run, what would run
  std::string error = {};               // kFailed: what went wrong, passwords redacted
  double elapsed_ms = 0;
};
struct FleetRunReport {
  std::string group = {};
  bool upgrade = true;
  std::string destination = {};  // the revision target as given
  bool dry_run = false;
  std::vector<FleetTargetRun> targets = {};  // in the group's order
  // Ok when every target is there (or, with --dry-run, was read); Failed naming why the rollout
  // stopped otherwise.
  Status verdict = Status::Ok();
};
// `fleet upgrade` / `fleet downgrade`: the first `canary` targets one at a time, then the rest
// `width` at a time, each under its own migration lock and with the single-database guarantees;
// no target starts after a canary failed or once `max_failures` targets have. Each target's
// outcome is kept in .retort/fleet/GROUP.json (fleet status shows its last error). io.log gets a
// line as each target finishes. Re-running continues: targets already there cost one read.
Result<FleetRunReport> FleetMigrate(const config::Config& config, const FleetOptions& options,
                                    bool upgrade, const Io& io);

struct FleetTargetStatus {
  FleetTarget target = {};
  bool reachable = false;
  std::vector<std::string> rows = {};     // its version rows
  std::vector<std::string> unknown = {};  // rows no migration file has
  int pending = 0;                        // migrations between the rows and the heads
  std::vector<PartialMigration> partial = {};
  std::string error = {};  // why it could not be read
  // From the fleet log: the last rollout's failure ("" after a success), the last drift check
  // ("none", "drifted", "" when never checked), and when they were recorded.
  std::string last_error = {};
  std::string drift = {};
  std::string recorded_at = {};
  bool AtHeads() const { return reachable && unknown.empty() && pending == 0 && partial.empty(); }
};
struct FleetStatusReport {
  std::string group = {};
  std::vector<std::string> heads = {};
  std::vector<FleetTargetStatus> targets = {};  // in the group's order
  Status verdict = Status::Ok();                // Failed naming the targets that could not be read
};
// `fleet status`: every target's revision read (`width` at a time); never changes a target.
// Targets behind the heads are data, not a failure (`fleet check` is the gate for that).
Result<FleetStatusReport> FleetStatus(const config::Config& config, const FleetOptions& options);

struct FleetTargetDrift {
  FleetTarget target = {};
  std::vector<std::string> rows = {};
  render::MigrationSql sql = {};  // expected -> live: the out-of-band changes (empty: none)
  std::string error = {};         // why it could not be compared
};
struct FleetDriftReport {
  std::string group = {};
  std::vector<std::string> heads = {};
  std::vector<FleetTargetDrift> targets = {};
  // Ok when every target could be compared and none drifted; Differences (exit 3) naming the
  // drifted ones; Failed when a target could not be compared. With `require_heads` (fleet
  // check), a target not at the heads is a difference too.
  Status verdict = Status::Ok();
};
// `fleet drift`: each database target against the migrations up to its own version rows
// (replayed once per distinct set of rows on the dev server). `fleet check` is the same with
// require_heads. Schema targets are refused by name: their expected schema cannot be replayed
// yet (docs/fleet.md).
Result<FleetDriftReport> FleetDrift(const config::Config& config, const FleetOptions& options,
                                    bool require_heads, const Io& io);

// A fleet report as JUnit XML: one testcase per target.
std::string FleetJunit(const FleetRunReport& report);
std::string FleetJunit(const FleetStatusReport& report);
std::string FleetJunit(const FleetDriftReport& report);

}  // namespace retort::commands
