// current, history, heads, branches, show: read-only commands that report data.
#include <algorithm>
#include <optional>

#include "commands/commands.h"

namespace retort::commands {

namespace {

// Statement counts are only shown verbosely; otherwise the headers are all a report needs.
std::optional<migrations::ParseDepth> DepthFor(bool verbose) {
  return verbose ? std::optional(migrations::ParseDepth::kFull) : std::nullopt;
}

}  // namespace

RevisionInfo DescribeRevision(const ProjectHeaders& project, const std::string& id,
                              const std::vector<std::string>& current_rows) {
  const migrations::MigrationHeader& migration = project.Header(id);
  RevisionInfo info;
  info.id = id;
  info.parents = migration.parents;
  info.children = project.graph.Children(id);
  info.message = migration.message;
  info.created = migration.created;
  info.branch_labels = migration.branch_labels;
  info.depends_on = migration.depends_on;
  info.path = migration.path;
  info.transactional = migration.transactional;
  info.is_head = info.children.empty();
  info.is_base = info.parents.empty();
  info.is_merge = info.parents.size() > 1;
  info.is_branch_point = info.children.size() > 1;
  info.is_current = std::find(current_rows.begin(), current_rows.end(), id) != current_rows.end();
  if (const migrations::Migration* parsed = project.Parsed(id)) {
    info.upgrade_statements = static_cast<int>(parsed->upgrade.size());
    info.downgrade_statements = static_cast<int>(parsed->downgrade.size());
  }
  return info;
}

Result<CurrentReport> Current(const config::Config& config, bool verbose) {
  RETORT_ASSIGN_OR_RETURN(ConnectedProject connected,
                          LoadProjectAndConnect(config, DepthFor(verbose)));
  const ProjectHeaders* project = connected.project.get();
  pg::Connection& connection = connected.connection;
  history::VersionStore store = project->Store();
  CurrentReport report;
  report.database = connection.Describe();
  // The rows and the progress table in one round trip: all `current` asks the server.
  RETORT_ASSIGN_OR_RETURN(auto recorded,
                          store.ReadState(connection, history::VersionStore::StateParts{
                                                          .checksums = false, .progress = true}));
  report.rows = std::move(recorded.rows);
  for (const std::string& row : report.rows) {
    if (project->graph.Find(row) == nullptr) {
      report.unknown_rows.push_back(row);
    } else {
      report.revisions.push_back(DescribeRevision(*project, row, report.rows));
    }
  }
  if (verbose) {
    RETORT_ASSIGN_OR_RETURN(report.recent, store.ReadHistory(connection, 10));
  }
  report.partial = PartialMigrations(*project, recorded.progress);
  return report;
}

Result<HistoryReport> History(const config::Config& config, const std::string& range,
                              bool indicate_current, bool verbose) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProjectAt(config, DepthFor(verbose)));
  std::vector<std::string> rows;
  bool needs_database = indicate_current || range.find("current") != std::string::npos;
  if (needs_database) {
    std::string conninfo;
    RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
    RETORT_ASSIGN_OR_RETURN(rows, project->Store().ReadRows(connection));
  }
  RETORT_ASSIGN_OR_RETURN(auto ids, project->graph.Range(range, rows));
  HistoryReport report;
  for (const std::string& id : ids)
    report.revisions.push_back(DescribeRevision(*project, id, rows));
  return report;
}

Result<std::vector<RevisionInfo>> Heads(const config::Config& config, bool verbose) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProjectAt(config, DepthFor(verbose)));
  std::vector<RevisionInfo> heads;
  for (const std::string& id : project->graph.Heads()) {
    heads.push_back(DescribeRevision(*project, id));
  }
  return heads;
}

Result<std::vector<BranchReport>> Branches(const config::Config& config) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProjectHeaders(config));
  std::vector<BranchReport> branches;
  for (const std::string& id : project->graph.BranchPoints()) {
    BranchReport branch{DescribeRevision(*project, id), {}};
    for (const std::string& child : project->graph.Children(id)) {
      branch.children.push_back(DescribeRevision(*project, child));
    }
    branches.push_back(std::move(branch));
  }
  return branches;
}

Result<ShowReport> Show(const config::Config& config, const std::string& spec) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProject(config));
  RETORT_ASSIGN_OR_RETURN(std::string id, project->graph.ResolveRevision(spec, {}));
  ShowReport report{DescribeRevision(*project, id), {}, {}};
  const migrations::Migration& migration = project->Get(id);
  for (const auto& statement : migration.upgrade) report.upgrade.push_back(statement.text);
  for (const auto& statement : migration.downgrade) report.downgrade.push_back(statement.text);
  return report;
}

}  // namespace retort::commands
