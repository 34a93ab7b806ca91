#include "cli/output.h"

#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/strings.h"

namespace retort::cli {

void RedrawnLine::Show(std::string_view text) { out_ << "\r\033[K" << text << std::flush; }

void RedrawnLine::Erase() { out_ << "\r\033[K" << std::flush; }

namespace {

using nlohmann::json;

// Statement counts are -1 when only headers were read: null in JSON.
json Count(int count) { return count < 0 ? json(nullptr) : json(count); }

json ToJson(const commands::RevisionInfo& info) {
  return json{{"revision", info.id},
              {"parents", info.parents},
              {"children", info.children},
              {"message", info.message},
              {"created", info.created},
              {"branch_labels", info.branch_labels},
              {"depends_on", info.depends_on},
              {"path", info.path},
              {"transactional", info.transactional},
              {"is_head", info.is_head},
              {"is_base", info.is_base},
              {"is_merge", info.is_merge},
              {"is_branch_point", info.is_branch_point},
              {"is_current", info.is_current},
              {"upgrade_statements", Count(info.upgrade_statements)},
              {"downgrade_statements", Count(info.downgrade_statements)}};
}

json ToJson(const std::vector<commands::RevisionInfo>& infos) {
  json list = json::array();
  for (const auto& info : infos) list.push_back(ToJson(info));
  return list;
}

// "3f2a9c1b7d4e (docs) (head) (current)"
std::string Tagged(const commands::RevisionInfo& info) {
  std::string text = info.id;
  if (!info.branch_labels.empty()) text += " (" + Join(info.branch_labels, ", ") + ")";
  if (info.is_head) text += " (head)";
  if (info.is_current) text += " (current)";
  if (info.is_branch_point) text += " (branchpoint)";
  if (info.is_merge) text += " (mergepoint)";
  return text;
}

// Alembic's history line: "1a2b -> 3f2a (head), add chunk partitions"
std::string HistoryLine(const commands::RevisionInfo& info) {
  std::string from = info.parents.empty()       ? "<base>"
                     : info.parents.size() == 1 ? info.parents[0]
                                                : "(" + Join(info.parents, ", ") + ")";
  return from + " -> " + Tagged(info) + ", " + info.message;
}

void PrintVerbose(const commands::RevisionInfo& info, std::ostream& out) {
  out << "Rev: " << Tagged(info) << "\n";
  if (!info.parents.empty()) {
    out << (info.parents.size() > 1 ? "Merges: " : "Parent: ") << Join(info.parents, ", ") << "\n";
  }
  if (!info.children.empty()) {
    out << (info.children.size() > 1 ? "Branches into: " : "Child: ") << Join(info.children, ", ")
        << "\n";
  }
  if (!info.branch_labels.empty())
    out << "Branch names: " << Join(info.branch_labels, ", ") << "\n";
  if (!info.depends_on.empty()) out << "Depends on: " << Join(info.depends_on, ", ") << "\n";
  out << "Path: " << info.path << "\n";
  if (!info.created.empty()) out << "Created: " << info.created << "\n";
  if (!info.transactional) out << "Transaction: none\n";
  if (info.upgrade_statements >= 0) {
    out << "Statements: " << info.upgrade_statements << " up, " << info.downgrade_statements
        << " down\n";
  }
  out << "\n    " << info.message << "\n\n";
}

}  // namespace

void PrintCurrent(const commands::CurrentReport& report, bool verbose, Format format,
                  std::ostream& out) {
  if (format == Format::kJson) {
    json recent = json::array();
    for (const auto& entry : report.recent) {
      recent.push_back(json{{"revision", entry.revision},
                            {"direction", entry.direction},
                            {"started_at", entry.started_at},
                            {"finished_at", entry.finished_at},
                            {"duration_ms", entry.duration_ms},
                            {"checksum", entry.checksum},
                            {"tool_version", entry.tool_version},
                            {"db_user", entry.db_user}});
    }
    json partial = json::array();
    for (const auto& migration : report.partial) {
      partial.push_back(json{
          {"revision", migration.revision},
          {"direction", migration.direction},
          {"statement", migration.statement},
          {"statement_count", migration.statement_count},
          {"all_statements_ran", migration.AllStatementsRan()},
          {"file_statement_count",
           migration.file_statement_count ? json(*migration.file_statement_count) : json(nullptr)},
          {"path", migration.path},
          {"line", migration.line},
          {"error", migration.error},
          {"finished_at", migration.finished_at}});
    }
    json document{{"database", report.database},    {"current", report.rows},
                  {"at_base", report.rows.empty()}, {"revisions", ToJson(report.revisions)},
                  {"unknown", report.unknown_rows}, {"partial", partial}};
    if (verbose) document["recent"] = recent;
    out << document.dump(2) << "\n";
    return;
  }
  if (verbose) out << "Current revision(s) for " << report.database << ":\n";
  if (report.rows.empty()) out << "base: nothing applied\n";
  for (const auto& info : report.revisions) {
    if (verbose) {
      PrintVerbose(info, out);
    } else {
      out << Tagged(info) << "\n";
    }
  }
  for (const auto& row : report.unknown_rows) {
    out << row << " (unknown: no migration file has this revision)\n";
  }
  for (const auto& migration : report.partial) {
    const char* verb = migration.direction == "up" ? "upgrade" : "downgrade";
    out << migration.revision << " (partially applied: " << verb;
    if (migration.AllStatementsRan()) {
      out << " ran all " << migration.statement_count << " statement"
          << (migration.statement_count == 1 ? "" : "s") << " but was not recorded as done";
    } else {
      out << " stopped at statement " << migration.statement << " of " << migration.statement_count;
    }
    if (migration.file_statement_count &&
        *migration.file_statement_count != migration.statement_count) {
      out << "; the file now has " << *migration.file_statement_count
          << " statements: it was edited since";
    }
    if (!migration.path.empty()) {
      out << ", " << migration.path;
      if (migration.line > 0) out << ":" << migration.line;
    }
    out << ")\n";
    for (const auto& line : Split(Trim(migration.error), '\n')) {
      if (!line.empty()) out << "    " << line << "\n";
    }
  }
  if (verbose && !report.recent.empty()) {
    out << "Recent steps:\n";
    for (const auto& entry : report.recent) {
      out << "  " << entry.finished_at << "  " << entry.direction << "  " << entry.revision << "  "
          << entry.duration_ms << " ms  by " << entry.db_user << " with " << entry.tool_version
          << "\n";
    }
  }
}

void PrintHistory(const commands::HistoryReport& report, bool verbose, Format format,
                  std::ostream& out) {
  if (format == Format::kJson) {
    out << ToJson(report.revisions).dump(2) << "\n";
    return;
  }
  for (const auto& info : report.revisions) {
    if (verbose) {
      PrintVerbose(info, out);
    } else {
      out << HistoryLine(info) << "\n";
    }
  }
}

void PrintHeads(const std::vector<commands::RevisionInfo>& heads, bool verbose, Format format,
                std::ostream& out) {
  if (format == Format::kJson) {
    out << ToJson(heads).dump(2) << "\n";
    return;
  }
  for (const auto& info : heads) {
    if (verbose) {
      PrintVerbose(info, out);
    } else {
      out << Tagged(info) << "\n";
    }
  }
}

void PrintBranches(const std::vector<commands::BranchReport>& branches, Format format,
                   std::ostream& out) {
  if (format == Format::kJson) {
    json list = json::array();
    for (const auto& branch : branches) {
      list.push_back(json{{"branch_point", ToJson(branch.branch_point)},
                          {"children", ToJson(branch.children)}});
    }
    out << list.dump(2) << "\n";
    return;
  }
  for (const auto& branch : branches) {
    out << HistoryLine(branch.branch_point) << "\n";
    for (const auto& child : branch.children) {
      out << "    -> " << Tagged(child) << ", " << child.message << "\n";
    }
  }
}

void PrintShow(const commands::ShowReport& report, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    json document = ToJson(report.revision);
    document["upgrade"] = report.upgrade;
    document["downgrade"] = report.downgrade;
    out << document.dump(2) << "\n";
    return;
  }
  PrintVerbose(report.revision, out);
  out << "-- upgrade\n";
  for (const auto& statement : report.upgrade) out << statement << ";\n";
  out << "\n-- downgrade\n";
  for (const auto& statement : report.downgrade) out << statement << ";\n";
}

