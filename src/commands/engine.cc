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
#include <map>
#include <memory>
#include <sstream>

#include "base/files.h"
#include "base/strings.h"
#include "catalog/inspect.h"
#include "commands/commands.h"
#include "commands/render_threads.h"
#include "commands/schema_sources.h"
#include "config/database_url.h"
#include "devdb/scratch.h"
#include "diff/renames.h"
#include "executor/executor.h"
#include "render/render.h"

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

  // Every file parsed, so that a broken one stops the command before any work.
  Result<const Project*> GetProject() {
    if (!project_) {
      RETORT_ASSIGN_OR_RETURN(project_, LoadProject(config_));
    }
    return project_.get();
  }
  // The headers alone, where the migrations are only replayed (ReplayedState parses their
  // statements on its own thread); the parsed project where it was loaded already.
  Result<const ProjectHeaders*> GetHeaders() {
    if (project_) return project_.get();
    if (!headers_) {
      RETORT_ASSIGN_OR_RETURN(headers_, LoadProjectHeaders(config_));
    }
    return headers_.get();
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
  std::unique_ptr<ProjectHeaders> headers_;
  std::string dev_conninfo_;
};

// "postgresql://app@db/prod" (password redacted), "schema", "head", a revision.
std::string SideName(const std::string& spec) {
  return spec.empty() ? "the database url" : config::RedactPassword(spec);
}

// Reads two sides at once: each is mostly the server applying DDL, and the dev server has more
// than one core. Log lines are buffered per side so they do not interleave.
struct TwoModels {
  schema::Database first;
  schema::Database second;
};

