// inspect, diff, check and revision --autogenerate: the commands that read schemas into the model
// (catalog/) and turn model differences into SQL (render/).
//
// Every side is read from a real server: the configured database, any URL, the schema/ files
// applied to a scratch database on the dev server, or the migrations replayed into one. The
// replayed head is kept on the dev server as a template database named after everything that
// went into it, so a later run whose migrations did not change reads it instead of replaying.
#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <iomanip>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/files.h"
#include "base/strings.h"
#include "catalog/inspect.h"
#include "commands/commands.h"
#include "devdb/scratch.h"
#include "executor/executor.h"
#include "render/render.h"
#include "schema/model_json.h"

#ifndef RETORT_VERSION
#define RETORT_VERSION "dev"
#endif

namespace retort::commands {

namespace {

using Clock = std::chrono::steady_clock;

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string FormatMs(double ms) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(0) << ms << " ms";
  return text.str();
}

catalog::InspectOptions InspectOptionsFor(const config::Config& config) {
  const history::TableNames bookkeeping;  // the names Project::Store() keeps beside the version
  catalog::InspectOptions options;
  options.exclude_tables = {{config.version_table_schema, config.version_table},
                            {config.version_table_schema, bookkeeping.history_table},
                            {config.version_table_schema, bookkeeping.progress_table}};
  options.exclude_schemas = {config.backup_schema};
  return options;
}

// retort's bookkeeping may have created the version table's schema; when nothing of the user's
// lives in it, it is retort's and not part of the schema either side describes.
void DropBookkeepingSchema(const config::Config& config, schema::Database& database) {
  const std::string& name = config.version_table_schema;
  if (name == "public") return;
  auto in_schema = [&name](const schema::QualifiedName& object) { return object.schema == name; };
  auto any_in_schema = [&in_schema](const auto& objects) {
    return std::any_of(objects.begin(), objects.end(),
                       [&in_schema](const auto& object) { return in_schema(object.name); });
  };
  if (any_in_schema(database.tables) || any_in_schema(database.views) ||
      any_in_schema(database.functions) || any_in_schema(database.sequences) ||
      any_in_schema(database.enums) || any_in_schema(database.domains) ||
      any_in_schema(database.composite_types)) {
    return;
  }
  for (const auto& extension : database.extensions) {
    if (extension.schema == name) return;
  }
  std::erase_if(database.schemas,
                [&name](const schema::Schema& entry) { return entry.name == name; });
}

Result<schema::Database> InspectConnection(const config::Config& config,
                                           pg::Connection& connection) {
  RETORT_ASSIGN_OR_RETURN(schema::Database database,
                          catalog::Inspect(connection, InspectOptionsFor(config)));
  DropBookkeepingSchema(config, database);
  return database;
}

Result<std::string> DevServer(const config::Config& config) {
  return ResolveConninfo(config, config.dev_url, "dev_url");
}

// ---- desired state

// The schema files in apply order: each configured path is a file or a directory whose *.sql
// files (not those of subdirectories) are taken in name order.
Result<std::vector<devdb::SqlFile>> SchemaFiles(const config::Config& config) {
  std::vector<devdb::SqlFile> files;
  for (const std::string& entry : config.schema_paths) {
    std::string path = StartsWith(entry, "/") ? entry : JoinPath(config.project_dir, entry);
    if (IsDirectory(path)) {
      RETORT_ASSIGN_OR_RETURN(std::vector<std::string> names, ListFiles(path, ".sql"));
      for (const std::string& name : names) {
        std::string full = StartsWith(name, "/") ? name : JoinPath(path, name);
        files.push_back(devdb::SqlFile{full, JoinPath(entry, BaseName(full))});
      }
    } else if (PathExists(path)) {
      files.push_back(devdb::SqlFile{path, entry});
    } else {
      return Status::InvalidInput(
          path + ": schema path not found (create it, or set [schema] paths in " +
          (config.config_path.empty() ? "retort.toml" : config.config_path) + ")");
    }
  }
  return files;
}

std::string SchemaPathsText(const config::Config& config) {
  std::vector<std::string> shown;
  for (const std::string& path : config.schema_paths) {
    shown.push_back(EndsWith(path, ".sql") || EndsWith(path, "/") ? path : path + "/");
  }
  return Join(shown, ", ");
}

Result<schema::Database> DesiredState(const config::Config& config, const std::string& dev_conninfo,
                                      const Io& io) {
  RETORT_ASSIGN_OR_RETURN(std::vector<devdb::SqlFile> files, SchemaFiles(config));
  auto started = Clock::now();
  RETORT_ASSIGN_OR_RETURN(devdb::ScratchDatabase scratch,
                          devdb::ScratchDatabase::Create(dev_conninfo, "schema"));
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection, scratch.Connect());
  double created_ms = MillisecondsSince(started);
  RETORT_RETURN_IF_ERROR(devdb::ApplySqlFiles(connection, files));
  double applied_ms = MillisecondsSince(started);
  RETORT_ASSIGN_OR_RETURN(schema::Database database, InspectConnection(config, connection));
  io.log << SchemaPathsText(config) << ": " << files.size() << " file"
         << (files.size() == 1 ? "" : "s") << " applied and read ("
         << FormatMs(MillisecondsSince(started)) << ": database " << FormatMs(created_ms)
         << ", apply " << FormatMs(applied_ms - created_ms) << ", read "
         << FormatMs(MillisecondsSince(started) - applied_ms) << ")\n";
  return database;
}

