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
#include "commands/schema_sources.h"
#include "config/database_url.h"
#include "devdb/scratch.h"
#include "executor/executor.h"
#include "render/render.h"
#include "schema/model_json.h"

namespace retort::commands {

namespace {

using Clock = std::chrono::steady_clock;

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

  // `depth`: kHeader where the migrations are only replayed (ReplayedState parses their
  // statements on its own thread).
  Result<const Project*> GetProject(migrations::ParseDepth depth = migrations::ParseDepth::kFull) {
    if (!project_) {
      RETORT_ASSIGN_OR_RETURN(project_, LoadProject(config_, depth));
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
      if (config_.database_url.empty() && config_.config_path.empty()) {
        return config::MissingConfigError();
      }
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
            "'" + config::RedactPassword(spec) +
            "' is neither a database URL, `schema`, `head` nor a revision: ");
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

// The SQL would fail on PostgreSQL (diff::Unsupported): say why instead of printing it.
Status Supported(const render::MigrationSql& sql, bool downgrade_too) {
  std::vector<std::string> problems = sql.upgrade_unsupported;
  if (downgrade_too) {
    for (const std::string& problem : sql.downgrade_unsupported) {
      problems.push_back("downgrade: " + problem);
    }
  }
  if (problems.empty()) return Status::Ok();
  return Status::InvalidInput("retort cannot generate this migration: " + Join(problems, "; "));
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
  RETORT_RETURN_IF_ERROR(Supported(sql, /*downgrade_too=*/false));
  if (options.json) {
    // A side given as a URL may carry a password; what is printed never does.
    nlohmann::json report = {{"from", config::RedactPassword(options.from)},
                             {"to", config::RedactPassword(options.to)},
                             {"upgrade", sql.upgrade},
                             {"downgrade", sql.downgrade},
                             {"upgrade_needs_no_transaction", sql.upgrade_needs_no_transaction},
                             {"downgrade_needs_no_transaction", sql.downgrade_needs_no_transaction},
                             {"destructive_changes", sql.destructive_changes}};
    io.out << report.dump(2) << "\n";
    return Status::Ok();
  }
  if (sql.empty()) {
    io.log << "no differences between " << config::RedactPassword(options.from) << " and "
           << config::RedactPassword(options.to) << "\n";
    return Status::Ok();
  }
  PrintMigrationSql(sql, options.with_downgrade, io);
  return Status::Ok();
}

namespace {

// check compares the files with schema/; when a file that already ran somewhere was edited, the
// files no longer say what that database holds, so a passing check would be a false comfort.
// The configured database is the one place that knows; check is often run where it cannot be
// reached (CI), which is not an error.
Status RefuseEditedAppliedMigrations(const config::Config& config, const Project& project,
                                     const Io& io) {
  if (config.database_url.empty()) return Status::Ok();
  std::string conninfo;
  auto connection = ConnectToDatabase(config, &conninfo);
  if (!connection.ok()) {
    if (connection.status().code() == Code::kInvalidInput) return connection.status();
    io.log << "note: applied migrations not compared with their files ("
           << connection.status().message() << ")\n";
    return Status::Ok();
  }
  RETORT_ASSIGN_OR_RETURN(auto rows, project.Store().ReadRows(*connection));
  return RefuseChangedMigrations(project, *connection, rows);
}

}  // namespace

Status Check(const config::Config& config, const Io& io) {
  auto started = Clock::now();
  Sides sides(config);
  // Headers only: the replaying side parses the statements, in parallel with the schema side.
  RETORT_ASSIGN_OR_RETURN(const Project* project,
                          sides.GetProject(migrations::ParseDepth::kHeader));
  RETORT_RETURN_IF_ERROR(RefuseEditedAppliedMigrations(config, *project, io));
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
  RETORT_RETURN_IF_ERROR(Supported(sql, /*downgrade_too=*/false));
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
  RETORT_RETURN_IF_ERROR(Supported(sql, /*downgrade_too=*/true));
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