void PrintValidate(const commands::ValidateReport& report, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    json changed = json::array();
    for (const auto& migration : report.changed) {
      changed.push_back(json{{"revision", migration.revision},
                             {"path", migration.path},
                             {"changes", migration.changes}});
    }
    out << json{{"ok", report.ok()},
                {"sum_file_present", report.sum_file_present},
                {"sum_file_problems", report.sum_file_problems},
                {"database_checked", report.database_checked},
                {"changed", changed},
                {"unknown_rows", report.unknown_rows}}
               .dump(2)
        << "\n";
    return;
  }
  if (!report.sum_file_present) out << "retort.sum: not present (`retort hash` writes it)\n";
  for (const auto& problem : report.sum_file_problems) out << problem << "\n";
  if (!report.database_checked) out << "database: not checked (no database URL configured)\n";
  if (!report.changed.empty()) {
    out << "applied migrations edited after running:\n"
        << commands::DescribeChangedMigrations(report.changed);
  }
  for (const auto& row : report.unknown_rows) {
    out << "version table holds " << row << ", which no migration file has\n";
  }
  if (report.ok()) out << "ok: migrations are consistent\n";
}

namespace {

json ToJson(const commands::BackupInfo& backup) {
  return json{
      {"id", backup.id},
      {"revision", backup.revision},
      {"direction", backup.direction},
      {"kind", backup.kind},
      {"schema", backup.schema},
      {"table", backup.table},
      {"column", backup.column.empty() ? json(nullptr) : json(backup.column)},
      {"key_columns", backup.key_columns},
      {"backup_table", backup.backup_table},
      {"rows", backup.rows},
      {"created_at", backup.created_at},
      {"restored_at", backup.restored_at.empty() ? json(nullptr) : json(backup.restored_at)}};
}

}  // namespace

