// upgrade, downgrade, stamp: the commands that move a database along the graph.
#include <algorithm>
#include <optional>
#include <set>

#include "base/files.h"
#include "base/parallel.h"
#include "base/strings.h"
#include "commands/commands.h"
#include "commands/migrate.h"
#include "executor/executor.h"
#include "pg/advisory_lock.h"

#ifndef RETORT_VERSION
#define RETORT_VERSION "dev"
#endif

namespace retort::commands {

namespace {

using Verb = Direction;

// duplicate_table, duplicate_object, duplicate_column, duplicate_schema, duplicate_function: what
// the first migration meets in a database built without retort.
constexpr const char* kAlreadyExistsStates[] = {"42P07", "42710", "42701", "42P06", "42723"};

// Whether a failed run's message (pg::PgError::ToString, "... (SQLSTATE 42P07)") says that
// something the migration creates already exists.
bool FailedOnExistingObject(const std::string& message) {
  return std::any_of(std::begin(kAlreadyExistsStates), std::end(kAlreadyExistsStates),
                     [&message](const char* state) {
                       return message.find(std::string("(SQLSTATE ") + state + ")") !=
                              std::string::npos;
                     });
}

executor::Options ExecutorOptions(const config::Config& config) {
  executor::Options options;
  options.transaction_per_migration = config.transaction_per_migration;
  options.lock_timeout = config.lock_timeout;
  options.statement_timeout = config.statement_timeout;
  options.tool_version = std::string("retort ") + RETORT_VERSION;
  options.lock_retries = static_cast<int>(std::min<long long>(config.lock_retries, 1000));
  // Both were validated when the config was read.
  auto base = config::ParseDurationMs(config.lock_retry_base);
  auto cap = config::ParseDurationMs(config.lock_retry_max);
  if (base.ok()) options.lock_retry_base_ms = *base;
  if (cap.ok()) options.lock_retry_max_ms = *cap;
  options.backup = config.backup_mode != "off";
  options.backup_schema = config.backup_schema;
  return options;
}

// Options for a run that changes a database (live or as a script): backups unless turned off,
// and the log for retries and backfill progress.
executor::Options RunOptions(const config::Config& config, const MigrateOptions& migrate,
                             const Io& io) {
  executor::Options options = ExecutorOptions(config);
  if (migrate.no_backup) options.backup = false;
  options.log = &io.log;
  options.log_is_terminal = io.display.is_terminal;
  options.live_line = io.live_line;
  options.statement_progress = io.display.statement_progress;
  if (io.display.width > 0) options.statement_progress_display.width = io.display.width;
  return options;
}

}  // namespace

Result<revision::Path> PlanMove(const ProjectHeaders& project, Verb verb,
                                const std::vector<std::string>& rows, const std::string& target) {
  for (const std::string& row : rows) {
    if (project.graph.Find(row) == nullptr) {
      return Status::InvalidInput("the database is at revision '" + row + "', which is not in " +
                                  project.config.VersionsDirectory() +
                                  " (a migration file is missing, or the database belongs to "
                                  "another project; `retort stamp` can repair the version table)");
    }
  }
  return verb == Verb::kUpgrade ? project.graph.PlanUpgrade(rows, target)
                                : project.graph.PlanDowngrade(rows, target);
}

namespace {

executor::ProgressCallback ReportMigrations(const Io& io, Verb verb) {
  if (!io.migrated) return nullptr;
  return [&io, verb](const executor::StepEvent& event) {
    if (!event.finished) return;
    const auto& statements =
        verb == Verb::kUpgrade ? event.migration.upgrade : event.migration.downgrade;
    io.migrated({.upgrade = verb == Verb::kUpgrade,
                 .revision = event.step.revision,
                 .message = event.migration.message,
                 .statements = statements.size(),
                 .elapsed_ms = event.elapsed_ms});
  };
}

// --sql: `A:B` starts the script at A; a plain target starts at base (no database needed, as in
// Alembic's offline mode).
Status WriteScript(const Project& project, Verb verb, const MigrateOptions& options, const Io& io) {
  const std::string& target = options.target;
  std::vector<std::string> start_rows;
  std::string destination = target;
  size_t colon = target.find(':');
  if (colon != std::string::npos) {
    std::string from = target.substr(0, colon);
    destination = target.substr(colon + 1);
    if (!from.empty() && from != "base") {
      RETORT_ASSIGN_OR_RETURN(std::string start, project.graph.ResolveRevision(from, {}));
      start_rows = project.graph.RowsFor(project.graph.Ancestors({start}));
    }
  } else if (verb == Verb::kDowngrade) {
    return Status::InvalidInput(
        "downgrade --sql needs a range FROM:TO (e.g. head:base), since no database is read");
  }
  RETORT_ASSIGN_OR_RETURN(revision::Path plan, PlanMove(project, verb, start_rows, destination));
  history::VersionStore store = project.Store();
  executor::ScriptSink sink(io.out);
  executor::Options run_options = RunOptions(project.config, options, io);
  executor::Executor executor(sink, store, run_options);
  RETORT_RETURN_IF_ERROR(
      executor::Executor::Preflight(plan, project.index, !run_options.transaction_per_migration));
  sink.Start("retort " + std::string(verb == Verb::kUpgrade ? "upgrade " : "downgrade ") + target +
             " --sql (" + std::to_string(plan.steps.size()) + " migrations)\n");
  RETORT_RETURN_IF_ERROR(executor.EnsureTables());
  io.out << '\n';
  return executor.Run(plan, project.index);
}

}  // namespace

Status FillChecksums(Project& project, const std::set<std::string>& revisions) {
  std::vector<migrations::Migration*> wanted;
  for (migrations::Migration& migration : project.migrations) {
    if (revisions.count(migration.id) != 0) wanted.push_back(&migration);
  }
  std::vector<Status> outcomes(wanted.size(), Status::Ok());
  ParallelFor(wanted.size(), [&](size_t i) { outcomes[i] = migrations::FillChecksum(*wanted[i]); });
  std::vector<std::string> problems;
  for (const Status& outcome : outcomes) {
    if (!outcome.ok()) problems.push_back(outcome.message());
  }
  if (problems.empty()) return Status::Ok();
  return Status::InvalidInput(Join(problems, "\n"));
}

namespace {

// The digest statement for the transaction that records `plan`'s last migration: the files of
// the revisions applied then, as checked before the run (`checked_rows` checksum rows) or as
// their history rows record them, expecting one more checksum row per migration upgraded.
std::string ClosingDigest(const ProjectHeaders& checked, const Project& project,
                          const revision::Path& plan, long long checked_rows,
                          const history::VersionStore& store) {
  std::map<std::string, std::string> recorded_hashes;
  long long expected_rows = checked_rows;
  for (const revision::Move& step : plan.steps) {
    if (step.direction != revision::Direction::kUp) continue;
    const migrations::Migration& migration = project.Get(step.revision);
    recorded_hashes[step.revision] =
        migration.source_sha256.empty() ? Sha256Hex(migration.source) : migration.source_sha256;
    ++expected_rows;
  }
  return store.RecordDigestStatement(AppliedDigest(checked, plan.final_rows, recorded_hashes),
                                     expected_rows);
}

}  // namespace

Result<MoveOutcome> MoveDatabase(const ProjectHeaders& headers, const ParsedProject& parsed,
                                 MigrationTarget& target, Direction verb,
                                 const MigrateOptions& options, const Io& io) {
  pg::Connection& connection = target.connection;
  const std::string& conninfo = target.conninfo;
  const history::VersionStore& store = target.store;
  MoveOutcome outcome;
  // The rows and the applied digest in one round trip: all a no-op run asks the server when the
  // digest matches the files. Otherwise every recorded checksum is read and compared (and the
  // digest written for the next run).
  RETORT_ASSIGN_OR_RETURN(auto recorded,
                          store.ReadState(connection, history::VersionStore::StateParts{
                                                          .checksums = false, .digest = true}));
  const std::vector<std::string>& rows = recorded.rows;
  outcome.rows_before = outcome.rows_after = rows;
  std::string digest = AppliedDigest(headers, rows);
  bool digest_matched = digest == recorded.digest.digest;
  // The checksum rows the files were found to match, whichever way.
  long long checked_rows = recorded.digest.history_rows;
  if (!digest_matched) {
    RETORT_ASSIGN_OR_RETURN(auto checksums, store.ReadChecksums(connection, &checked_rows));
    RETORT_RETURN_IF_ERROR(RefuseChangedMigrations(headers, connection, rows, checksums));
  }
  RETORT_ASSIGN_OR_RETURN(revision::Path plan, PlanMove(headers, verb, rows, options.target));
  // An up-to-date database returns without queueing behind a running migrator.
  if (plan.steps.empty()) {
    if (!digest_matched && recorded.digest.table_exists) {
      // Never fails the run: the digest is only a shortcut for the next one.
      if (!connection.Execute(store.RecordDigestSql(digest, checked_rows)).ok()) {
        (void)connection.Execute("ROLLBACK");
      }
    }
    io.log << "already at " << DescribeRows(rows) << "; nothing to do\n";
    return outcome;
  }
  // There is work: every file's SQL parsed now, so that a syntax error anywhere stops the run
  // before anything changes.
  RETORT_ASSIGN_OR_RETURN(const Project* project, parsed(plan));
  executor::Options run_options = RunOptions(headers.config, options, io);
  run_options.track_progress = true;
  RETORT_RETURN_IF_ERROR(
      executor::Executor::Preflight(plan, project->index, !run_options.transaction_per_migration));

  // This session waits idle while another migrator holds the lock: a server-side
  // idle_session_timeout must not end it there. And if we die, the server should stop our
  // statements within a second rather than let an orphaned migration run on beside the next
  // deployer (both PostgreSQL 14+).
  if (connection.ServerVersion() >= 140000) {
    (void)connection.Execute(
        "SET idle_session_timeout = 0; SET client_connection_check_interval = 1000");
  }
  RETORT_ASSIGN_OR_RETURN(auto lock, AcquireMigrationLock(conninfo, store, options.lock_wait_ms));
  // Someone may have migrated while we waited: plan again from what is there now, towards the
  // same absolute destination (a relative "+1" must not move twice).
  RETORT_ASSIGN_OR_RETURN(auto rows_now, store.ReadRows(connection));
  if (rows_now != rows) {
    std::vector<std::string> destination = plan.final_rows;
    revision::Path replanned;
    replanned.final_rows = rows_now;
    if (verb == Verb::kUpgrade) {
      for (const std::string& head : destination) {
        RETORT_ASSIGN_OR_RETURN(revision::Path part,
                                PlanMove(*project, verb, replanned.final_rows, head));
        replanned.steps.insert(replanned.steps.end(), part.steps.begin(), part.steps.end());
        if (!part.steps.empty()) replanned.final_rows = part.final_rows;
      }
    } else {
      // The same destination as planned ("-1" from where the database was when we looked):
      // a racer that got there first leaves nothing to do, never a second step down.
      std::set<std::string> applied_now = project->graph.Ancestors(rows_now);
      bool reachable = destination.size() <= 1 &&
                       (destination.empty() || applied_now.count(destination.front()) > 0);
      if (!reachable) {
        bool below =
            rows_now.empty() || (rows_now.size() == 1 &&
                                 project->graph.Ancestors(destination).count(rows_now.front()) > 0);
        if (below) {
          io.log << "already at " << DescribeRows(rows_now) << ", below "
                 << DescribeRows(destination)
                 << " (another process downgraded while we waited); nothing to do\n";
          outcome.rows_after = rows_now;
          return outcome;
        }
        return Status::Failed("the database moved from " + DescribeRows(rows) + " to " +
                              DescribeRows(rows_now) +
                              " while waiting for the migration lock; run the downgrade again");
      }
      RETORT_ASSIGN_OR_RETURN(
          replanned, PlanMove(*project, verb, rows_now,
                              destination.empty() ? std::string("base") : destination.front()));
    }
    plan = std::move(replanned);
    if (plan.steps.empty()) {
      io.log << "already at " << DescribeRows(rows_now)
             << " (another process migrated while we waited); nothing to do\n";
      outcome.rows_after = rows_now;
      return outcome;
    }
  }

  // Steps carry normalised rows; a table holding a redundant row (an ancestor of another, as
  // older Alembic tables can) must move from what is really there.
  plan.steps.front().rows_before = rows_now;

  run_options.lock_guard_check = lock.GuardCheck();
  run_options.closing_statements = {ClosingDigest(headers, *project, plan, checked_rows, store)};
  run_options.interrupted_wait_ms = options.lock_wait_ms;
  executor::LiveSink sink(connection);
  executor::Executor executor(sink, store, run_options, ReportMigrations(io, verb));
  RETORT_RETURN_IF_ERROR(executor.EnsureTables());
  // Partially applied migrations, read under the lock: the run resumes them.
  RETORT_ASSIGN_OR_RETURN(auto progress, store.ReadProgress(connection));
  executor.SetProgress(std::move(progress));
  Status status = executor.Run(plan, project->index);
  if (!status.ok()) {
    // Refusals (exit 2) found before anything ran stay refusals.
    if (status.code() == Code::kInvalidInput) return status;
    auto rows_after = store.ReadRows(connection);
    if (!rows_after.ok()) {
      // The session itself may be what failed (terminated, network): ask on a new one.
      auto fresh = pg::Connection::Open(conninfo);
      if (fresh.ok()) rows_after = store.ReadRows(*fresh);
    }
    std::string where = rows_after.ok() ? DescribeRows(*rows_after) : "unknown (cannot read it)";
    std::string hint;
    if (verb == Verb::kUpgrade && rows_now.empty() && rows_after.ok() && rows_after->empty() &&
        FailedOnExistingObject(status.message())) {
      hint =
          "\nthe database has no version rows, yet holds what the first migration creates: it "
          "was built without retort. If it already matches a revision, record that with "
          "`retort stamp REV` (nothing runs; `retort drift` then shows any difference), and "
          "upgrade from there";
    }
    return Status::Failed(status.message() + "\nthe database is at " + where + hint);
  }
  io.log << "now at " << DescribeRows(plan.final_rows) << "\n";
  outcome.rows_after = plan.final_rows;
  for (const revision::Move& step : plan.steps) outcome.moved.push_back(step.revision);
  return outcome;
}

namespace {

Status Migrate(const config::Config& config, const MigrateOptions& options, const Io& io,
               Verb verb) {
  // Headers first: an up-to-date database (the common deploy) must not pay for parsing every
  // file's SQL.
  if (options.sql) {
    RETORT_ASSIGN_OR_RETURN(auto project, LoadProject(config, migrations::ParseDepth::kFull));
    return WriteScript(*project, verb, options, io);
  }
  if (options.target.find(':') != std::string::npos) {
    return Status::InvalidInput("a range (" + options.target + ") is only valid with --sql");
  }
  RETORT_ASSIGN_OR_RETURN(ConnectedProject connected,
                          LoadProjectAndConnect(config, /*depth=*/std::nullopt));
  // There is work: parse every file's SQL now, so that a syntax error anywhere stops the run
  // before anything changes. Checksums (a second parse of every statement) only of what runs:
  // for 1000 files that was a third of the client's time before the first migration.
  std::unique_ptr<Project> project;
  ParsedProject parsed = [&](const revision::Path& plan) -> Result<const Project*> {
    RETORT_ASSIGN_OR_RETURN(project, LoadProject(config, migrations::ParseDepth::kStatements));
    std::set<std::string> running;
    for (const revision::Move& step : plan.steps) running.insert(step.revision);
    RETORT_RETURN_IF_ERROR(FillChecksums(*project, running));
    return project.get();
  };
  MigrationTarget target{connected.connection, connected.conninfo, connected.project->Store()};
  RETORT_ASSIGN_OR_RETURN(MoveOutcome outcome,
                          MoveDatabase(*connected.project, parsed, target, verb, options, io));
  if (verb == Verb::kUpgrade && !outcome.moved.empty()) {
    TakeEditsIntoSumFile(*project, outcome.moved, io);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<PartialMigration>> ReadPartialMigrations(const ProjectHeaders& project,
                                                            pg::Connection& connection) {
  RETORT_ASSIGN_OR_RETURN(auto rows, project.Store().ReadProgress(connection));
  return PartialMigrations(project, rows);
}

std::vector<PartialMigration> PartialMigrations(const ProjectHeaders& project,
                                                const std::vector<history::ProgressRow>& rows) {
  std::vector<PartialMigration> partial;
  for (size_t i = 0; i < rows.size(); ++i) {
    // Rows come ordered by statement: the last one of each step says where it stopped.
    bool last = i + 1 == rows.size() || rows[i + 1].revision != rows[i].revision ||
                rows[i + 1].direction != rows[i].direction;
    if (!last) continue;
    const history::ProgressRow& row = rows[i];
    PartialMigration migration;
    migration.revision = row.revision;
    migration.direction = row.direction;
    migration.statement = row.statement + (row.status == "done" ? 1 : 0);
    migration.statement_count = row.statement_count;
    migration.error = row.error;
    if (row.status == "running") {
      migration.error = "statement " + std::to_string(row.statement) +
                        " was sent outside a transaction by session pid " +
                        std::to_string(row.running_pid) +
                        " and its end was not recorded (the run was killed or lost its lock); "
                        "the next run checks whether it took effect before going on";
    }
    migration.finished_at = row.finished_at;
    auto file = project.header_index.find(row.revision);
    if (file != project.header_index.end()) {
      const migrations::MigrationHeader& found = *file->second;
      migration.path = found.path;
      migration.line = found.revision_line;
      // Read-only commands load headers only; the statement's line needs the whole file.
      const migrations::Migration* parsed = project.Parsed(row.revision);
      std::optional<migrations::Migration> full;
      if (parsed == nullptr) {
        auto read = migrations::ReadMigration(found.path);
        if (read.ok()) parsed = &full.emplace(std::move(read).value());
      }
      if (parsed != nullptr) {
        const auto& statements = row.direction == "up" ? parsed->upgrade : parsed->downgrade;
        migration.file_statement_count = static_cast<int>(statements.size());
        size_t index = static_cast<size_t>(migration.statement - 1);
        if (index < statements.size()) migration.line = statements[index].line;
      }
    }
    partial.push_back(std::move(migration));
  }
  return partial;
}

Status Upgrade(const config::Config& config, const MigrateOptions& options, const Io& io) {
  return Migrate(config, options, io, Verb::kUpgrade);
}

Status Downgrade(const config::Config& config, const MigrateOptions& options, const Io& io) {
  return Migrate(config, options, io, Verb::kDowngrade);
}

Status Stamp(const config::Config& config, const StampOptions& options, const Io& io) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProject(config));
  history::VersionStore store = project->Store();
  executor::Options executor_options = ExecutorOptions(config);
  if (options.sql) {
    RETORT_ASSIGN_OR_RETURN(auto rows_after,
                            project->graph.StampRows({}, options.revisions, /*purge=*/true));
    executor::ScriptSink sink(io.out);
    sink.Start("retort stamp --sql");
    executor::Executor executor(sink, store, executor_options);
    RETORT_RETURN_IF_ERROR(executor.EnsureTables());
    return executor.Stamp({}, rows_after, /*purge=*/true);
  }
  std::string conninfo;
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
  RETORT_ASSIGN_OR_RETURN(auto lock, AcquireMigrationLock(conninfo, store, options.lock_wait_ms));
  RETORT_ASSIGN_OR_RETURN(auto rows, store.ReadRows(connection));
  std::vector<std::string> known_rows;
  for (const std::string& row : rows) {
    if (project->graph.Find(row) != nullptr) known_rows.push_back(row);
  }
  if (known_rows.size() != rows.size() && !options.purge) {
    return Status::InvalidInput("the version table holds revisions that are not in " +
                                config.VersionsDirectory() + " (" + DescribeRows(rows) +
                                "); use `stamp --purge` to replace them");
  }
  RETORT_ASSIGN_OR_RETURN(auto rows_after,
                          project->graph.StampRows(known_rows, options.revisions, options.purge));
  executor_options.lock_guard_check = lock.GuardCheck();
  executor::LiveSink sink(connection);
  executor::Executor executor(sink, store, executor_options);
  RETORT_RETURN_IF_ERROR(executor.EnsureTables());
  RETORT_RETURN_IF_ERROR(executor.Stamp(rows, rows_after, options.purge));
  io.log << "stamped " << DescribeRows(rows) << " -> " << DescribeRows(rows_after) << "\n";
  return Status::Ok();
}

}  // namespace retort::commands