// When both fail, both are reported (`first_name`, `second_name` say which is which): fixing one
// and running again only to meet the other wastes a round of work.
Result<TwoModels> ReadBoth(const std::function<Result<schema::Database>(const Io&)>& first,
                           const std::function<Result<schema::Database>(const Io&)>& second,
                           const Io& io, const std::string& first_name,
                           const std::string& second_name) {
  std::ostringstream second_log;
  std::ostringstream second_out;
  auto background = std::async(std::launch::async, [&second, &second_out, &second_log] {
    Io second_io{second_out, second_log};
    return second(second_io);
  });
  Result<schema::Database> first_result = first(io);
  Result<schema::Database> second_result = background.get();
  io.log << second_log.str();
  if (!first_result.ok() && !second_result.ok()) {
    // Bad input (a schema file that does not apply) decides the exit code: it is what the user
    // must fix first.
    const Status& first_status = first_result.status();
    const Status& second_status = second_result.status();
    std::string message = "reading " + first_name + " failed: " + first_status.message() +
                          "\nreading " + second_name + " failed too: " + second_status.message();
    if (first_status.code() == Code::kInvalidInput || second_status.code() == Code::kInvalidInput) {
      return Status::InvalidInput(std::move(message));
    }
    return Status::Failed(std::move(message));
  }
  if (!first_result.ok()) return first_result.status();
  if (!second_result.ok()) return second_result.status();
  return TwoModels{std::move(*first_result), std::move(*second_result)};
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

// --using values ("schema.table.column=EXPRESSION"; "table.column" is in public) by column.
Result<std::map<std::string, std::string>> UsingExpressions(const std::vector<std::string>& values,
                                                            const std::string& flag) {
  std::map<std::string, std::string> expressions;
  for (const std::string& value : values) {
    size_t equals = value.find('=');
    std::string column(Trim(value.substr(0, std::min(equals, value.size()))));
    std::string expression =
        equals == std::string::npos ? "" : std::string(Trim(value.substr(equals + 1)));
    size_t dots = static_cast<size_t>(std::count(column.begin(), column.end(), '.'));
    if (expression.empty() || dots < 1 || dots > 2) {
      return Status::InvalidInput(flag + " '" + value +
                                  "': expected schema.table.column=EXPRESSION, e.g. " + flag +
                                  " 'public.events.at=to_timestamp(at)'");
    }
    if (dots == 1) column = "public." + column;
    if (!expressions.emplace(column, expression).second) {
      return Status::InvalidInput(flag + " given twice for column " + column);
    }
  }
  return expressions;
}

// --rename values, read against the models: "schema.table.column=NEW" and "table.column=NEW"
// (in public) rename a column, "schema.table=NEW" and "table=NEW" (in public) a table. "a.b=NEW"
// is a column of public.a when either side has that table, and table a.b otherwise.
Result<std::vector<diff::RenameSpec>> RenameSpecs(const std::vector<std::string>& values,
                                                  const schema::Database& from,
                                                  const schema::Database& to) {
  auto has_table = [&](const schema::QualifiedName& name) {
    for (const schema::Database* side : {&from, &to}) {
      for (const schema::Table& table : side->tables) {
        if (table.name == name) return true;
      }
    }
    return false;
  };
  std::vector<diff::RenameSpec> renames;
  for (const std::string& value : values) {
    size_t equals = value.find('=');
    std::vector<std::string> parts =
        Split(Trim(value.substr(0, std::min(equals, value.size()))), '.');
    std::string new_name =
        equals == std::string::npos ? "" : std::string(Trim(value.substr(equals + 1)));
    bool blank = std::any_of(parts.begin(), parts.end(),
                             [](const std::string& part) { return part.empty(); });
    if (new_name.empty() || blank || parts.empty() || parts.size() > 3) {
      return Status::InvalidInput("--rename '" + value +
                                  "': expected schema.table.column=NEW_NAME (a column) or "
                                  "schema.table=NEW_NAME (a table), e.g. --rename "
                                  "public.items.name=title");
    }
    if (new_name.find('.') != std::string::npos) {
      return Status::InvalidInput(
          "--rename '" + value + "': the new name is a name in the same schema, not " + new_name +
          ": retort renames within a schema, and moving a table to another schema (ALTER TABLE "
          "... SET SCHEMA) is a migration to write by hand");
    }
    if (parts.size() == 3) {
      renames.push_back({{parts[0], parts[1]}, parts[2], new_name});
    } else if (parts.size() == 1) {
      renames.push_back({{"public", parts[0]}, "", new_name});
    } else if (has_table({"public", parts[0]}) && !has_table({parts[0], parts[1]})) {
      renames.push_back({{"public", parts[0]}, parts[1], new_name});
    } else {
      renames.push_back({{parts[0], parts[1]}, "", new_name});
    }
  }
  return renames;
}

// The renames to write: the --rename values, then the likely renames the person at the
// terminal confirms. Without a terminal the likely ones go to `hints` (a comment and a note).
Status ChooseRenames(const std::vector<std::string>& values, const schema::Database& from,
                     const schema::Database& to, render::RenderOptions& options, const Io& io) {
  RETORT_ASSIGN_OR_RETURN(options.renames, RenameSpecs(values, from, to));
  diff::Renamed renamed = diff::ApplyRenames(from, to, options.renames);
  if (!renamed.problems.empty()) return Status::InvalidInput(Join(renamed.problems, "; "));
  for (const diff::RenameSpec& likely : diff::LikelyRenames(renamed.database, to)) {
    if (!io.confirm) {
      options.rename_hints.push_back(likely);
      continue;
    }
    std::string new_subject =
        likely.column.empty() ? schema::QualifiedName{likely.table.schema, likely.new_name}.Sql()
                              : diff::RenameSpec{likely.table, likely.new_name, ""}.Subject();
    io.log << "likely rename: " << likely.Subject() << " is dropped and " << new_subject
           << (likely.column.empty() ? " created with the same columns and constraints\n"
                                     : " added with the same type, NOT NULL and default\n");
    if (io.confirm("rename " + likely.Subject() + " to " + QuoteIdentifier(likely.new_name) +
                   "? [y/N]")) {
      options.renames.push_back(likely);
    }
  }
  return Status::Ok();
}

// What only a server's catalog knows about a migration, asked of the server at `conninfo`
// (any server of the same installation: built-in casts and extension scripts are the same):
// whether each type change without a USING expression has a cast (PostgreSQL's own answer to
// `CAST(CAST(NULL AS old) AS new)`), and whether each extension update has a path
// (pg_extension_update_paths). Types the server does not know (the user's own) are left to the
// diff, which converts enums through text.
Status CheckOnServer(const render::MigrationSql& sql, const std::string& conninfo,
                     bool downgrade_too) {
  if (sql.upgrade_conversions.empty() && sql.upgrade_extension_updates.empty() &&
      (!downgrade_too ||
       (sql.downgrade_conversions.empty() && sql.downgrade_extension_updates.empty()))) {
    return Status::Ok();
  }
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection,
                          pg::Connection::Open(conninfo, "retort-plan-check"));
  std::vector<std::string> problems;
  auto check = [&](const std::vector<render::TypeConversion>& conversions,
                   const std::vector<render::ExtensionUpdate>& updates, bool downgrade) {
    std::string flag = downgrade ? "--downgrade-using" : "--using";
    std::string direction = downgrade ? "downgrade: " : "";
    for (const render::TypeConversion& conversion : conversions) {
      auto outcome = connection.Execute("SELECT CAST(CAST(NULL AS " + conversion.from_type +
                                        ") AS " + conversion.to_type + ")");
      if (outcome.ok() || outcome.error.sqlstate != "42846") continue;  // cannot_coerce
      std::string column_name = conversion.column.substr(conversion.column.rfind('.') + 1);
      problems.push_back(direction + "column " + conversion.column + " changes type from " +
                         conversion.from_type + " to " + conversion.to_type +
                         ", and PostgreSQL has no cast between them: say how to convert the "
                         "values with " +
                         flag + " '" + conversion.column + "=EXPRESSION' (an expression of " +
                         column_name + ", e.g. " + flag + " '" + conversion.column +
                         "=to_timestamp(" + column_name + ")' for epoch seconds to a timestamp)");
    }
    for (const render::ExtensionUpdate& update : updates) {
      auto outcome = connection.ExecuteParams(
          "SELECT path FROM pg_extension_update_paths($1) WHERE source = $2 AND target = $3",
          {update.name, update.from_version, update.to_version});
      if (!outcome.ok()) continue;  // not installed on this server: nothing to ask
      if (outcome.value->rows() == 1 && !outcome.value->IsNull(0, 0)) continue;
      problems.push_back(direction + "extension " + update.name + " goes from version " +
                         update.from_version + " to " + update.to_version +
                         ", and its scripts offer no update path between them "
                         "(pg_extension_update_paths): drop and create the extension in a "
                         "migration written by hand, or keep version " +
                         update.from_version);
    }
  };
  check(sql.upgrade_conversions, sql.upgrade_extension_updates, false);
  if (downgrade_too) check(sql.downgrade_conversions, sql.downgrade_extension_updates, true);
  if (problems.empty()) return Status::Ok();
  return Status::InvalidInput("retort cannot generate this migration: " + Join(problems, "; "));
}

}  // namespace

