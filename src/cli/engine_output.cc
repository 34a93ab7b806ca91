#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "cli/output.h"
#include "commands/render_threads.h"
#include "commands/schema_sources.h"
#include "render/render.h"
#include "schema/model_json.h"

namespace retort::cli {

namespace {

using nlohmann::json;

std::string Plural(size_t count, const std::string& word) {
  return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

// squawk's `--list-rules`: code, name, severity, whether it is graded, what it finds.
void PrintRules(const std::vector<lint::Rule>& rules, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    json list = json::array();
    for (const lint::Rule& rule : rules) list.push_back(lint::RuleToJson(rule));
    out << list.dump(2) << "\n";
    return;
  }
  for (const lint::Rule& rule : rules) {
    std::string name(rule.name);
    name.resize(std::max<size_t>(name.size(), 34), ' ');
    std::string severity(lint::SeverityName(rule.severity));
    severity.resize(8, ' ');
    out << rule.code << "  " << name << " " << severity << (rule.graded ? "graded  " : "        ")
        << rule.summary << "\n";
  }
}

void PrintProbe(const lint::ProbeReport& report, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    out << lint::ProbeToJson(report).dump(2) << "\n";
  } else {
    out << lint::FormatProbeText(report);
  }
}

void PrintFindings(const commands::LintFindings& report, Format format, std::ostream& out) {
  const lint::Summary& summary = report.summary;
  if (format == Format::kJson) {
    json list = json::array();
    for (const lint::Finding& finding : report.findings) list.push_back(lint::ToJson(finding));
    json document = {
        {"files", report.files},
        {"graded_by_table_size", report.database.has_value()},
        {"database", report.database ? json(*report.database) : json(nullptr)},
        {"findings", list},
        {"summary",
         {{"errors", summary.errors}, {"warnings", summary.warnings}, {"notes", summary.notes}}}};
    out << document.dump(2) << "\n";
    return;
  }
  for (const lint::Finding& finding : report.findings) out << lint::FormatText(finding) << "\n";
  std::string in_files = " in " + Plural(report.files.size(), "file");
  if (report.findings.empty()) {
    out << "no findings" << in_files << "\n";
    return;
  }
  out << Plural(summary.errors, "error") << ", " << Plural(summary.warnings, "warning") << ", "
      << Plural(summary.notes, "note") << in_files
      << (report.database ? " (graded by table size in " + *report.database + ")" : std::string())
      << "\n";
}

}  // namespace

void PrintSchema(const schema::Database& database, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    schema::WriteJson(database, out);
    out << "\n";
  } else {
    out << commands::CreateScriptOnThreads(database);
  }
}

void PrintDiff(const commands::DiffReport& report, Format format, std::ostream& out,
               std::ostream& log) {
  const render::MigrationSql& sql = report.sql;
  if (format == Format::kJson) {
    json document = {{"from", report.from},
                     {"to", report.to},
                     {"upgrade", sql.upgrade},
                     {"downgrade", sql.downgrade},
                     {"upgrade_needs_no_transaction", sql.upgrade_needs_no_transaction},
                     {"downgrade_needs_no_transaction", sql.downgrade_needs_no_transaction},
                     {"destructive_changes", sql.destructive_changes}};
    out << document.dump(2) << "\n";
    return;
  }
  if (sql.empty()) {
    log << "no differences between " << report.from << " and " << report.to << "\n";
    return;
  }
  if (!report.with_downgrade) {
    out << sql.upgrade;
    return;
  }
  out << "-- upgrade" << (sql.upgrade_needs_no_transaction ? " (outside a transaction)" : "")
      << "\n"
      << sql.upgrade << "\n-- downgrade"
      << (sql.downgrade_needs_no_transaction ? " (outside a transaction)" : "") << "\n"
      << sql.downgrade;
}

void PrintCheck(const commands::CheckReport& report, Format format, std::ostream& out,
                std::ostream& log) {
  if (format == Format::kJson) {
    json document = {{"match", report.match()},
                     {"heads", report.heads},
                     {"schema", report.schema},
                     {"sql", report.sql}};
    out << document.dump(2) << "\n";
  } else if (report.match()) {
    out << "migrations match " << report.schema << "\n";
  } else {
    out << report.sql;
  }
  if (report.match()) log << "checked in " << commands::FormatMs(report.elapsed_ms) << "\n";
}

void PrintDrift(const commands::DriftReport& report, Format format, std::ostream& out) {
  const render::MigrationSql& sql = report.sql;
  std::string revisions = Join(report.revisions, ", ");
  if (format == Format::kJson) {
    json document = {{"database", report.database},
                     {"revisions", report.revisions},
                     {"drift", !sql.empty()},
                     {"sql", sql.upgrade},
                     {"unplannable", sql.upgrade_unsupported},
                     {"revert_sql", sql.downgrade}};
    out << document.dump(2) << "\n";
  } else if (sql.empty()) {
    out << "no drift: " << report.database << " matches revision " << revisions << "\n";
  } else {
    for (const std::string& problem : sql.upgrade_unsupported) out << "-- " << problem << "\n";
    out << "-- drift: " << report.database << " differs from what its revision (" << revisions
        << ") should contain.\n"
        << "-- This SQL turns the migrations' schema into the live one: the changes made out "
           "of band.\n"
        << sql.upgrade;
  }
}

void PrintLint(const commands::LintReport& report, Format format, std::ostream& out) {
  if (const auto* rules = std::get_if<std::vector<lint::Rule>>(&report.result)) {
    PrintRules(*rules, format, out);
  } else if (const auto* probe = std::get_if<lint::ProbeReport>(&report.result)) {
    PrintProbe(*probe, format, out);
  } else {
    PrintFindings(std::get<commands::LintFindings>(report.result), format, out);
  }
}

}  // namespace retort::cli