// ---- replayed migrations

// Sends the statements of a migration that runs in a transaction together with the bookkeeping
// that ends it: one round trip per migration instead of one per statement. Statements outside a
// transaction block (CREATE INDEX CONCURRENTLY ...) still go one at a time. A failure names no
// statement; the caller then replays again with a LiveSink to find it.
class BatchingSink : public executor::Sink {
 public:
  explicit BatchingSink(pg::Connection& connection) : connection_(connection) {}

  Status Statement(const std::string& sql, const executor::Origin& /*origin*/) override {
    if (!connection_.InTransaction()) return Run(sql);
    pending_ += sql;
    pending_ += ";\n";
    return Status::Ok();
  }
  Status Control(const std::string& sql) override {
    std::string batch = std::move(pending_);
    pending_.clear();
    return Run(batch + sql);
  }
  void Note(const std::string&) override {}
  void Abort() override {
    pending_.clear();
    if (connection_.InTransaction()) (void)connection_.Execute("ROLLBACK");
  }
  bool IsLive() const override { return true; }
  Result<pg::PgResult> Query(const std::string& sql) override {
    RETORT_RETURN_IF_ERROR(Flush());
    return connection_.Query(sql);
  }
  std::string LastSqlState() const override { return last_sqlstate_; }

 private:
  Status Flush() {
    std::string batch = std::move(pending_);
    pending_.clear();
    return Run(batch);
  }
  Status Run(const std::string& sql) {
    last_sqlstate_.clear();
    if (sql.empty()) return Status::Ok();
    auto outcome = connection_.Execute(sql);
    if (outcome.ok()) return Status::Ok();
    last_sqlstate_ = outcome.error.sqlstate;
    return Status::Failed(outcome.error.ToString());
  }

  pg::Connection& connection_;
  std::string pending_;
  std::string last_sqlstate_;
};

executor::Options ReplayOptions(const config::Config& config) {
  executor::Options options;
  options.transaction_per_migration = config.transaction_per_migration;
  // Nobody else uses a scratch database: nothing to wait for, nothing to time out.
  options.lock_timeout = "0";
  options.statement_timeout = "0";
  options.tool_version = std::string("retort ") + RETORT_VERSION;
  return options;
}

Status Replay(const Project& project, const revision::Plan& plan, executor::Sink& sink) {
  history::VersionStore store = project.Store();
  executor::Executor executor(sink, store, ReplayOptions(project.config));
  RETORT_RETURN_IF_ERROR(executor.EnsureTables());
  return executor.Run(plan, project.index);
}

