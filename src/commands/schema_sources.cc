// The schema sources of the engine commands: the schema/ files applied to a scratch database,
// the migrations replayed into one (kept as a template database), and any database read through
// the catalog with retort's own tables left out.
#include "commands/schema_sources.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <functional>
#include <iomanip>
#include <optional>
#include <sstream>

#include "base/files.h"
#include "base/process.h"
#include "base/strings.h"

#ifndef RETORT_VERSION
#define RETORT_VERSION "dev"
#endif

namespace retort::commands {

namespace {

using Clock = std::chrono::steady_clock;

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
      any_in_schema(database.composite_types) || any_in_schema(database.collations) ||
      any_in_schema(database.operators) || any_in_schema(database.operator_families) ||
      any_in_schema(database.operator_classes)) {
    return;
  }
  for (const auto& extension : database.extensions) {
    if (extension.schema == name) return;
  }
  std::erase_if(database.schemas,
                [&name](const schema::Schema& entry) { return entry.name == name; });
}

// A [schema] paths entry: where it is, and how messages show it ("schema/", "extra.sql").
std::string SchemaPathOnDisk(const config::Config& config, const std::string& entry) {
  return StartsWith(entry, "/") ? entry : JoinPath(config.project_dir, entry);
}
std::string ShownSchemaPath(const std::string& entry) {
  return EndsWith(entry, ".sql") || EndsWith(entry, "/") ? entry : entry + "/";
}

}  // namespace

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
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
                            {config.version_table_schema, bookkeeping.progress_table},
                            {config.version_table_schema, bookkeeping.digest_table}};
  options.exclude_schemas = {config.backup_schema};
  return options;
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

Result<std::string> SharedFile(const std::string& name) {
  std::vector<std::string> candidates;
  if (const char* dir = std::getenv("RETORT_SHARE_DIR"); dir != nullptr && *dir != '\0') {
    candidates.push_back(JoinPath(dir, name));
  }
  // Installed: <prefix>/bin/retort next to <prefix>/share/retort.
  std::string executable_dir = ExecutableDirectory();
  if (!executable_dir.empty()) {
    candidates.push_back(JoinPath(executable_dir, "../share/retort/" + name));
  }
#ifdef RETORT_SOURCE_SHARE_DIR
  candidates.push_back(JoinPath(RETORT_SOURCE_SHARE_DIR, name));  // a build tree
#endif
  for (const std::string& path : candidates) {
    if (PathExists(path)) return AbsolutePath(path);
  }
  return Status::InvalidInput("retort's " + name + " is missing (looked in " +
                              Join(candidates, ", ") +
                              "); reinstall retort or set RETORT_SHARE_DIR");
}

bool SchemaFromProgram(const config::Config& config) {
  return !config.schema_program.empty() || !config.schema_sqlalchemy.empty();
}

Result<std::vector<std::string>> SchemaProgramCommand(const config::Config& config) {
  if (!config.schema_program.empty() && !config.schema_sqlalchemy.empty()) {
    return Status::InvalidInput(
        (config.config_path.empty() ? std::string("retort.toml") : config.config_path) +
        ": [schema] sets both program and sqlalchemy; keep one");
  }
  if (!config.schema_program.empty()) return config.schema_program;
  RETORT_ASSIGN_OR_RETURN(std::string provider, SharedFile("sqlalchemy_schema.py"));
  return std::vector<std::string>{config.schema_python, provider, config.schema_sqlalchemy};
}

Result<std::string> SchemaProgramOutput(const config::Config& config, const Io& io) {
  RETORT_ASSIGN_OR_RETURN(std::vector<std::string> command, SchemaProgramCommand(config));
  RETORT_ASSIGN_OR_RETURN(long timeout_ms, config::ParseDurationMs(config.schema_program_timeout));
  ProcessOptions options;
  options.cwd = config.project_dir.empty() ? "." : config.project_dir;
  options.timeout_ms = timeout_ms;
  std::string what = SchemaPathsText(config);
  RETORT_ASSIGN_OR_RETURN(ProcessResult result, RunProcess(command, options));
  std::string stderr_text = std::string(Trim(result.err));
  std::string shown = stderr_text.empty() ? "" : "\n" + stderr_text;
  if (result.timed_out || result.exit_code != 0) {
    return Status::InvalidInput(what + " failed (" + DescribeEnd(result, timeout_ms) + ")" +
                                (shown.empty() ? ": it printed nothing on stderr" : ":" + shown));
  }
  if (Trim(result.out).empty()) {
    return Status::InvalidInput(what + " printed no DDL on standard output" +
                                (shown.empty() ? "" : "; its stderr:" + shown));
  }
  if (!stderr_text.empty()) io.log << what << ": " << stderr_text << "\n";
  return result.out;
}

