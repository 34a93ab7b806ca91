// Checksums of applied migrations and the retort.sum file: the bookkeeping that lets a team
// trust that what ran is what is in git.
#include <algorithm>

#include "base/files.h"
#include "base/strings.h"
#include "commands/commands.h"
#include "migrations/sum_file.h"
#include "pg/advisory_lock.h"

#ifndef RETORT_VERSION
#define RETORT_VERSION "dev"
#endif

namespace retort::commands {

namespace {

std::string SumFilePath(const config::Config& config) {
  return JoinPath(config.ScriptDirectory(), migrations::kSumFileName);
}

}  // namespace

Status RefuseChangedMigrations(const ProjectHeaders& project, pg::Connection& connection,
                               const std::vector<std::string>& rows) {
  RETORT_ASSIGN_OR_RETURN(auto recorded, project.Store().ReadChecksums(connection));
  return RefuseChangedMigrations(project, connection, rows, recorded);
}

Status RefuseChangedMigrations(
    const ProjectHeaders& project, pg::Connection& connection, const std::vector<std::string>& rows,
    const std::map<std::string, history::VersionStore::RecordedChecksum>& recorded) {
  RETORT_ASSIGN_OR_RETURN(auto changed, FindChangedMigrations(project, connection, rows, recorded));
  if (changed.empty()) return Status::Ok();
  return Status::InvalidInput(
      "applied migration" + std::string(changed.size() == 1 ? " was" : "s were") +
      " edited after running; refusing to run:\n" + DescribeChangedMigrations(changed) +
      "restore the file" + (changed.size() == 1 ? "" : "s") +
      ", or accept the edit with `retort stamp --update-checksums`");
}

Result<std::vector<ChangedMigration>> FindChangedMigrations(const ProjectHeaders& project,
                                                            pg::Connection& connection,
                                                            const std::vector<std::string>& rows) {
  RETORT_ASSIGN_OR_RETURN(auto recorded, project.Store().ReadChecksums(connection));
  return FindChangedMigrations(project, connection, rows, recorded);
}

Result<std::vector<ChangedMigration>> FindChangedMigrations(
    const ProjectHeaders& project, pg::Connection& connection, const std::vector<std::string>& rows,
    const std::map<std::string, history::VersionStore::RecordedChecksum>& recorded) {
  std::vector<ChangedMigration> changed;
  history::VersionStore store = project.Store();
  if (recorded.empty()) return changed;
  std::vector<std::string> known_rows;
  for (const std::string& row : rows) {
    if (project.graph.Find(row) != nullptr) known_rows.push_back(row);
  }
  std::vector<std::string> revisions;
  for (const std::string& id : project.graph.Ancestors(known_rows)) {
    auto found = recorded.find(id);
    if (found == recorded.end()) continue;
    const migrations::MigrationHeader& file = project.Header(id);
    // The same bytes as when it ran: unchanged, without parsing any SQL.
    if (file.source_sha256 == found->second.source_sha256) continue;
    const migrations::Migration* parsed = project.Parsed(id);
    std::string checksum = parsed != nullptr ? parsed->checksum : "";
    if (checksum.empty()) {
      RETORT_ASSIGN_OR_RETURN(std::string source, migrations::SourceText(file));
      RETORT_ASSIGN_OR_RETURN(auto full, migrations::ParseMigration(source, file.path));
      checksum = full.checksum;
    }
    if (checksum == found->second.checksum) continue;  // reformatted, not edited
    changed.push_back(ChangedMigration{id, file.path, {}});
    revisions.push_back(id);
  }
  if (changed.empty()) return changed;
  RETORT_ASSIGN_OR_RETURN(auto sources, store.ReadSources(connection, revisions));
  for (ChangedMigration& migration : changed) {
    auto source = sources.find(migration.revision);
    if (source == sources.end()) continue;
    auto before = migrations::ParseMigration(source->second, migration.path + " (as applied)");
    auto text = migrations::SourceText(project.Header(migration.revision));
    if (!text.ok()) continue;
    auto after = migrations::ParseMigration(*text, migration.path);
    if (before.ok() && after.ok()) migration.changes = migrations::DescribeChanges(*before, *after);
  }
  return changed;
}

std::string AppliedDigest(const ProjectHeaders& project, const std::vector<std::string>& rows,
                          const std::map<std::string, std::string>& recorded_hashes) {
  // Bump the first line when what goes in changes: a digest of another shape then never
  // matches, and the next run compares every file and writes the new one.
  // Sorted here: the server sorts the rows it reads by the database's collation.
  std::vector<std::string> sorted_rows = rows;
  std::sort(sorted_rows.begin(), sorted_rows.end());
  std::string text = "retort applied digest 1\n" + Join(sorted_rows, " ") + "\n";
  std::vector<std::string> known_rows;
  for (const std::string& row : rows) {
    if (project.graph.Find(row) != nullptr) known_rows.push_back(row);
  }
  for (const std::string& id : project.graph.Ancestors(known_rows)) {  // sorted
    auto recorded = recorded_hashes.find(id);
    text +=
        id + ' ' +
        (recorded != recorded_hashes.end() ? recorded->second : project.Header(id).source_sha256) +
        '\n';
  }
  return Sha256Hex(text);
}

std::string DescribeChangedMigrations(const std::vector<ChangedMigration>& changed) {
  std::string text;
  for (const ChangedMigration& migration : changed) {
    text += "  " + migration.path + " (revision " + migration.revision + ")\n";
    for (const std::string& change : migration.changes) text += "    " + change + "\n";
  }
  return text;
}

std::vector<std::string> SumFileProblems(const Project& project) {
  std::string path = SumFilePath(project.config);
  if (!PathExists(path)) return {};
  auto text = ReadFile(path);
  if (!text.ok()) return {text.status().message()};
  std::vector<std::string> problems = migrations::VerifySumFile(*text, project.migrations);
  for (std::string& problem : problems) {
    if (StartsWith(problem, migrations::kSumFileName))
      problem = JoinPath(project.config.ScriptDirectory(), problem);
  }
  return problems;
}

Status WriteSumFile(const config::Config& config,
                    const std::vector<migrations::Migration>& migrations) {
  return WriteFile(SumFilePath(config), migrations::RenderSumFile(migrations));
}

void TakeEditsIntoSumFile(const ProjectHeaders& project, const std::vector<std::string>& revisions,
                          const Io& io) {
  std::string path = SumFilePath(project.config);
  if (!PathExists(path)) return;
  auto text = ReadFile(path);
  if (!text.ok()) return;
  auto recorded = migrations::ReadSumEntries(*text);
  if (!recorded) return;  // a merge to look at: validate and revision report it
  std::vector<const migrations::Migration*> edited;
  std::vector<std::string> names;
  for (const std::string& id : revisions) {
    const migrations::Migration* parsed = project.Parsed(id);
    if (parsed == nullptr) continue;
    std::string name = BaseName(parsed->path);
    auto entry = recorded->find(name);
    if (entry != recorded->end() && entry->second == "h1:" + parsed->checksum) continue;
    edited.push_back(parsed);
    names.push_back(name);
  }
  if (edited.empty()) return;
  std::optional<std::string> updated = migrations::UpdateSumEntries(*text, edited);
  Status written = WriteFile(path, *updated);
  if (!written.ok()) {
    io.log << "warning: " << migrations::kSumFileName << " not updated: " << written.message()
           << "\n";
    return;
  }
  io.log << migrations::kSumFileName << ": took in the edit of " << Join(names, ", ")
         << " (changed since the sum was written; commit it with the file)\n";
}

Result<ValidateReport> Validate(const config::Config& config) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProject(config));
  ValidateReport report;
  report.sum_file_problems = SumFileProblems(*project);
  report.sum_file_present = PathExists(SumFilePath(config));
  if (config.database_url.empty()) return report;
  std::string conninfo;
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
  report.database_checked = true;
  RETORT_ASSIGN_OR_RETURN(auto rows, project->Store().ReadRows(connection));
  RETORT_ASSIGN_OR_RETURN(report.changed, FindChangedMigrations(*project, connection, rows));
  for (const std::string& row : rows) {
    if (project->graph.Find(row) == nullptr) report.unknown_rows.push_back(row);
  }
  return report;
}