// Everything that decides what a replay produces: a template made from the same inputs holds
// the same schema.
std::string ContentKey(const Project& project, const revision::Plan& plan) {
  std::string material = std::string("retort template v1\n") + RETORT_VERSION + "\n" +
                         project.config.version_table_schema + "." + project.config.version_table +
                         "\n" +
                         (project.config.transaction_per_migration ? "per-migration\n" : "one\n");
  for (const revision::Step& step : plan.steps) {
    const migrations::Migration& migration = project.Get(step.revision);
    material += step.revision + " " + (migration.transactional ? "tx " : "no-tx ") +
                migration.checksum + "\n";
  }
  material += "rows " + Join(plan.final_rows, ",") + "\n";
  return Sha256Hex(material);
}

std::string ProjectKey(const config::Config& config) {
  return Sha256Hex(AbsolutePath(config.project_dir));
}

std::string DescribeTarget(const revision::Plan& plan) {
  return plan.final_rows.empty() ? "base" : Join(plan.final_rows, ", ");
}

// The schema at `target` (a graph target: "heads", a revision id), read from the project's
// template on the dev server when one was kept for exactly these migrations, else replayed into
// a scratch database that then becomes that template.
// With `make_spare`, a run that reads the template (and so has a server core to spare while the
// schema files are applied) prepares the empty database the next run's schema files go into.
Result<schema::Database> ReplayedState(const Project& project, const std::string& target,
                                       const std::string& dev_conninfo, const Io& io,
                                       bool make_spare = false) {
  const config::Config& config = project.config;
  RETORT_ASSIGN_OR_RETURN(revision::Plan plan, project.graph.PlanUpgrade({}, target));
  RETORT_RETURN_IF_ERROR(executor::Executor::Preflight(plan, project.index));
  std::string project_key = ProjectKey(config);
  std::string content_key = ContentKey(project, plan);
  std::string template_name = devdb::TemplateName(project_key, content_key);

  auto started = Clock::now();
  {
    RETORT_ASSIGN_OR_RETURN(pg::Connection admin, pg::Connection::Open(dev_conninfo));
    RETORT_ASSIGN_OR_RETURN(bool cached, devdb::DatabaseExists(admin, template_name));
    if (cached) {
      auto connection = pg::Connection::OpenDatabase(dev_conninfo, template_name, "retort");
      // A template dropped between the two calls is simply rebuilt below.
      if (connection.ok()) {
        RETORT_ASSIGN_OR_RETURN(schema::Database database, InspectConnection(config, *connection));
        io.log << "migrations at " << DescribeTarget(plan) << ": read from template "
               << template_name << " (" << FormatMs(MillisecondsSince(started)) << ")\n";
        if (make_spare) (void)devdb::PrepareSpare(dev_conninfo);
        return database;
      }
    }
  }

  RETORT_ASSIGN_OR_RETURN(devdb::ScratchDatabase scratch,
                          devdb::ScratchDatabase::Create(dev_conninfo, "head"));
  schema::Database database;
  Status replayed;
  {
    RETORT_ASSIGN_OR_RETURN(pg::Connection connection, scratch.Connect());
    BatchingSink sink(connection);
    replayed = Replay(project, plan, sink);
    if (replayed.ok()) {
      RETORT_ASSIGN_OR_RETURN(database, InspectConnection(config, connection));
    }
  }
  if (!replayed.ok()) {
    // Again, one statement at a time, to say which statement of which file failed (or, should
    // only the batching have failed, to get the schema after all).
    RETORT_ASSIGN_OR_RETURN(scratch, devdb::ScratchDatabase::Create(dev_conninfo, "head"));
    RETORT_ASSIGN_OR_RETURN(pg::Connection connection, scratch.Connect());
    executor::LiveSink live(connection);
    Status precise = Replay(project, plan, live);
    if (!precise.ok()) {
      return precise.WithContext("replaying the migrations into a scratch database: ");
    }
    RETORT_ASSIGN_OR_RETURN(database, InspectConnection(config, connection));
  }
  io.log << "migrations at " << DescribeTarget(plan) << ": replayed " << plan.steps.size()
         << " migration" << (plan.steps.size() == 1 ? "" : "s") << " ("
         << FormatMs(MillisecondsSince(started)) << "), kept as template " << template_name << "\n";
  // Failing to keep the template costs the next run time, not this run its result.
  Status kept = devdb::KeepAsTemplate(std::move(scratch), project_key, content_key);
  if (!kept.ok()) io.log << "warning: " << kept.message() << "\n";
  return database;
}

