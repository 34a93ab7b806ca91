// `retort import alembic`: an Alembic history converted into retort migration files by Alembic
// itself. share/retort/alembic_import.py runs in the user's Python (where their Alembic, their
// env.py and their models import) and reports every revision with its offline SQL as JSON; this
// file writes the migrations, points retort.toml at alembic_version and checks the graph.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "base/files.h"
#include "base/process.h"
#include "base/strings.h"
#include "commands/commands.h"
#include "commands/schema_sources.h"
#include "migrations/sum_file.h"
#include "sqltext/split.h"

namespace retort::commands {

namespace {

using nlohmann::json;

std::vector<std::string> Strings(const json& value) {
  std::vector<std::string> out;
  if (!value.is_array()) return out;
  for (const json& item : value) out.push_back(item.get<std::string>());
  return out;
}

// Every line of `text` as an SQL comment.
std::string Commented(const std::string& text, const std::string& prefix) {
  std::string out;
  for (const std::string& line : Split(text, '\n')) {
    out += prefix;
    out += line;
    out += "\n";
  }
  return out;
}

// `extra` (comment and directive lines) inserted right before the upgrade section marker, so
// that the header keeps whatever the user's template put there.
std::string InsertIntoHeader(const std::string& rendered, const std::string& extra) {
  size_t at = 0;
  while (at < rendered.size()) {
    size_t end = rendered.find('\n', at);
    if (end == std::string::npos) end = rendered.size();
    if (sqltext::SectionMarker(std::string_view(rendered).substr(at, end - at)) == "upgrade") {
      return rendered.substr(0, at) + extra + "\n" + rendered.substr(at);
    }
    at = end + 1;
  }
  return rendered + extra;
}

// `rendered` up to its downgrade section marker (the whole text when it has none).
std::string WithoutDowngrade(const std::string& rendered) {
  size_t at = 0;
  while (at < rendered.size()) {
    size_t end = rendered.find('\n', at);
    if (end == std::string::npos) end = rendered.size();
    if (sqltext::SectionMarker(std::string_view(rendered).substr(at, end - at)) == "downgrade") {
      return std::string(Trim(rendered.substr(0, at))) + "\n";
    }
    at = end + 1;
  }
  return rendered;
}

struct Problem {
  std::string where;  // alembic file:line
  std::string reason;
  std::string written;  // the retort file
};

struct Section {
  std::string sql;
  bool any_autocommit = false;
  bool all_autocommit = true;
  std::vector<json> problems;
};

Section ReadSection(const json& revision, const std::string& name) {
  Section section;
  std::vector<std::string> statements = Strings(revision.value(name, json::array()));
  const json& autocommit = revision.value(name + "_autocommit", json::array());
  for (size_t i = 0; i < statements.size(); ++i) {
    bool in_block = i < autocommit.size() && autocommit[i].get<bool>();
    section.any_autocommit = section.any_autocommit || in_block;
    section.all_autocommit = section.all_autocommit && in_block;
  }
  section.sql = Join(statements, "\n\n");
  for (const json& problem : revision.value(name + "_problems", json::array())) {
    section.problems.push_back(problem);
  }
  return section;
}

}  // namespace

Status ImportAlembic(const config::Config& config, const ImportAlembicOptions& options,
                     const Io& io) {
  std::string ini = AbsolutePath(options.alembic_config);
  if (!PathExists(ini)) {
    return Status::InvalidInput(options.alembic_config +
                                ": no such file (pass --config with your alembic.ini)");
  }
  std::string versions_dir = config.VersionsDirectory();
  RETORT_RETURN_IF_ERROR(MakeDirectories(versions_dir));
  RETORT_ASSIGN_OR_RETURN(std::vector<std::string> existing, ListFiles(versions_dir, ".sql"));
  if (!existing.empty() && !options.force) {
    return Status::InvalidInput(
        versions_dir + " already holds " + std::to_string(existing.size()) + " migration file" +
        (existing.size() == 1 ? "" : "s") +
        "; import into an empty directory, or pass --force to replace the imported revisions");
  }

  RETORT_ASSIGN_OR_RETURN(std::string driver, SharedFile("alembic_import.py"));
  ProcessOptions process_options;
  process_options.cwd = DirName(ini);
  auto started = std::chrono::steady_clock::now();
  RETORT_ASSIGN_OR_RETURN(ProcessResult result, RunProcess({options.python, driver, "--config", ini,
                                                            "--name", options.ini_section},
                                                           process_options));
  if (result.exit_code != 0) {
    return Status::InvalidInput("reading the Alembic history with " + options.python + " failed (" +
                                DescribeEnd(result, 0) + "):\n" + std::string(Trim(result.err)));
  }
  json document;
  try {
    document = json::parse(result.out);
  } catch (const json::exception& error) {
    return Status::Failed("alembic_import.py printed something that is not JSON (" +
                          std::string(error.what()) + "); its stderr:\n" + result.err);
  }
  io.log << "read " << document["revisions"].size() << " Alembic revisions with Alembic "
         << document.value("alembic_version", "?") << " and SQLAlchemy "
         << document.value("sqlalchemy_version", "?") << " ("
         << FormatMs(MillisecondsSince(started)) << ")\n";
  for (const json& statement : document.value("outside_steps", json::array())) {
    io.log << "warning: env.py runs SQL outside any revision, which is not imported: "
           << statement.get<std::string>() << "\n";
  }

  std::set<std::string> imported_ids;
  for (const json& revision : document["revisions"]) imported_ids.insert(revision["id"]);
  if (options.force) {
    // Only the files of revisions being imported again are replaced: retort revisions written
    // on top of an earlier import stay.
    for (const std::string& name : existing) {
      std::string path = StartsWith(name, "/") ? name : JoinPath(versions_dir, name);
      auto text = ReadFile(path);
      if (!text.ok()) continue;
      auto parsed = migrations::ParseMigrationHeader(text.value(), path);
      if (parsed.ok() && imported_ids.contains(parsed.value().id)) {
        std::remove(path.c_str());
      }
    }
  }

  std::string template_text = migrations::DefaultTemplate();
  if (auto custom = ReadFile(JoinPath(config.ScriptDirectory(), "script.sql.tmpl")); custom.ok()) {
    template_text = custom.value();
  }

  std::vector<Problem> problems;
  int written = 0;
  for (const json& revision : document["revisions"]) {
    migrations::NewRevision out;
    out.id = revision["id"];
    out.parents = Strings(revision["parents"]);
    out.message = revision.value("message", "");
    out.created = static_cast<std::time_t>(revision.value("created_epoch", 0L));
    out.branch_labels = Strings(revision["branch_labels"]);
    out.depends_on = Strings(revision["depends_on"]);
    Section upgrade = ReadSection(revision, "upgrade");
    Section downgrade = ReadSection(revision, "downgrade");
    std::string source_path = revision.value("path", "");
    std::string file_name =
        migrations::MakeFileName(config.file_template, out.id, out.message, out.created);
    std::string target = JoinPath(versions_dir, file_name);

    std::string extra = "-- Imported from Alembic: " + source_path + "\n";
    // A downgrade that cannot be converted leaves the revision without a downgrade section
    // (retort then refuses to downgrade it); only an upgrade that cannot be converted keeps the
    // revision from running.
    bool irreversible =
        !downgrade.problems.empty() &&
        std::all_of(downgrade.problems.begin(), downgrade.problems.end(), [](const json& problem) {
          return problem.value("kind", "") == "irreversible";
        });
    bool drop_downgrade = !downgrade.problems.empty() && upgrade.problems.empty();
    if (drop_downgrade && !irreversible) {
      for (const json& problem : downgrade.problems) {
        std::string where = source_path + ":" + std::to_string(problem.value("line", 0));
        problems.push_back(
            Problem{where, problem.value("reason", "") + " (no downgrade section written)",
                    JoinPath(JoinPath(config.script_location, "versions"), file_name)});
      }
    }
    std::vector<json> all_problems = upgrade.problems;
    if (!drop_downgrade) {
      all_problems.insert(all_problems.end(), downgrade.problems.begin(), downgrade.problems.end());
    }
    if (!all_problems.empty()) {
      std::vector<std::string> reasons;
      for (const json& problem : all_problems) {
        std::string where = source_path + ":" + std::to_string(problem.value("line", 0));
        reasons.push_back(problem.value("reason", "") + " (" + where + ")");
        problems.push_back(
            Problem{where, problem.value("reason", ""),
                    JoinPath(JoinPath(config.script_location, "versions"), file_name)});
      }
      extra += "-- retort:needs-manual-conversion " + Join(reasons, "; ") + "\n";
      extra +=
          "-- Alembic could not render this revision as SQL. Write its SQL in the sections below\n"
          "-- (its offline output and Python source are kept as comments), then remove the\n"
          "-- needs-manual-conversion line. A database Alembic already upgraded past it is\n"
          "-- unaffected: retort never runs a revision that is applied.\n";
      std::string upgrade_body;
      if (!upgrade.sql.empty()) upgrade_body += Commented(upgrade.sql, "-- offline: ");
      upgrade_body += Commented(revision.value("upgrade_source", ""), "-- python: ");
      std::string downgrade_body;
      if (!downgrade.sql.empty()) downgrade_body += Commented(downgrade.sql, "-- offline: ");
      downgrade_body += Commented(revision.value("downgrade_source", ""), "-- python: ");
      out.upgrade_sql = std::string(Trim(upgrade_body));
      out.downgrade_sql = std::string(Trim(downgrade_body));
    } else {
      out.upgrade_sql = upgrade.sql;
      out.downgrade_sql = downgrade.sql;
      bool any = upgrade.any_autocommit || downgrade.any_autocommit;
      if (any) {
        out.transactional = false;
        bool partial = (upgrade.any_autocommit && !upgrade.all_autocommit) ||
                       (downgrade.any_autocommit && !downgrade.all_autocommit) ||
                       (!upgrade.sql.empty() && !upgrade.any_autocommit) ||
                       (!downgrade.sql.empty() && !downgrade.any_autocommit);
        if (partial) {
          extra +=
              "-- Only part of this revision ran in Alembic's autocommit_block(); retort runs\n"
              "-- all of it outside a transaction, each statement committed and recorded, so an\n"
              "-- interrupted run resumes at the statement that failed.\n";
        }
      }
    }
    std::string text = InsertIntoHeader(migrations::RenderRevisionFile(out, template_text), extra);
    if (drop_downgrade) {
      text = WithoutDowngrade(text) + "\n-- No downgrade: " +
             (irreversible ? std::string("Alembic's downgrade() raises NotImplementedError.")
                           : std::string("Alembic's downgrade() could not be rendered offline; "
                                         "write it as a '-- retort:downgrade' section.")) +
             "\n" + Commented(revision.value("downgrade_source", ""), "-- python: ");
    }
    RETORT_RETURN_IF_ERROR(WriteFile(target, text));
    ++written;
  }
  io.log << "wrote " << written << " migration" << (written == 1 ? "" : "s") << " to "
         << versions_dir << "\n";

  // retort.toml follows Alembic's version table, so the databases Alembic manages carry on.
  config::Config imported = config;
  imported.version_table = document.value("version_table", "alembic_version");
  const json& schema = document["version_table_schema"];
  if (schema.is_string()) imported.version_table_schema = schema.get<std::string>();
  if (!config.config_path.empty()) {
    RETORT_ASSIGN_OR_RETURN(std::string toml, ReadFile(config.config_path));
    auto quoted = [](const std::string& value) { return "\"" + value + "\""; };
    toml = config::SetTomlKey(toml, "migrations", "version_table", quoted(imported.version_table));
    if (schema.is_string()) {
      toml = config::SetTomlKey(toml, "migrations", "version_table_schema",
                                quoted(imported.version_table_schema));
    }
    RETORT_RETURN_IF_ERROR(WriteFile(config.config_path, toml));
    io.log << "set version_table = " << quoted(imported.version_table)
           << (schema.is_string()
                   ? " and version_table_schema = " + quoted(imported.version_table_schema)
                   : "")
           << " in " << config.config_path << "\n";
  }

  // The graph checks of `retort test`: every file parses, ids and parents resolve, no cycles,
  // and the heads are Alembic's.
  RETORT_RETURN_IF_ERROR(Hash(imported, io));
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProjectHeaders(imported));
  std::vector<std::string> alembic_heads = Strings(document["heads"]);
  std::sort(alembic_heads.begin(), alembic_heads.end());
  std::vector<std::string> heads = project->graph.Heads();
  if (heads != alembic_heads) {
    return Status::Failed("the imported graph has heads " + Join(heads, ", ") +
                          " but Alembic's are " + Join(alembic_heads, ", "));
  }
  io.log << "graph checked: " << heads.size() << (heads.size() == 1 ? " head (" : " heads (")
         << Join(heads, ", ") << "), the same as Alembic's\n";

  if (!SchemaFromProgram(imported)) {
    auto files = SchemaFiles(imported);
    if (files.ok() && files->empty()) {
      io.log << "note: " << SchemaPathsText(imported)
             << " holds no .sql files, so `check` and `test` would compare the migrations with an "
                "empty schema: set [schema] sqlalchemy = \"module:Base\" to use your models, or "
                "write the schema there (`retort inspect --url ...`)\n";
    }
  }

  if (!problems.empty()) {
    std::string message = std::to_string(problems.size()) + " revision" +
                          (problems.size() == 1 ? "" : "s") +
                          " could not be converted and are marked "
                          "'-- retort:needs-manual-conversion' (they refuse to run until their "
                          "SQL is written):";
    for (const Problem& problem : problems) {
      message += "\n  " + problem.where + ": " + problem.reason + " -> " + problem.written;
    }
    return Status::InvalidInput(message);
  }
  return Status::Ok();
}

}  // namespace retort::commands