Status Hash(const config::Config& config, const Io& io) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProject(config));
  RETORT_RETURN_IF_ERROR(WriteSumFile(config, project->migrations));
  io.log << "wrote " << SumFilePath(config) << " (" << project->migrations.size()
         << " migrations)\n";
  return Status::Ok();
}

Status UpdateChecksums(const config::Config& config, long lock_wait_ms, const Io& io) {
  RETORT_ASSIGN_OR_RETURN(auto project, LoadProject(config));
  std::string conninfo;
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
  history::VersionStore store = project->Store();
  RETORT_ASSIGN_OR_RETURN(auto lock, AcquireMigrationLock(conninfo, store, lock_wait_ms));
  RETORT_ASSIGN_OR_RETURN(auto rows, store.ReadRows(connection));
  RETORT_ASSIGN_OR_RETURN(auto changed, FindChangedMigrations(*project, connection, rows));
  if (changed.empty()) {
    io.log << "every applied migration matches its file; nothing to update\n";
    return Status::Ok();
  }
  std::string sql = "BEGIN;\n";
  for (const ChangedMigration& migration : changed) {
    const migrations::Migration& file = project->Get(migration.revision);
    sql += store.RecordChecksumSql(migration.revision, file.checksum, file.source,
                                   std::string("retort ") + RETORT_VERSION);
  }
  sql += "COMMIT;\n";
  auto outcome = connection.Execute(sql);
  if (!outcome.ok()) return outcome.error.ToStatus("cannot record checksums: ");
  io.log << "accepted the current files of " << changed.size() << " applied migration"
         << (changed.size() == 1 ? "" : "s") << ":\n"
         << DescribeChangedMigrations(changed);
  std::vector<std::string> accepted;
  for (const ChangedMigration& migration : changed) accepted.push_back(migration.revision);
  TakeEditsIntoSumFile(*project, accepted, io);
  return Status::Ok();
}

}  // namespace retort::commands