// ---- sides of diff / inspect

bool LooksLikeDatabaseUrl(const std::string& spec) {
  return StartsWith(spec, "postgres://") || StartsWith(spec, "postgresql://") ||
         StartsWith(spec, "postgresql+") || spec.find('=') != std::string::npos ||
         spec == "embedded";
}

// Loads the project only for sides that need the migrations.
class Sides {
 public:
  explicit Sides(const config::Config& config) : config_(config) {}

  Result<const Project*> GetProject() {
    if (!project_) {
      RETORT_ASSIGN_OR_RETURN(project_, LoadProject(config_));
    }
    return project_.get();
  }

  Result<std::string> GetDevServer() {
    if (dev_conninfo_.empty()) {
      RETORT_ASSIGN_OR_RETURN(dev_conninfo_, DevServer(config_));
    }
    return dev_conninfo_;
  }

  // What a side's spec names, resolved up front (so bad input fails before any work); Read does
  // the expensive part.
  struct Prepared {
    enum class Kind { kDatabase, kSchema, kMigrations } kind = Kind::kDatabase;
    std::string conninfo;  // kDatabase
    std::string target;    // kMigrations: "heads" or a revision id
  };

  Result<Prepared> Prepare(const std::string& spec) {
    Prepared prepared;
    if (spec.empty()) {
      prepared.kind = Prepared::Kind::kDatabase;
      RETORT_ASSIGN_OR_RETURN(prepared.conninfo,
                              ResolveConninfo(config_, config_.database_url, "database url"));
      return prepared;
    }
    if (spec == "schema") {
      prepared.kind = Prepared::Kind::kSchema;
      RETORT_ASSIGN_OR_RETURN(prepared.conninfo, GetDevServer());
      return prepared;
    }
    if (LooksLikeDatabaseUrl(spec)) {
      prepared.kind = Prepared::Kind::kDatabase;
      RETORT_ASSIGN_OR_RETURN(prepared.conninfo, ResolveConninfo(config_, spec, "source URL"));
      return prepared;
    }
    RETORT_ASSIGN_OR_RETURN(const Project* project, GetProject());
    prepared.kind = Prepared::Kind::kMigrations;
    if (spec == "head" || spec == "heads") {
      prepared.target = "heads";
    } else if (spec == "base") {
      prepared.target = "base";
    } else {
      auto resolved = project->graph.ResolveRevision(spec, {});
      if (!resolved.ok()) {
        return resolved.status().WithContext(
            "'" + spec + "' is neither a database URL, `schema`, `head` nor a revision: ");
      }
      prepared.target = *resolved;
    }
    RETORT_ASSIGN_OR_RETURN(prepared.conninfo, GetDevServer());
    return prepared;
  }

  Result<schema::Database> Read(const Prepared& prepared, const Io& io) {
    switch (prepared.kind) {
      case Prepared::Kind::kSchema:
        return DesiredState(config_, prepared.conninfo, io);
      case Prepared::Kind::kMigrations:
        return ReplayedState(*project_, prepared.target, prepared.conninfo, io);
      case Prepared::Kind::kDatabase: {
        RETORT_ASSIGN_OR_RETURN(pg::Connection connection, pg::Connection::Open(prepared.conninfo));
        return InspectConnection(config_, connection);
      }
    }
    return Status::Failed("unknown side");
  }

 private:
  const config::Config& config_;
  std::unique_ptr<Project> project_;
  std::string dev_conninfo_;
};

// Reads two sides at once: each is mostly the server applying DDL, and the dev server has more
// than one core. Log lines are buffered per side so they do not interleave.
struct TwoModels {
  schema::Database first;
  schema::Database second;
};