Result<schema::Database> InspectSchema(const config::Config& config, const std::string& source,
                                       const Io& io) {
  Sides sides(config);
  RETORT_ASSIGN_OR_RETURN(Sides::Prepared prepared, sides.Prepare(source));
  return sides.Read(prepared, io);
}

Result<DiffReport> Diff(const config::Config& config, const DiffOptions& options, const Io& io) {
  Sides sides(config);
  RETORT_ASSIGN_OR_RETURN(Sides::Prepared from, sides.Prepare(options.from));
  RETORT_ASSIGN_OR_RETURN(Sides::Prepared to, sides.Prepare(options.to));
  RETORT_ASSIGN_OR_RETURN(TwoModels models,
                          ReadBoth([&](const Io& side_io) { return sides.Read(from, side_io); },
                                   [&](const Io& side_io) { return sides.Read(to, side_io); }, io,
                                   "the source (" + SideName(options.from) + ")",
                                   "the target (" + SideName(options.to) + ")"));
  render::RenderOptions render_options;
  RETORT_ASSIGN_OR_RETURN(render_options.upgrade_using,
                          UsingExpressions(options.using_exprs, "--using"));
  RETORT_ASSIGN_OR_RETURN(render_options.downgrade_using,
                          UsingExpressions(options.downgrade_using_exprs, "--downgrade-using"));
  RETORT_ASSIGN_OR_RETURN(render_options.renames,
                          RenameSpecs(options.renames, models.first, models.second));
  render_options.downgrade = options.with_downgrade || options.json;
  render::MigrationSql sql = RenderOnThreads(models.first, models.second, render_options);
  RETORT_RETURN_IF_ERROR(Supported(sql, /*downgrade_too=*/options.with_downgrade));
  RETORT_RETURN_IF_ERROR(CheckOnServer(sql, to.conninfo, options.with_downgrade));
  // A side given as a URL may carry a password; what is printed never does.
  return DiffReport{.from = config::RedactPassword(options.from),
                    .to = config::RedactPassword(options.to),
                    .with_downgrade = options.with_downgrade,
                    .sql = std::move(sql)};
}