void PrintBackups(const std::vector<commands::BackupInfo>& backups, Format format,
                  std::ostream& out) {
  if (format == Format::kJson) {
    json list = json::array();
    for (const auto& backup : backups) list.push_back(ToJson(backup));
    out << list.dump(2) << "\n";
    return;
  }
  if (backups.empty()) {
    out << "no backups\n";
    return;
  }
  for (const auto& backup : backups) {
    std::string object = backup.schema + "." + backup.table;
    if (!backup.column.empty()) object += "." + backup.column;
    out << backup.id << "  " << backup.created_at << "  " << backup.revision << " "
        << backup.direction << "  " << backup.kind << " " << object << "  " << backup.rows
        << (backup.rows == 1 ? " row" : " rows") << "  -> " << backup.backup_table;
    if (!backup.restored_at.empty()) out << "  (restored " << backup.restored_at << ")";
    out << "\n";
  }
}

void PrintRestore(const commands::RestoreReport& report, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    out << json{{"backup", ToJson(report.backup)},
                {"restored", report.restored},
                {"summary", report.summary}}
               .dump(2)
        << "\n";
    return;
  }
  out << report.summary << "\n";
}

void PrintDev(const commands::DevReport& report, Format format, std::ostream& out) {
  if (report.pruning) {
    if (format == Format::kJson) {
      out << json{{"pruned", report.pruned}}.dump(2) << "\n";
    } else if (report.pruned.empty()) {
      out << "nothing to prune on the dev server\n";
    } else {
      out << "dropped " << report.pruned.size() << " cached database"
          << (report.pruned.size() == 1 ? "" : "s") << " on the dev server:\n";
      for (const std::string& name : report.pruned) out << "  " << name << "\n";
    }
    return;
  }
  if (format == Format::kJson) {
    out << json{{"initialised", report.initialised},
                {"running", report.running},
                {"pid", report.pid},
                {"data_dir", report.data_dir},
                {"conninfo", report.conninfo},
                {"log_file", report.log_file}}
               .dump(2)
        << "\n";
    return;
  }
  out << "data directory: " << report.data_dir << (report.initialised ? "" : " (not initialised)")
      << "\n";
  out << "server: " << (report.running ? "running, pid " + std::to_string(report.pid) : "stopped")
      << "\n";
  if (!report.conninfo.empty()) out << "connect: psql \"" << report.conninfo << "\"\n";
  if (!report.log_file.empty()) out << "log: " << report.log_file << "\n";
}

std::string MigrationLine(const commands::MigrationRun& run) {
  std::ostringstream line;
  line << (run.upgrade ? "upgraded   " : "downgraded ") << run.revision << "  " << run.message
       << "  (" << run.statements << " statement" << (run.statements == 1 ? "" : "s") << ", "
       << std::fixed << std::setprecision(1) << run.elapsed_ms << " ms)\n";
  return line.str();
}

void PrintTestReport(const commands::TestReport& report, Format format, std::ostream& out) {
  using Outcome = commands::TestCheck::Outcome;
  auto outcome_name = [](Outcome outcome) {
    switch (outcome) {
      case Outcome::kPassed:
        return "pass";
      case Outcome::kFailed:
        return "fail";
      case Outcome::kSkipped:
        return "skip";
    }
    return "fail";
  };
  if (format == Format::kJson) {
    json checks = json::array();
    for (const auto& check : report.checks) {
      checks.push_back(json{{"check", check.check},
                            {"name", check.name},
                            {"status", outcome_name(check.outcome)},
                            {"revisions", check.revisions},
                            {"message", check.message},
                            {"details", check.details},
                            {"elapsed_ms", check.elapsed_ms}});
    }
    out << json{{"ok", report.ok()},
                {"passed", report.Count(Outcome::kPassed)},
                {"failed", report.Count(Outcome::kFailed)},
                {"skipped", report.Count(Outcome::kSkipped)},
                {"elapsed_ms", report.elapsed_ms},
                {"checks", checks}}
               .dump(2)
        << "\n";
    return;
  }
  for (const auto& check : report.checks) {
    const char* tag = check.outcome == Outcome::kPassed   ? "PASS"
                      : check.outcome == Outcome::kFailed ? "FAIL"
                                                          : "SKIP";
    out << tag << "  " << check.name << ": " << check.message << "\n";
    if (check.outcome != Outcome::kFailed || check.details.empty()) continue;
    for (const std::string& line : Split(check.details, '\n')) {
      if (!line.empty()) out << "      " << line << "\n";
    }
  }
  out << report.Count(Outcome::kPassed) << " passed, " << report.Count(Outcome::kFailed)
      << " failed, " << report.Count(Outcome::kSkipped) << " skipped ("
      << static_cast<long long>(report.elapsed_ms) << " ms)\n";
}
}  // namespace retort::cli