Result<TwoModels> ReadBoth(const std::function<Result<schema::Database>(const Io&)>& first,
                           const std::function<Result<schema::Database>(const Io&)>& second,
                           const Io& io) {
  std::ostringstream second_log;
  std::ostringstream second_out;
  auto background = std::async(std::launch::async, [&second, &second_out, &second_log] {
    Io second_io{second_out, second_log};
    return second(second_io);
  });
  Result<schema::Database> first_result = first(io);
  Result<schema::Database> second_result = background.get();
  io.log << second_log.str();
  // Bad input (a schema file that does not apply) is what the user must fix first.
  if (!first_result.ok() && !second_result.ok() &&
      second_result.status().code() == Code::kInvalidInput &&
      first_result.status().code() != Code::kInvalidInput) {
    return second_result.status();
  }
  if (!first_result.ok()) return first_result.status();
  if (!second_result.ok()) return second_result.status();
  return TwoModels{std::move(*first_result), std::move(*second_result)};
}

void PrintMigrationSql(const render::MigrationSql& sql, bool with_downgrade, const Io& io) {
  if (!with_downgrade) {
    io.out << sql.upgrade;
    return;
  }
  io.out << "-- upgrade" << (sql.upgrade_needs_no_transaction ? " (outside a transaction)" : "")
         << "\n"
         << sql.upgrade << "\n-- downgrade"
         << (sql.downgrade_needs_no_transaction ? " (outside a transaction)" : "") << "\n"
         << sql.downgrade;
}

}  // namespace

Status InspectSchema(const config::Config& config, const std::string& source, bool json,
                     const Io& io) {
  Sides sides(config);
  RETORT_ASSIGN_OR_RETURN(Sides::Prepared prepared, sides.Prepare(source));
  RETORT_ASSIGN_OR_RETURN(schema::Database database, sides.Read(prepared, io));
  if (json) {
    io.out << schema::ToJson(database).dump(2) << "\n";
  } else {
    io.out << render::RenderCreateScript(database);
  }
  return Status::Ok();
}

Status Diff(const config::Config& config, const DiffOptions& options, const Io& io) {
  Sides sides(config);
  RETORT_ASSIGN_OR_RETURN(Sides::Prepared from, sides.Prepare(options.from));
  RETORT_ASSIGN_OR_RETURN(Sides::Prepared to, sides.Prepare(options.to));
  RETORT_ASSIGN_OR_RETURN(TwoModels models,
                          ReadBoth([&](const Io& side_io) { return sides.Read(from, side_io); },
                                   [&](const Io& side_io) { return sides.Read(to, side_io); }, io));
  render::MigrationSql sql = render::RenderMigration(models.first, models.second);
  if (options.json) {
    nlohmann::json report = {{"from", options.from},
                             {"to", options.to},
                             {"upgrade", sql.upgrade},
                             {"downgrade", sql.downgrade},
                             {"upgrade_needs_no_transaction", sql.upgrade_needs_no_transaction},
                             {"downgrade_needs_no_transaction", sql.downgrade_needs_no_transaction},
                             {"destructive_changes", sql.destructive_changes}};
    io.out << report.dump(2) << "\n";
    return Status::Ok();
  }
  if (sql.empty()) {
    io.log << "no differences between " << options.from << " and " << options.to << "\n";
    return Status::Ok();
  }
  PrintMigrationSql(sql, options.with_downgrade, io);
  return Status::Ok();
}