namespace {

// The objects a migration to an empty schema would drop, by kind: "1 table, 2 views"; the total
// in `count`. An index, constraint or trigger goes with its table and is not counted apart.
std::string DescribeObjects(const schema::Database& database, int* count) {
  std::vector<std::string> parts;
  *count = 0;
  auto add = [&](size_t number, const char* one, const char* many) {
    if (number == 0) return;
    *count += static_cast<int>(number);
    parts.push_back(std::to_string(number) + " " + (number == 1 ? one : many));
  };
  size_t schemas = static_cast<size_t>(
      std::count_if(database.schemas.begin(), database.schemas.end(),
                    [](const schema::Schema& entry) { return entry.name != "public"; }));
  add(schemas, "schema", "schemas");
  add(database.extensions.size(), "extension", "extensions");
  add(database.enums.size() + database.domains.size() + database.composite_types.size(), "type",
      "types");
  add(database.sequences.size(), "sequence", "sequences");
  add(database.tables.size(), "table", "tables");
  add(database.views.size(), "view", "views");
  add(database.functions.size(), "function", "functions");
  add(database.collations.size(), "collation", "collations");
  add(database.operators.size() + database.operator_families.size() +
          database.operator_classes.size(),
      "operator object", "operator objects");
  return Join(parts, ", ");
}

// check compares the files with schema/; when a file that already ran somewhere was edited, the
// files no longer say what that database holds, so a passing check would be a false comfort.
// The configured database is the one place that knows; check is often run where it cannot be
// reached (CI), which is not an error.
Status RefuseEditedAppliedMigrations(const config::Config& config, const ProjectHeaders& project,
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

Result<CheckReport> Check(const config::Config& config, const Io& io) {
  auto started = Clock::now();
  if (std::string missing = NoDesiredSchemaReason(config); !missing.empty()) {
    return Status::InvalidInput("nothing to check: no schema files (" + missing +
                                "), so the project declares no desired schema and its migrations "
                                "are the only source of truth; " +
                                HowToDeclareSchema(config));
  }
  Sides sides(config);
  // Headers only: the replaying side parses the statements, in parallel with the schema side.
  RETORT_ASSIGN_OR_RETURN(const ProjectHeaders* project, sides.GetHeaders());
  RETORT_RETURN_IF_ERROR(RefuseEditedAppliedMigrations(config, *project, io));
  RETORT_ASSIGN_OR_RETURN(std::string dev_conninfo, sides.GetDevServer());
  RETORT_ASSIGN_OR_RETURN(
      TwoModels models,
      ReadBoth(
          [&](const Io& side_io) {
            return ReplayedState(*project, "heads", dev_conninfo, side_io,
                                 /*make_spare=*/true);
          },
          [&](const Io& side_io) { return DesiredState(config, dev_conninfo, side_io); }, io,
          "the migrations at head", "the schema files"));
  render::MigrationSql sql = RenderOnThreads(models.first, models.second, {.downgrade = false});
  RETORT_RETURN_IF_ERROR(Supported(sql, /*downgrade_too=*/false));
  RETORT_RETURN_IF_ERROR(CheckOnServer(sql, dev_conninfo, /*downgrade_too=*/false));
  CheckReport report{.heads = project->graph.Heads(),
                     .schema = SchemaPathsText(config),
                     .sql = sql.upgrade,
                     .elapsed_ms = MillisecondsSince(started)};
  if (!sql.empty()) {
    report.verdict = Status::Differences("the migrations (at " + DescribeRows(report.heads) +
                                         ") do not match " + report.schema +
                                         ": the SQL above is what they lack; `retort revision "
                                         "--autogenerate -m MESSAGE` writes it as a migration");
  }
  return report;
}

Result<std::string> AutogenerateRevision(const config::Config& config,
                                         const RevisionOptions& options,
                                         const AutogenerateOptions& autogenerate, const Io& io) {
  // One walk: the project loaded and the parent resolved once, here, for both the start state
  // and the file; the file parsed once, by WriteRevision, and linted from that parse.
  Sides sides(config);
  RETORT_ASSIGN_OR_RETURN(const Project* project, sides.GetProject());
  RETORT_ASSIGN_OR_RETURN(migrations::NewRevision revision, StartRevision(*project, options));
  // The revision the new one will revise: what its upgrade starts from.
  const std::string target = revision.parents.empty() ? "base" : revision.parents.front();
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
  if (std::string missing = NoDesiredSchemaReason(config); !missing.empty()) {
    // Without schema files the "desired" state is an empty database: a migration to it drops
    // everything, which is never what `revision --autogenerate` in a new project means.
    RETORT_ASSIGN_OR_RETURN(schema::Database start, read_start(io));
    int objects = 0;
    std::string kinds = DescribeObjects(start, &objects);
    std::string at =
        autogenerate.from_db ? std::string("the database") : "the migrations at " + target;
    if (objects > 0) {
      return Status::InvalidInput(
          "refusing to autogenerate: no schema files (" + missing + "), so the migration would " +
          (objects == 1 ? std::string("drop the 1 object ")
                        : "drop all " + std::to_string(objects) + " objects ") +
          at + " " + (autogenerate.from_db ? "holds" : "create") + " (" + kinds + "); " +
          HowToDeclareSchema(config) +
          ", then autogenerate again, or write this migration by hand with `retort revision -m "
          "MESSAGE`");
    }
    if (!autogenerate.empty) {
      io.log << "no changes: no schema files (" << missing << ") and nothing in " << at
             << "; nothing written (--empty writes an empty revision anyway)\n";
      return std::string();
    }
    RETORT_ASSIGN_OR_RETURN(migrations::Migration written,
                            WriteRevision(*project, std::move(revision), io));
    return written.path;
  }
  RETORT_ASSIGN_OR_RETURN(
      TwoModels models,
      ReadBoth(
          read_start,
          [&](const Io& side_io) { return DesiredState(config, dev_conninfo, side_io); }, io,
          "the migrations", "the schema files"));
  render::RenderOptions render_options;
  RETORT_ASSIGN_OR_RETURN(render_options.upgrade_using,
                          UsingExpressions(autogenerate.using_exprs, "--using"));
  RETORT_ASSIGN_OR_RETURN(
      render_options.downgrade_using,
      UsingExpressions(autogenerate.downgrade_using_exprs, "--downgrade-using"));
  render_options.online = !autogenerate.plain;
  RETORT_RETURN_IF_ERROR(
      ChooseRenames(autogenerate.renames, models.first, models.second, render_options, io));
  render::MigrationSql sql = RenderOnThreads(models.first, models.second, render_options);
  RETORT_RETURN_IF_ERROR(Supported(sql, /*downgrade_too=*/true));
  RETORT_RETURN_IF_ERROR(CheckOnServer(sql, dev_conninfo, /*downgrade_too=*/true));
  if (sql.empty() && !autogenerate.empty) {
    io.log << "no changes: " << SchemaPathsText(config) << " matches "
           << (autogenerate.from_db ? "the database" : "the migrations")
           << "; nothing written (--empty writes an empty revision anyway)\n";
    return std::string();
  }
  revision.upgrade_sql = sql.upgrade;
  revision.downgrade_sql = sql.downgrade;
  if (sql.upgrade_needs_no_transaction || sql.downgrade_needs_no_transaction) {
    revision.transactional = false;
  }
  for (const std::string& note : sql.notes) io.log << "note: " << note << "\n";
  if (sql.destructive_changes > 0) {
    io.log << "warning: " << sql.destructive_changes << " destructive change"
           << (sql.destructive_changes == 1 ? "" : "s")
           << " (marked in the file): review before running it\n";
  }
  RETORT_ASSIGN_OR_RETURN(migrations::Migration written,
                          WriteRevision(*project, std::move(revision), io));
  // Findings never block writing: the file is a draft the user reviews.
  ReportWrittenRevision(config, written, sql.upgrade_hazards, io);
  return written.path;
}

}  // namespace retort::commands
