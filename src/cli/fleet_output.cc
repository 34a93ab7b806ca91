// `retort fleet`'s reports as text tables (one row per target, in the group's order) or JSON.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "cli/output.h"

namespace retort::cli {

namespace {

using nlohmann::json;
using Outcome = commands::FleetTargetRun::Outcome;

// Columns padded to their widest cell, two blanks apart; the last column is not padded.
void PrintTable(const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t column = 0; column < row.size(); ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t column = 0; column < row.size(); ++column) {
      line += row[column];
      if (column + 1 < row.size())
        line += std::string(widths[column] - row[column].size() + 2, ' ');
    }
    out << std::string(Trim(line)) << "\n";
  }
}

std::string Cell(const std::string& text) { return text.empty() ? "-" : text; }
// An error on one line of a table (Excerpt joins its lines and cuts it short).
std::string OneLine(const std::string& text) { return Excerpt(text, 160); }
std::string Rows(const std::vector<std::string>& rows) {
  return rows.empty() ? "base" : Join(rows, ",");
}

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kMoved:
      return "moved";
    case Outcome::kAlreadyThere:
      return "already_there";
    case Outcome::kWouldMove:
      return "would_move";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kNotStarted:
      return "not_started";
  }
  return "";
}

json TargetJson(const commands::FleetTarget& target) {
  return {{"target", target.label}, {"schema", target.schema}, {"listed_at", target.where}};
}

// One line per revision (or state) with how many targets are there.
void PrintRevisionCounts(const std::map<std::string, int>& counts, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {{"REVISION", "TARGETS"}};
  for (const auto& [revision, count] : counts) rows.push_back({revision, std::to_string(count)});
  PrintTable(rows, out);
}

}  // namespace

void PrintFleetRun(const commands::FleetRunReport& report, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    json targets = json::array();
    for (const commands::FleetTargetRun& run : report.targets) {
      json entry = TargetJson(run.target);
      entry.update({{"outcome", OutcomeName(run.outcome)},
                    {"canary", run.canary},
                    {"rows_before", run.rows_before},
                    {"rows_after", run.rows_after},
                    {report.dry_run ? "would_run" : "ran", run.moved},
                    {"error", run.error},
                    {"elapsed_ms", run.elapsed_ms}});
      targets.push_back(std::move(entry));
    }
    out << json{{"group", report.group},
                {"command", report.upgrade ? "upgrade" : "downgrade"},
                {"destination", report.destination},
                {"dry_run", report.dry_run},
                {"ok", report.verdict.ok()},
                {"targets", targets}}
               .dump(2)
        << "\n";
    return;
  }
  std::map<Outcome, int> counts;
  std::vector<std::vector<std::string>> rows = {
      {"TARGET", "SCHEMA", "OUTCOME", report.dry_run ? "WOULD RUN" : "RAN", "NOW AT", "ERROR"}};
  for (const commands::FleetTargetRun& run : report.targets) {
    ++counts[run.outcome];
    bool moved = !run.moved.empty();
    rows.push_back({run.target.label, Cell(run.target.schema),
                    std::string(run.canary ? "canary " : "") + OutcomeName(run.outcome),
                    moved ? Join(run.moved, ",") : "-",
                    run.outcome == Outcome::kNotStarted ? "-" : Rows(run.rows_after),
                    Cell(OneLine(run.error))});
  }
  PrintTable(rows, out);
  std::vector<std::string> totals;
  for (const auto& [outcome, count] : counts) {
    totals.push_back(std::to_string(count) + " " + OutcomeName(outcome));
  }
  out << "fleet " << report.group << ": " << (report.upgrade ? "upgrade " : "downgrade ")
      << report.destination << (report.dry_run ? " (dry run)" : "") << ", " << report.targets.size()
      << " targets: " << Join(totals, ", ") << "\n";
}

void PrintFleetStatus(const commands::FleetStatusReport& report, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    json targets = json::array();
    for (const commands::FleetTargetStatus& status : report.targets) {
      json partial = json::array();
      for (const commands::PartialMigration& migration : status.partial) {
        partial.push_back({{"revision", migration.revision},
                           {"direction", migration.direction},
                           {"statement", migration.statement}});
      }
      json entry = TargetJson(status.target);
      entry.update({{"reachable", status.reachable},
                    {"rows", status.rows},
                    {"unknown_rows", status.unknown},
                    {"pending", status.pending},
                    {"at_heads", status.AtHeads()},
                    {"partial", partial},
                    {"error", status.error},
                    {"drift", status.drift},
                    {"last_error", status.last_error},
                    {"recorded_at", status.recorded_at}});
      targets.push_back(std::move(entry));
    }
    out << json{{"group", report.group}, {"heads", report.heads}, {"targets", targets}}.dump(2)
        << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"TARGET", "SCHEMA", "REVISION", "PENDING", "DRIFT", "LAST ERROR"}};
  std::map<std::string, int> counts;
  for (const commands::FleetTargetStatus& status : report.targets) {
    std::string revision = !status.reachable         ? "unreachable"
                           : !status.unknown.empty() ? Rows(status.rows) + " (unknown)"
                           : !status.partial.empty() ? Rows(status.rows) + " (partial)"
                                                     : Rows(status.rows);
    ++counts[revision];
    std::string last_error = !status.reachable ? status.error : status.last_error;
    rows.push_back(
        {status.target.label, Cell(status.target.schema), revision,
         status.reachable && status.unknown.empty() ? std::to_string(status.pending) : "-",
         Cell(status.drift), Cell(OneLine(last_error))});
  }
  out << "fleet " << report.group << ": " << report.targets.size() << " targets, heads "
      << Rows(report.heads) << "\n";
  PrintTable(rows, out);
  out << "\n";
  PrintRevisionCounts(counts, out);
}

void PrintFleetDrift(const commands::FleetDriftReport& report, Format format, std::ostream& out) {
  if (format == Format::kJson) {
    json targets = json::array();
    for (const commands::FleetTargetDrift& drift : report.targets) {
      json entry = TargetJson(drift.target);
      entry.update({{"rows", drift.rows},
                    {"drift", drift.error.empty() && !drift.sql.empty()},
                    {"sql", drift.sql.upgrade},
                    {"revert_sql", drift.sql.downgrade},
                    {"error", drift.error}});
      targets.push_back(std::move(entry));
    }
    out << json{{"group", report.group},
                {"heads", report.heads},
                {"ok", report.verdict.ok()},
                {"targets", targets}}
               .dump(2)
        << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {{"TARGET", "REVISION", "DRIFT", "ERROR"}};
  for (const commands::FleetTargetDrift& drift : report.targets) {
    rows.push_back({drift.target.label, drift.error.empty() ? Rows(drift.rows) : "-",
                    !drift.error.empty() ? "-"
                    : drift.sql.empty()  ? "none"
                                         : "drifted",
                    Cell(OneLine(drift.error))});
  }
  PrintTable(rows, out);
  for (const commands::FleetTargetDrift& drift : report.targets) {
    if (drift.sql.empty() || !drift.error.empty()) continue;
    out << "\n-- drift: " << drift.target.label << " differs from what its revision ("
        << Rows(drift.rows) << ") should contain:\n"
        << drift.sql.upgrade;
  }
}

}  // namespace retort::cli