Status Check(const config::Config& config, const Io& io) {
  auto started = Clock::now();
  Sides sides(config);
  RETORT_ASSIGN_OR_RETURN(const Project* project, sides.GetProject());
  RETORT_ASSIGN_OR_RETURN(std::string dev_conninfo, sides.GetDevServer());
  RETORT_ASSIGN_OR_RETURN(
      TwoModels models,
      ReadBoth(
          [&](const Io& side_io) {
            return ReplayedState(*project, "heads", dev_conninfo, side_io,
                                 /*make_spare=*/true);
          },
          [&](const Io& side_io) { return DesiredState(config, dev_conninfo, side_io); }, io));
  render::MigrationSql sql = render::RenderMigration(models.first, models.second);
  if (sql.empty()) {
    io.out << "migrations match " << SchemaPathsText(config) << "\n";
    io.log << "checked in " << FormatMs(MillisecondsSince(started)) << "\n";
    return Status::Ok();
  }
  io.out << sql.upgrade;
  return Status::Differences("the migrations (at " + DescribeRows(project->graph.Heads()) +
                             ") do not match " + SchemaPathsText(config) +
                             ": the SQL above is what they lack; `retort revision "
                             "--autogenerate -m MESSAGE` writes it as a migration");
}

Result<std::string> AutogenerateRevision(const config::Config& config, RevisionOptions options,
                                         const AutogenerateOptions& autogenerate, const Io& io) {
  Sides sides(config);
  RETORT_ASSIGN_OR_RETURN(const Project* project, sides.GetProject());
  const revision::RevisionGraph& graph = project->graph;
  // The revision the new one will revise: what its upgrade starts from.
  std::string target = "base";
  std::string head = options.head.value_or("head");
  if (head != "base" && !graph.nodes().empty()) {
    if (!options.head && graph.Heads().size() > 1) {
      return Status::InvalidInput(
          "several heads (" + Join(graph.Heads(), ", ") +
          "): pass --head REV (or label@head) to say which one the new revision revises, or "
          "`retort merge heads` first");
    }
    RETORT_ASSIGN_OR_RETURN(target, graph.ResolveRevision(head, {}));
  }
  RETORT_ASSIGN_OR_RETURN(std::string dev_conninfo, sides.GetDevServer());

  std::function<Result<schema::Database>(const Io&)> read_start;
  if (autogenerate.from_db) {
    read_start = [&config, project, &target](const Io&) -> Result<schema::Database> {
      std::string conninfo;
      RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
      RETORT_ASSIGN_OR_RETURN(auto rows, project->Store().ReadRows(connection));
      std::vector<std::string> expected =
          target == "base" ? std::vector<std::string>{}
                           : project->graph.RowsFor(project->graph.Ancestors({target}));
      if (rows != expected) {
        return Status::InvalidInput("the database is at " + DescribeRows(rows) + ", not at " +
                                    DescribeRows(expected) +
                                    ": upgrade it first, or autogenerate without --from-db "
                                    "(which replays the migrations instead)");
      }
      return InspectConnection(config, connection);
    };
  } else {
    read_start = [project, &target, &dev_conninfo](const Io& side_io) {
      return ReplayedState(*project, target, dev_conninfo, side_io, /*make_spare=*/true);
    };
  }
  RETORT_ASSIGN_OR_RETURN(
      TwoModels models,
      ReadBoth(
          read_start,
          [&](const Io& side_io) { return DesiredState(config, dev_conninfo, side_io); }, io));
  render::MigrationSql sql = render::RenderMigration(models.first, models.second);
  if (sql.empty() && !autogenerate.empty) {
    io.log << "no changes: " << SchemaPathsText(config) << " matches "
           << (autogenerate.from_db ? "the database" : "the migrations")
           << "; nothing written (--empty writes an empty revision anyway)\n";
    return std::string();
  }
  options.upgrade_sql = sql.upgrade;
  options.downgrade_sql = sql.downgrade;
  if (sql.upgrade_needs_no_transaction || sql.downgrade_needs_no_transaction) {
    options.transactional = false;
  }
  if (sql.destructive_changes > 0) {
    io.log << "warning: " << sql.destructive_changes << " destructive change"
           << (sql.destructive_changes == 1 ? "" : "s")
           << " (marked in the file): review before running it\n";
  }
  RETORT_ASSIGN_OR_RETURN(std::string path, CreateRevision(config, options, io));
  // Findings never block writing: the file is a draft the user reviews.
  LintWrittenRevision(config, path, io);
  return path;
}

}  // namespace retort::commands
