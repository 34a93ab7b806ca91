// init, revision, merge: the commands that write files.
#include <ctime>

#include "base/files.h"
#include "base/strings.h"
#include "commands/commands.h"

namespace retort::commands {

namespace {

constexpr char kTemplateName[] = "script.sql.tmpl";

Result<std::string> ReadTemplate(const config::Config& config) {
  std::string path = JoinPath(config.ScriptDirectory(), kTemplateName);
  if (!PathExists(path)) return migrations::DefaultTemplate();
  RETORT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  RETORT_RETURN_IF_ERROR(CheckTextFile(text, path));
  return text;
}

Status CheckRevisionId(const Project& project, const std::string& id) {
  if (!migrations::IsValidRevisionId(id)) {
    return Status::InvalidInput("invalid revision id '" + id +
                                "': use 1-32 characters of A-Z, a-z, 0-9, '_' and '-', not "
                                "starting with '-', and not head, heads, base or none");
  }
  if (project.graph.Find(id) != nullptr) {
    return Status::InvalidInput("revision id '" + id + "' already exists in " +
                                project.Get(id).path);
  }
  return Status::Ok();
}

}  // namespace

Result<migrations::Migration> WriteRevision(const Project& project,
                                            migrations::NewRevision revision, const Io& io) {
  RETORT_RETURN_IF_ERROR(CheckRevisionId(project, revision.id));
  RETORT_ASSIGN_OR_RETURN(std::string template_text, ReadTemplate(project.config));
  std::string text = migrations::RenderRevisionFile(revision, template_text);
  std::string path = JoinPath(project.config.VersionsDirectory(),
                              migrations::MakeFileName(project.config.file_template, revision.id,
                                                       revision.message, revision.created));
  // What we write must read back as the revision we meant, or the template is broken.
  auto reparsed = migrations::ParseMigration(text, path);
  if (!reparsed.ok()) {
    return Status::InvalidInput(
        "the template " + JoinPath(project.config.ScriptDirectory(), kTemplateName) +
        " renders a file retort cannot read:\n" + reparsed.status().message());
  }
  if (reparsed->id != revision.id || reparsed->parents != revision.parents) {
    return Status::InvalidInput("the template " +
                                JoinPath(project.config.ScriptDirectory(), kTemplateName) +
                                " does not render the revision/revises header lines");
  }
  // A sum file that no longer adds up means a merge joined two lines of history (or a hand
  // edit): stop here rather than stack a third revision on a fork nobody noticed.
  std::vector<std::string> problems = SumFileProblems(project);
  for (const std::string& problem : problems) {
    if (problem.find("retort.sum:") != std::string::npos) {
      return Status::InvalidInput(Join(problems, "\n") +
                                  "\ncheck `retort heads` (merge them with `retort merge`), then "
                                  "run `retort hash`");
    }
  }
  RETORT_RETURN_IF_ERROR(CreateNewFile(path, text));
  std::vector<migrations::Migration> all = project.migrations;
  all.push_back(*reparsed);
  RETORT_RETURN_IF_ERROR(WriteSumFile(project.config, all));
  io.log << "created " << path << "\n";
  return std::move(reparsed).value();
}

Status Init(const std::string& directory, const Io& io) {
  std::string config_path = JoinPath(directory, "retort.toml");
  if (PathExists(config_path)) {
    return Status::InvalidInput(config_path + " already exists; refusing to overwrite it");
  }
  std::string migrations_dir = JoinPath(directory, "migrations");
  RETORT_RETURN_IF_ERROR(MakeDirectories(JoinPath(migrations_dir, "versions")));
  RETORT_RETURN_IF_ERROR(MakeDirectories(JoinPath(directory, "schema")));
  std::string template_path = JoinPath(migrations_dir, kTemplateName);
  if (!PathExists(template_path)) {
    RETORT_RETURN_IF_ERROR(CreateNewFile(template_path, migrations::DefaultTemplate()));
  }
  RETORT_RETURN_IF_ERROR(CreateNewFile(config_path, config::DefaultConfigToml()));
  std::string gitignore = JoinPath(directory, ".gitignore");
  if (!PathExists(gitignore)) RETORT_RETURN_IF_ERROR(CreateNewFile(gitignore, ".retort/\n"));
  io.log << "created " << config_path << ", " << migrations_dir << "/versions/, " << template_path
         << " and " << JoinPath(directory, "schema") << "/\n"
         << "schema/ is empty: until it holds the desired schema as .sql files, the migrations "
            "are the only source of truth (`check` and `revision --autogenerate` need schema "
            "files; `test` skips its schema check)\n";
  return Status::Ok();
}

Result<migrations::NewRevision> StartRevision(const ProjectHeaders& project,
                                              const RevisionOptions& options) {
  const revision::RevisionGraph& graph = project.graph;
  migrations::NewRevision revision;
  revision.id = options.rev_id.value_or(migrations::NewRevisionId());
  revision.message = options.message;
  revision.created = std::time(nullptr);
  revision.branch_labels = options.branch_labels;
  revision.transactional = options.transactional;
  revision.upgrade_sql = options.upgrade_sql;
  revision.downgrade_sql = options.downgrade_sql;

  RETORT_ASSIGN_OR_RETURN(std::optional<std::string> parent,
                          graph.ResolveNewRevisionParent(options.head));
  if (parent) {
    if (!graph.Children(*parent).empty() && !options.splice) {
      return Status::InvalidInput("revision " + *parent +
                                  " is not a head; pass --splice to branch from it anyway");
    }
    revision.parents = {*parent};
  }
  for (const std::string& dependency : options.depends_on) {
    RETORT_ASSIGN_OR_RETURN(std::string resolved, graph.ResolveRevision(dependency, {}));
    revision.depends_on.push_back(resolved);
  }
  return revision;
}

Result<std::string> CreateRevision(const config::Config& config, const RevisionOptions& options,
                                   const Io& io) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProject(config));
  RETORT_ASSIGN_OR_RETURN(migrations::NewRevision revision, StartRevision(*project, options));
  RETORT_ASSIGN_OR_RETURN(migrations::Migration written,
                          WriteRevision(*project, std::move(revision), io));
  return written.path;
}

Result<std::string> Merge(const config::Config& config, const MergeOptions& options, const Io& io) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProject(config));
  const revision::RevisionGraph& graph = project->graph;
  std::vector<std::string> parents;
  std::vector<std::string> specs = options.revisions;
  if (specs.empty()) specs = {"heads"};
  for (const std::string& spec : specs) {
    if (spec == "heads") {
      for (const std::string& head : graph.Heads()) parents.push_back(head);
      continue;
    }
    RETORT_ASSIGN_OR_RETURN(std::string id, graph.ResolveRevision(spec, {}));
    parents.push_back(id);
  }
  std::sort(parents.begin(), parents.end());
  parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
  if (parents.size() < 2) {
    return Status::InvalidInput("merge needs at least two distinct revisions (got " +
                                DescribeRows(parents) + ")");
  }
  migrations::NewRevision revision;
  revision.id = options.rev_id.value_or(migrations::NewRevisionId());
  revision.parents = parents;
  revision.message = options.message.empty() ? "merge " + Join(parents, ", ") : options.message;
  revision.created = std::time(nullptr);
  revision.branch_labels = options.branch_labels;
  RETORT_ASSIGN_OR_RETURN(migrations::Migration written,
                          WriteRevision(*project, std::move(revision), io));
  return written.path;
}

}  // namespace retort::commands