// The schema files in apply order: each configured path is a file or a directory whose *.sql
// files (not those of subdirectories) are taken in name order.
Result<std::vector<devdb::SqlFile>> SchemaFiles(const config::Config& config) {
  std::vector<devdb::SqlFile> files;
  for (const std::string& entry : config.schema_paths) {
    std::string path = SchemaPathOnDisk(config, entry);
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

std::string NoDesiredSchemaReason(const config::Config& config) {
  if (SchemaFromProgram(config)) return "";
  if (config.schema_paths.empty()) return "[schema] paths is empty";
  std::vector<std::string> reasons;
  for (const std::string& entry : config.schema_paths) {
    std::string path = SchemaPathOnDisk(config, entry);
    std::string shown = ShownSchemaPath(entry);
    if (IsDirectory(path)) {
      auto names = ListFiles(path, ".sql");
      // A directory that cannot be listed is reported by SchemaFiles, where it is read.
      if (!names.ok() || !names->empty()) return "";
      reasons.push_back(shown + " holds no .sql file");
    } else if (PathExists(path)) {
      return "";
    } else {
      reasons.push_back(shown + " does not exist");
    }
  }
  return Join(reasons, "; ");
}

std::string HowToDeclareSchema(const config::Config& config) {
  std::string where =
      config.schema_paths.empty() ? std::string("schema") : config.schema_paths.front();
  if (EndsWith(where, "/")) where.pop_back();
  std::string file = EndsWith(where, ".sql") ? where : where + "/schema.sql";
  std::string first =
      config.schema_paths.empty()
          ? "set `paths = [\"schema\"]` under [schema] in " +
                (config.config_path.empty() ? std::string("retort.toml") : config.config_path) +
                " and put the desired schema in schema/"
          : "put the desired schema in " + SchemaPathsText(config);
  return first + " (`retort inspect head > " + file + "` starts it from what the migrations build)";
}

std::string SchemaPathsText(const config::Config& config) {
  if (!config.schema_sqlalchemy.empty()) {
    return "[schema] sqlalchemy (" + config.schema_sqlalchemy + ")";
  }
  if (!config.schema_program.empty()) {
    return "[schema] program (" + Join(config.schema_program, " ") + ")";
  }
  std::vector<std::string> shown;
  for (const std::string& entry : config.schema_paths) shown.push_back(ShownSchemaPath(entry));
  if (shown.empty()) return "[schema] paths (empty)";
  return Join(shown, ", ");
}

namespace {

// Everything that decides what applying the schema files builds: a template made from the same
// inputs holds the same schema. Every file's `text` is read.
std::string SchemaContentKey(const config::Config& config, const std::vector<devdb::SqlFile>& files,
                             const std::string& server) {
  std::string material =
      std::string("retort schema template v1\n") + RETORT_VERSION + "\n" + server + "\n";
  for (const auto& [key, value] : config.naming_convention) {
    material += "naming " + key + "=" + value + "\n";
  }
  for (size_t i = 0; i < files.size(); ++i) {
    material += (files[i].display_name.empty() ? files[i].path : files[i].display_name) + " " +
                Sha256Hex(*files[i].text) + "\n";
  }
  return Sha256Hex(material);
}

// The schema kept in template `name` on the dev server `admin` is connected to; nothing when
// there is no such template (or it was dropped since), and the caller builds it.
Result<std::optional<schema::Database>> ReadTemplate(pg::Connection& admin,
                                                     const config::Config& config,
                                                     const std::string& dev_conninfo,
                                                     const std::string& name) {
  RETORT_ASSIGN_OR_RETURN(bool cached, devdb::DatabaseExists(admin, name));
  if (!cached) return std::optional<schema::Database>();
  auto connection = pg::Connection::OpenDatabase(dev_conninfo, name, "retort");
  if (!connection.ok()) return std::optional<schema::Database>();
  RETORT_ASSIGN_OR_RETURN(schema::Database database, InspectConnection(config, *connection));
  return std::optional<schema::Database>(std::move(database));
}

// The schema side's templates are told from the migrations side's of the same project by their
// project key, so that keeping one never drops the other.
std::string SchemaProjectKey(const config::Config& config) {
  return Sha256Hex(AbsolutePath(config.project_dir) + "\nschema files");
}

}  // namespace

Result<schema::Database> DesiredState(const config::Config& config, const std::string& dev_conninfo,
                                      const Io& io) {
  std::vector<devdb::SqlFile> files;
  auto started = Clock::now();
  if (SchemaFromProgram(config)) {
    // The program's output is kept where the user can read it when applying it fails.
    RETORT_ASSIGN_OR_RETURN(std::string ddl, SchemaProgramOutput(config, io));
    RETORT_RETURN_IF_ERROR(MakeDirectories(config.EmbeddedDirectory()));
    std::string path = JoinPath(config.EmbeddedDirectory(), "schema-program.sql");
    RETORT_RETURN_IF_ERROR(WriteFile(path, ddl));
    files.push_back(devdb::SqlFile{
        path,
        SchemaPathsText(config) + " output (" + JoinPath(".retort", "schema-program.sql") + ")",
        std::move(ddl)});
  } else {
    RETORT_ASSIGN_OR_RETURN(files, SchemaFiles(config));
  }
  // Read once: the template is keyed by the bytes applied, whatever changes on disk meanwhile.
  for (devdb::SqlFile& file : files) {
    if (file.text) continue;
    auto text = ReadFile(file.path);
    if (!text.ok()) return Status::InvalidInput(text.status().message());
    file.text = std::move(*text);
  }
  const std::string files_text =
      std::to_string(files.size()) + " file" + (files.size() == 1 ? "" : "s");

  // Unchanged files were applied before: their result is read from the template kept then,
  // which saves applying them again and dropping the scratch database (on PostgreSQL 15 a
  // DROP DATABASE forces a checkpoint, which on a durable dev server writes out and syncs what
  // the other side just built).
  std::string project_key = SchemaProjectKey(config);
  std::string content_key;
  std::string template_name;
  {
    RETORT_ASSIGN_OR_RETURN(pg::Connection admin, pg::Connection::Open(dev_conninfo));
    RETORT_ASSIGN_OR_RETURN(std::string server, devdb::ServerFingerprint(admin));
    content_key = SchemaContentKey(config, files, server);
    template_name = devdb::TemplateName(project_key, content_key);
    RETORT_ASSIGN_OR_RETURN(auto kept, ReadTemplate(admin, config, dev_conninfo, template_name));
    if (kept) {
      io.log << SchemaPathsText(config) << ": " << files_text << " read from template "
             << template_name << " (" << FormatMs(MillisecondsSince(started)) << ")\n";
      return std::move(*kept);
    }
  }

  RETORT_ASSIGN_OR_RETURN(devdb::ScratchDatabase scratch,
                          devdb::ScratchDatabase::Create(dev_conninfo, "schema"));
  schema::Database database;
  int renamed = 0;
  double created_ms = 0;
  double applied_ms = 0;
  {
    RETORT_ASSIGN_OR_RETURN(pg::Connection connection, scratch.Connect());
    created_ms = MillisecondsSince(started);
    RETORT_RETURN_IF_ERROR(devdb::ApplySqlFiles(connection, files));
    if (!config.naming_convention.empty()) {
      RETORT_ASSIGN_OR_RETURN(config::NamingConvention convention,
                              config::NamingConvention::Make(config.naming_convention));
      std::vector<std::string> texts;
      std::vector<std::string> names;
      for (const devdb::SqlFile& file : files) {
        texts.push_back(*file.text);
        names.push_back(file.display_name.empty() ? file.path : file.display_name);
      }
      RETORT_ASSIGN_OR_RETURN(renamed, ApplyNamingConvention(connection, convention, texts, names));
    }
    applied_ms = MillisecondsSince(started);
    RETORT_ASSIGN_OR_RETURN(database, InspectConnection(config, connection));
  }
  io.log << SchemaPathsText(config) << ": " << files_text << " applied"
         << (renamed > 0 ? ", " + std::to_string(renamed) + " names from [naming_convention]" : "")
         << " and read (" << FormatMs(MillisecondsSince(started)) << ": database "
         << FormatMs(created_ms) << ", apply " << FormatMs(applied_ms - created_ms) << ", read "
         << FormatMs(MillisecondsSince(started) - applied_ms) << "), kept as template "
         << template_name << "\n";
  // Failing to keep the template costs the next run time, not this run its result.
  Status kept = devdb::KeepAsTemplate(std::move(scratch), project_key, content_key);
  if (!kept.ok()) io.log << "warning: " << kept.message() << "\n";
  return database;
}

// ---- replayed migrations

executor::Options ReplayOptions(const config::Config& config) {
  executor::Options options;
  options.transaction_per_migration = config.transaction_per_migration;
  // Nobody else uses a scratch database: nothing to wait for, nothing to time out.
  options.lock_timeout = "0";
  options.statement_timeout = "0";
  options.tool_version = std::string("retort ") + RETORT_VERSION;
  return options;
}

Status Replay(const ProjectHeaders& project, const revision::Path& plan,
              const executor::MigrationIndex& migrations, executor::Sink& sink) {
  history::VersionStore store = project.Store();
  executor::Executor executor(sink, store, ReplayOptions(project.config));
  RETORT_RETURN_IF_ERROR(executor.EnsureTables());
  return executor.Run(plan, migrations);
}

Result<executor::MigrationIndex> WithStatements(const ProjectHeaders& project,
                                                const revision::Path& plan,
                                                std::deque<migrations::Migration>* parsed) {
  executor::MigrationIndex index;
  std::vector<std::string> errors;  // every broken file at once, as LoadProject reports them
  for (const revision::Move& step : plan.steps) {
    if (const migrations::Migration* loaded = project.Parsed(step.revision)) {
      index[step.revision] = loaded;  // parsed with the project
      continue;
    }
    const migrations::MigrationHeader& migration = project.Header(step.revision);
    auto source = migrations::SourceText(migration);
    auto full = source.ok() ? migrations::ParseMigration(*source, migration.path)
                            : Result<migrations::Migration>(source.status());
    if (!full.ok()) {
      errors.push_back(full.status().message());
      continue;
    }
    parsed->push_back(std::move(full).value());
    index[step.revision] = &parsed->back();
  }
  if (!errors.empty()) return Status::InvalidInput(Join(errors, "\n"));
  return index;
}

// Everything that decides what a replay produces: a template made from the same inputs holds
// the same schema.
namespace {

// A replay key (ContentKey, SourceKey): `kind`, then what both depend on (retort, the server, the
// bookkeeping settings and the target) around a line per migration, what `migration_key` says
// of it.
std::string ReplayKey(
    std::string_view kind, const ProjectHeaders& project, const revision::Path& plan,
    const std::string& server,
    const std::function<std::string(const std::string& revision)>& migration_key) {
  std::string material = std::string(kind) + "\n" + RETORT_VERSION + "\n" + server + "\n" +
                         project.config.version_table_schema + "." + project.config.version_table +
                         "\n" +
                         (project.config.transaction_per_migration ? "per-migration\n" : "one\n");
  for (const revision::Move& step : plan.steps) {
    material += step.revision + " " + migration_key(step.revision) + "\n";
  }
  material += "rows " + Join(plan.final_rows, ",") + "\n";
  return Sha256Hex(material);
}

}  // namespace

std::string ContentKey(const ProjectHeaders& project, const revision::Path& plan,
                       const executor::MigrationIndex& migrations, const std::string& server) {
  return ReplayKey("retort template v1", project, plan, server, [&](const std::string& revision) {
    const migrations::Migration& migration = *migrations.at(revision);
    return std::string(migration.transactional ? "tx " : "no-tx ") + migration.checksum;
  });
}

std::string ProjectKey(const config::Config& config) {
  return Sha256Hex(AbsolutePath(config.project_dir));
}

std::string DescribeTarget(const revision::Path& plan) {
  return plan.final_rows.empty() ? "base" : Join(plan.final_rows, ", ");
}

Result<schema::Database> ReplayedState(const ProjectHeaders& project, const std::string& target,
                                       const std::string& dev_conninfo, const Io& io,
                                       bool make_spare) {
  RETORT_ASSIGN_OR_RETURN(revision::Path plan, project.graph.PlanUpgrade({}, target));
  return ReplayedState(project, plan, dev_conninfo, io, make_spare);
}

namespace {

constexpr char kTemplateKeysFileName[] = "template-keys";
constexpr size_t kRememberedTemplateKeys = 32;

// What ContentKey is a function of, from the files' bytes: the same migration files, settings,
// server and retort give the same content key. ContentKey itself needs every statement parsed
// and fingerprinted, which at 200 migrations of a 2000-table schema costs more than reading the
// template it finds.
std::string SourceKey(const ProjectHeaders& project, const revision::Path& plan,
                      const std::string& server) {
  return ReplayKey("retort source key v1", project, plan, server, [&](const std::string& revision) {
    return project.Header(revision).source_sha256;
  });
}

// .retort/template-keys: "SOURCE_KEY CONTENT_KEY" lines, the newest first. Only ever a shortcut:
// a key not found there is computed.
std::optional<std::string> RememberedContentKey(const config::Config& config,
                                                const std::string& source_key) {
  auto text = ReadFile(JoinPath(config.EmbeddedDirectory(), kTemplateKeysFileName));
  if (!text.ok()) return std::nullopt;
  for (const std::string& line : Split(*text, '\n')) {
    std::vector<std::string> keys = Split(line, ' ');
    if (keys.size() == 2 && keys[0] == source_key && !keys[1].empty()) return keys[1];
  }
  return std::nullopt;
}

void RememberContentKey(const config::Config& config, const std::string& source_key,
                        const std::string& content_key) {
  if (!ProjectCacheWanted(config)) return;
  std::string path = JoinPath(config.EmbeddedDirectory(), kTemplateKeysFileName);
  std::string text = source_key + " " + content_key + "\n";
  size_t kept = 1;
  if (auto old = ReadFile(path); old.ok()) {
    for (const std::string& line : Split(*old, '\n')) {
      if (kept == kRememberedTemplateKeys) break;
      if (line.empty() || line.rfind(source_key + " ", 0) == 0) continue;
      text += line + "\n";
      ++kept;
    }
  }
  (void)MakeDirectories(config.EmbeddedDirectory());
  (void)WriteFile(path, text);
}

}  // namespace

Result<schema::Database> ReplayedState(const ProjectHeaders& project, const revision::Path& plan,
                                       const std::string& dev_conninfo, const Io& io,
                                       bool make_spare) {
  const config::Config& config = project.config;
  // A project loaded for its headers (check) has its statements parsed here, on the thread that
  // replays, while the other side applies the schema files; not at all when the template of
  // files unchanged since an earlier run is there to read.
  std::deque<migrations::Migration> parsed;
  std::optional<executor::MigrationIndex> migrations;
  auto parse = [&]() -> Status {
    if (migrations) return Status::Ok();
    RETORT_ASSIGN_OR_RETURN(migrations, WithStatements(project, plan, &parsed));
    return executor::Executor::Preflight(plan, *migrations);
  };
  std::string project_key = ProjectKey(config);
  std::string content_key;
  std::string template_name;

  auto started = Clock::now();
  {
    RETORT_ASSIGN_OR_RETURN(pg::Connection admin, pg::Connection::Open(dev_conninfo));
    RETORT_ASSIGN_OR_RETURN(std::string server, devdb::ServerFingerprint(admin));
    std::string source_key = SourceKey(project, plan, server);
    if (std::optional<std::string> known = RememberedContentKey(config, source_key)) {
      content_key = std::move(*known);
    } else {
      RETORT_RETURN_IF_ERROR(parse());
      content_key = ContentKey(project, plan, *migrations, server);
      RememberContentKey(config, source_key, content_key);
    }
    template_name = devdb::TemplateName(project_key, content_key);
    RETORT_ASSIGN_OR_RETURN(auto kept, ReadTemplate(admin, config, dev_conninfo, template_name));
    if (kept) {
      io.log << "migrations at " << DescribeTarget(plan) << ": read from template " << template_name
             << " (" << FormatMs(MillisecondsSince(started)) << ")\n";
      if (make_spare) (void)devdb::PrepareSpare(dev_conninfo);
      return std::move(*kept);
    }
  }
  RETORT_RETURN_IF_ERROR(parse());

  RETORT_ASSIGN_OR_RETURN(devdb::ScratchDatabase scratch,
                          devdb::ScratchDatabase::Create(dev_conninfo, "head"));
  schema::Database database;
  Status replayed;
  {
    RETORT_ASSIGN_OR_RETURN(pg::Connection connection, scratch.Connect());
    BatchingSink sink(connection);
    replayed = Replay(project, plan, *migrations, sink);
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
    Status precise = Replay(project, plan, *migrations, live);
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

}  // namespace retort::commands
