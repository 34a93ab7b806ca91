// Grading findings by live table size, and printing them.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lint/lint.h"

namespace retort::lint {

namespace {

std::string WithThousands(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string grouped;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) grouped.push_back(',');
    grouped.push_back(*it);
    ++count;
  }
  if (value < 0) grouped.push_back('-');
  std::reverse(grouped.begin(), grouped.end());
  return grouped;
}

int Rank(Severity severity) { return static_cast<int>(severity); }

}  // namespace

Severity SeverityForSize(const TableSize& size, const Thresholds& thresholds) {
  bool rows_known = size.rows >= 0;
  double rows = rows_known ? size.rows : 0;
  if ((rows_known && rows >= static_cast<double>(thresholds.error_rows)) ||
      size.bytes >= thresholds.error_bytes) {
    return Severity::kError;
  }
  if ((rows_known && rows >= static_cast<double>(thresholds.warning_rows)) ||
      size.bytes >= thresholds.warning_bytes) {
    return Severity::kWarning;
  }
  return Severity::kNote;
}

void GradeBySize(std::vector<Finding>& findings, const std::map<std::string, TableSize>& sizes,
                 const Thresholds& thresholds) {
  for (Finding& finding : findings) {
    if (!RuleFor(finding.id).graded || finding.table_sql.empty()) continue;
    auto found = sizes.find(finding.table_sql);
    if (found == sizes.end()) continue;
    finding.size = found->second;
    Severity graded = SeverityForSize(found->second, thresholds);
    finding.severity = Rank(graded) > Rank(finding.max_severity) ? finding.max_severity : graded;
  }
}

Summary Summarize(const std::vector<Finding>& findings) {
  Summary summary;
  for (const Finding& finding : findings) {
    switch (finding.severity) {
      case Severity::kError:
        ++summary.errors;
        break;
      case Severity::kWarning:
        ++summary.warnings;
        break;
      case Severity::kNote:
        ++summary.notes;
        break;
    }
  }
  return summary;
}

std::string FormatBytes(long long bytes) {
  static constexpr const char* kUnits[] = {"kB", "MB", "GB", "TB"};
  if (bytes < 1024) return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, value < 10 ? "%.1f %s" : "%.0f %s", value, kUnits[unit]);
  return buffer;
}

std::string FormatRows(double rows) {
  if (rows < 0) return "row count unknown (never analysed)";
  long long whole = std::llround(rows);
  return "~" + WithThousands(whole) + (whole == 1 ? " row" : " rows");
}

std::string FormatText(const Finding& finding) {
  std::string text = finding.file + ":" + std::to_string(finding.line) + ": " +
                     std::string(SeverityName(finding.severity)) + "[" + finding.code + " " +
                     finding.rule + "]: " + finding.message + "\n";
  if (!finding.effect.empty()) text += "  what happens: " + finding.effect + "\n";
  if (!finding.fix.empty()) text += "  instead: " + finding.fix + "\n";
  if (finding.size) {
    text += "  table: " + finding.table + ", " + FormatRows(finding.size->rows) + ", " +
            FormatBytes(finding.size->bytes) + "\n";
  }
  return text;
}

nlohmann::json ToJson(const Finding& finding) {
  nlohmann::json json = {
      {"code", finding.code},
      {"rule", finding.rule},
      {"severity", SeverityName(finding.severity)},
      {"category", CategoryName(RuleFor(finding.id).category)},
      {"file", finding.file},
      {"line", finding.line},
      {"statement", finding.statement},
      {"message", finding.message},
      {"effect", finding.effect},
      {"fix", finding.fix},
      {"lock", finding.lock.empty() ? nlohmann::json(nullptr) : nlohmann::json(finding.lock)},
      {"table", finding.table.empty() ? nlohmann::json(nullptr) : nlohmann::json(finding.table)},
  };
  if (finding.size) {
    json["table_rows"] = finding.size->rows < 0 ? nlohmann::json(nullptr)
                                                : nlohmann::json(std::llround(finding.size->rows));
    json["table_bytes"] = finding.size->bytes;
  } else {
    json["table_rows"] = nullptr;
    json["table_bytes"] = nullptr;
  }
  return json;
}

}  // namespace retort::lint
