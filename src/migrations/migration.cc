#include "migrations/migration.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <utility>

#include "base/files.h"
#include "base/strings.h"

namespace retort::migrations {
namespace {

enum class HeaderField {
  kRevision,
  kRevises,
  kMessage,
  kCreated,
  kBranchLabels,
  kDependsOn,
  kTransaction,
};

struct HeaderDirective {
  std::string_view name;
  HeaderField field;
};

// Directives of the header: each at most once, all before `-- retort:upgrade`.
constexpr HeaderDirective kHeaderDirectives[] = {
    {"revision", HeaderField::kRevision},
    {"revises", HeaderField::kRevises},
    {"message", HeaderField::kMessage},
    {"created", HeaderField::kCreated},
    {"branch-labels", HeaderField::kBranchLabels},
    {"depends-on", HeaderField::kDependsOn},
    {"transaction", HeaderField::kTransaction},
};

constexpr std::string_view kUpgradeMarker = "upgrade";
constexpr std::string_view kDowngradeMarker = "downgrade";

// Directives allowed inside a section, each applying to the statement after it. None exist yet:
// the first per-statement feature (e.g. `-- retort:batch size=1000`) adds its name and argument
// check here, and gives Migration a place to keep the parsed value. Until then every directive
// inside a section other than the section markers is rejected as unknown.
struct StatementDirective {
  std::string_view name;
  // An error message for a bad argument, or "" when the argument is fine.
  std::string (*check_argument)(std::string_view argument);
};
constexpr std::array<StatementDirective, 0> kStatementDirectives{};

const HeaderDirective* FindHeaderDirective(std::string_view name) {
  for (const HeaderDirective& directive : kHeaderDirectives) {
    if (directive.name == name) return &directive;
  }
  return nullptr;
}

const StatementDirective* FindStatementDirective(std::string_view name) {
  for (const StatementDirective& directive : kStatementDirectives) {
    if (directive.name == name) return &directive;
  }
  return nullptr;
}

// Names that revision targets give a meaning of their own (`head`, `base`, ...).
bool IsReservedName(std::string_view name) {
  std::string lower = ToLower(name);
  return lower == "head" || lower == "heads" || lower == "base" || lower == "none";
}

struct DirectiveLine {
  std::string_view name;
  std::string_view value;
};

// "-- retort:name value" (also "--retort:name"), or nothing for any other line.
std::optional<DirectiveLine> ParseDirectiveLine(std::string_view line) {
  std::string_view trimmed = Trim(line);
  if (!StartsWith(trimmed, "--")) return std::nullopt;
  std::string_view rest = Trim(trimmed.substr(2));
  constexpr std::string_view kPrefix = "retort:";
  if (!StartsWith(rest, kPrefix)) return std::nullopt;
  rest.remove_prefix(kPrefix.size());
  size_t name_end = 0;
  while (name_end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[name_end]))) {
    ++name_end;
  }
  return DirectiveLine{rest.substr(0, name_end), Trim(rest.substr(name_end))};
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string Marker(std::string_view name) { return "'-- retort:" + std::string(name) + "'"; }

struct Section {
  int marker_line = 0;  // 0: the file has no such section
  size_t begin = 0;     // byte range of the section's text (after the marker line)
  size_t end = 0;
};

class Parser {
 public:
  Parser(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  Result<Migration> Parse() {
    migration_.path = path_;
    if (size_t nul = text_.find('\0'); nul != std::string_view::npos) {
      return Status::InvalidInput(path_ + ":" + std::to_string(LineOfOffset(text_, nul)) +
                                  ": NUL byte in migration file");
    }
    ScanLines();
    CheckRequired();
    CheckHeaderText();
    migration_.upgrade = SplitSection(upgrade_);
    migration_.downgrade = SplitSection(downgrade_);
    migration_.has_downgrade = downgrade_.marker_line != 0;
    if (errors_.empty()) ComputeChecksum();
    if (!errors_.empty()) {
      std::stable_sort(errors_.begin(), errors_.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::vector<std::string> lines;
      for (auto& [line, message] : errors_) lines.push_back(std::move(message));
      return Status::InvalidInput(Join(lines, "\n"));
    }
    return std::move(migration_);
  }

 private:
  void Error(int line, const std::string& message) {
    errors_.emplace_back(line, path_ + ":" + std::to_string(line) + ": " + message);
  }

  // Errors from sqltext already read "path:LINE: ..."; keep their line for ordering.
  void FormattedError(const std::string& message) {
    int line = 0;
    std::string prefix = path_ + ":";
    if (StartsWith(message, prefix)) {
      for (size_t i = prefix.size();
           i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])); ++i) {
        line = line * 10 + (message[i] - '0');
      }
    }
    errors_.emplace_back(line, message);
  }

  void ScanLines() {
    Section ignored;  // the text after a duplicate section marker
    Section* section = nullptr;
    size_t offset = 0;
    int line_number = 0;
    while (offset < text_.size()) {
      size_t newline = text_.find('\n', offset);
      size_t line_end = newline == std::string_view::npos ? text_.size() : newline;
      size_t next = newline == std::string_view::npos ? text_.size() : newline + 1;
      ++line_number;
      std::string_view line = text_.substr(offset, line_end - offset);
      std::optional<DirectiveLine> directive = ParseDirectiveLine(line);

      if (directive && (directive->name == kUpgradeMarker || directive->name == kDowngradeMarker)) {
        if (section != nullptr) section->end = offset;
        section = StartSection(*directive, line_number, &ignored);
        section->begin = next;
      } else if (directive) {
        HandleDirective(*directive, line_number, section != nullptr);
      } else if (section == nullptr) {
        header_text_.append(line);
      }
      // The header copy keeps one line per file line (directives blanked) so its lines are
      // file lines.
      if (section == nullptr) header_text_.push_back('\n');
      offset = next;
    }
    if (section != nullptr) section->end = text_.size();
  }

  Section* StartSection(const DirectiveLine& directive, int line, Section* ignored) {
    if (!directive.value.empty()) {
      Error(line,
            Marker(directive.name) + " takes no value (found " + Quoted(directive.value) + ")");
    }
    Section& target = directive.name == kUpgradeMarker ? upgrade_ : downgrade_;
    if (target.marker_line != 0) {
      Error(line, "duplicate " + Marker(directive.name) + " section (first on line " +
                      std::to_string(target.marker_line) + ")");
      return ignored;
    }
    if (directive.name == kDowngradeMarker && upgrade_.marker_line == 0) {
      Error(line, Marker(kDowngradeMarker) + " must come after " + Marker(kUpgradeMarker));
    }
    target.marker_line = line;
    return &target;
  }

  void HandleDirective(const DirectiveLine& directive, int line, bool in_section) {
    if (directive.name.empty()) {
      Error(line, "missing directive name after 'retort:'");
      return;
    }
    if (const HeaderDirective* header = FindHeaderDirective(directive.name)) {
      if (in_section) {
        Error(line,
              Marker(directive.name) + " belongs in the header, before " + Marker(kUpgradeMarker));
        return;
      }
      auto [first, inserted] = seen_.emplace(header->field, line);
      if (!inserted) {
        Error(line, "duplicate " + Marker(directive.name) + " (first on line " +
                        std::to_string(first->second) + ")");
        return;
      }
      ApplyHeader(header->field, directive, line);
      return;
    }
    if (const StatementDirective* statement = FindStatementDirective(directive.name)) {
      if (!in_section) {
        Error(line, Marker(directive.name) + " belongs inside a section, before a statement");
        return;
      }
      std::string problem = statement->check_argument(directive.value);
      if (!problem.empty()) Error(line, problem);
      return;
    }
    Error(line, "unknown directive " + Quoted("retort:" + std::string(directive.name)));
  }

  // Parses a comma- or space-separated list of revision ids.
  std::vector<std::string> RevisionList(const DirectiveLine& directive, int line) {
    std::vector<std::string> ids;
    for (std::string& id : SplitList(directive.value)) {
      if (!IsValidRevisionId(id)) {
        Error(line, "invalid revision id " + Quoted(id) + " in " + Marker(directive.name) +
                        ": use 1-32 characters of A-Z, a-z, 0-9, '_' and '-'");
      } else if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
        Error(line, "revision " + Quoted(id) + " is listed twice in " + Marker(directive.name));
      } else {
        ids.push_back(std::move(id));
      }
    }
    return ids;
  }

  void ApplyHeader(HeaderField field, const DirectiveLine& directive, int line) {
    std::string_view value = directive.value;
    switch (field) {
      case HeaderField::kRevision:
        migration_.revision_line = line;
        if (value.empty()) {
          Error(line, Marker(directive.name) + " needs a revision id");
        } else if (!IsValidRevisionId(value)) {
          Error(line, "invalid revision id " + Quoted(value) +
                          ": use 1-32 characters of A-Z, a-z, 0-9, '_' and '-'");
        } else if (IsReservedName(value)) {
          Error(line, "revision id " + Quoted(value) + " is a reserved word");
        } else {
          migration_.id = std::string(value);
        }
        return;
      case HeaderField::kRevises: {
        revises_line_ = line;
        if (value.empty() || ToLower(value) == "none") return;  // a root
        std::vector<std::string> pieces = SplitList(value);
        for (const std::string& piece : pieces) {
          if (ToLower(piece) == "none") {
            Error(line,
                  "'none' in " + Marker(directive.name) + " cannot be combined with revision ids");
            return;
          }
        }
        migration_.parents = RevisionList(directive, line);
        return;
      }
      case HeaderField::kMessage:
        migration_.message = std::string(value);
        return;
      case HeaderField::kCreated:
        migration_.created = std::string(value);
        return;
      case HeaderField::kBranchLabels:
        for (std::string& label : SplitList(value)) {
          if (label.find('@') != std::string::npos) {
            Error(line, "branch label " + Quoted(label) + " must not contain '@'");
          } else if (!IsValidBranchLabel(label)) {
            Error(line,
                  "invalid branch label " + Quoted(label) + ": use A-Z, a-z, 0-9, '_' and '-'");
          } else if (IsReservedName(label)) {
            Error(line, "branch label " + Quoted(label) + " is a reserved word");
          } else if (std::find(migration_.branch_labels.begin(), migration_.branch_labels.end(),
                               label) != migration_.branch_labels.end()) {
            Error(line, "branch label " + Quoted(label) + " is listed twice");
          } else {
            migration_.branch_labels.push_back(std::move(label));
          }
        }
        return;
      case HeaderField::kDependsOn:
        depends_on_line_ = line;
        migration_.depends_on = RevisionList(directive, line);
        return;
      case HeaderField::kTransaction:
        if (value != "none") {
          Error(line, "invalid value " + Quoted(value) + " for " + Marker(directive.name) +
                          ": the only value is 'none' (leave the line out for a transaction)");
          return;
        }
        migration_.transactional = false;
        return;
    }
  }

  void CheckRequired() {
    if (!seen_.contains(HeaderField::kRevision)) {
      Error(1, "missing " + Marker("revision") + " header");
    }
    if (upgrade_.marker_line == 0) Error(1, "missing " + Marker(kUpgradeMarker) + " section");
    const std::string& id = migration_.id;
    if (id.empty()) return;
    if (std::find(migration_.parents.begin(), migration_.parents.end(), id) !=
        migration_.parents.end()) {
      Error(revises_line_, "revision " + Quoted(id) + " revises itself");
    }
    if (std::find(migration_.depends_on.begin(), migration_.depends_on.end(), id) !=
        migration_.depends_on.end()) {
      Error(depends_on_line_, "revision " + Quoted(id) + " depends on itself");
    }
  }

  // Only comments and directives may precede the first section. Without any section marker
  // the "missing upgrade section" error already says what is wrong.
  void CheckHeaderText() {
    if (upgrade_.marker_line == 0 && downgrade_.marker_line == 0) return;
    Result<std::vector<sqltext::Token>> tokens = sqltext::Tokenize(header_text_, path_, 1);
    if (!tokens.ok()) {
      FormattedError(tokens.status().message());
      return;
    }
    for (const sqltext::Token& token : *tokens) {
      if (token.is_comment) continue;
      Error(LineOfOffset(header_text_, token.begin),
            "SQL before " + Marker(kUpgradeMarker) + "; statements belong in a section");
      return;
    }
  }

  std::vector<sqltext::Statement> SplitSection(const Section& section) {
    if (section.marker_line == 0) return {};
    Result<std::vector<sqltext::Statement>> statements = sqltext::SplitStatements(
        text_.substr(section.begin, section.end - section.begin), path_, section.marker_line + 1);
    if (!statements.ok()) {
      FormattedError(statements.status().message());
      return {};
    }
    return std::move(statements).value();
  }

  void ComputeChecksum() {
    std::string input = migration_.transactional ? "transaction\n" : "transaction none\n";
    auto add_section = [&](std::string_view name,
                           const std::vector<sqltext::Statement>& statements) {
      input.append(name).push_back('\n');
      for (const sqltext::Statement& statement : statements) {
        Result<std::string> fingerprint = sqltext::Fingerprint(statement.text);
        if (!fingerprint.ok()) {
          Error(statement.line, fingerprint.status().message());
          continue;
        }
        input.append(*fingerprint).push_back('\n');
      }
    };
    add_section(kUpgradeMarker, migration_.upgrade);
    add_section(kDowngradeMarker, migration_.downgrade);
    migration_.checksum = Sha256Hex(input);
  }

  std::string_view text_;
  const std::string& path_;
  Migration migration_;
  std::vector<std::pair<int, std::string>> errors_;
  std::map<HeaderField, int> seen_;  // header directive -> line of its first occurrence
  int revises_line_ = 0;
  int depends_on_line_ = 0;
  Section upgrade_;
  Section downgrade_;
  std::string header_text_;
};

std::string CollapseToOneLine(std::string_view text) {
  std::string collapsed;
  bool pending_space = false;
  for (char c : Trim(text)) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = true;
      continue;
    }
    if (pending_space) collapsed.push_back(' ');
    pending_space = false;
    collapsed.push_back(c);
  }
  return collapsed;
}

// The SQL of a section without blank lines around it, so the rendered file has none doubled.
std::string_view TrimBlankLines(std::string_view sql) {
  size_t begin = 0;
  size_t scan = 0;
  while (scan < sql.size() && std::isspace(static_cast<unsigned char>(sql[scan]))) {
    if (sql[scan] == '\n') begin = scan + 1;
    ++scan;
  }
  if (scan == sql.size()) return {};
  size_t end = sql.size();
  while (end > begin && std::isspace(static_cast<unsigned char>(sql[end - 1]))) --end;
  return sql.substr(begin, end - begin);
}

std::string FormatUtc(std::time_t time, const char* format) {
  std::tm parts{};
  gmtime_r(&time, &parts);
  char buffer[64];
  size_t length = std::strftime(buffer, sizeof(buffer), format, &parts);
  return std::string(buffer, length);
}

// Replaces each `open name close` whose name is in `values`, in one pass: a value that itself
// looks like a placeholder stays as it is.
std::string Substitute(std::string_view text, std::string_view open, char close,
                       const std::map<std::string, std::string, std::less<>>& values) {
  std::string result;
  size_t offset = 0;
  while (offset < text.size()) {
    size_t start = text.find(open, offset);
    if (start == std::string_view::npos) break;
    size_t name_begin = start + open.size();
    size_t stop = text.find(close, name_begin);
    if (stop == std::string_view::npos) break;
    auto value = values.find(text.substr(name_begin, stop - name_begin));
    if (value == values.end()) {
      result.append(text.substr(offset, name_begin - offset));
      offset = name_begin;
      continue;
    }
    result.append(text.substr(offset, start - offset));
    result.append(value->second);
    offset = stop + 1;
  }
  result.append(text.substr(offset));
  return result;
}

}  // namespace

bool IsValidRevisionId(std::string_view id) {
  return !id.empty() && id.size() <= 32 && IsValidBranchLabel(id);
}

bool IsValidBranchLabel(std::string_view label) {
  if (label.empty()) return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

Result<Migration> ParseMigration(std::string_view text, const std::string& path) {
  // A UTF-8 byte order mark is not text; blanking it keeps every offset and line.
  if (StartsWith(text, "\xEF\xBB\xBF")) {
    std::string copy(text);
    copy.replace(0, 3, "   ");
    return Parser(copy, path).Parse();
  }
  return Parser(text, path).Parse();
}

Result<std::vector<Migration>> LoadDirectory(const std::string& versions_dir) {
  if (!IsDirectory(versions_dir)) {
    return Status::InvalidInput(versions_dir + ": versions directory does not exist");
  }
  RETORT_ASSIGN_OR_RETURN(std::vector<std::string> files, ListFiles(versions_dir, ".sql"));
  std::vector<Migration> migrations;
  std::vector<std::string> errors;
  for (const std::string& file : files) {
    if (StartsWith(BaseName(file), ".")) continue;  // editor and OS droppings
    Result<std::string> text = ReadFile(file);
    if (!text.ok()) {
      errors.push_back(text.status().message());
      continue;
    }
    Result<Migration> migration = ParseMigration(*text, file);
    if (!migration.ok()) {
      errors.push_back(migration.status().message());
      continue;
    }
    migrations.push_back(std::move(migration).value());
  }
  if (!errors.empty()) return Status::InvalidInput(Join(errors, "\n"));
  return migrations;
}

std::string DefaultTemplate() {
  return "-- retort:revision      ${revision}\n"
         "-- retort:revises       ${revises}\n"
         "-- retort:message       ${message}\n"
         "-- retort:created       ${created}\n"
         "-- retort:branch-labels ${branch_labels}\n"
         "-- retort:depends-on    ${depends_on}\n"
         "-- retort:transaction   ${transaction}\n"
         "\n"
         "-- retort:upgrade\n"
         "${upgrade}\n"
         "\n"
         "-- retort:downgrade\n"
         "${downgrade}\n";
}

std::string RenderMigration(const NewRevision& revision, std::string_view template_text) {
  const std::map<std::string, std::string, std::less<>> values = {
      {"revision", revision.id},
      {"revises", revision.parents.empty() ? "none" : Join(revision.parents, ", ")},
      {"message", CollapseToOneLine(revision.message)},
      {"created", FormatUtc(revision.created, "%Y-%m-%d %H:%M:%S+00")},
      {"branch_labels", Join(revision.branch_labels, ", ")},
      {"depends_on", Join(revision.depends_on, ", ")},
      {"transaction", revision.transactional ? "" : "none"},
      {"upgrade", std::string(TrimBlankLines(revision.upgrade_sql))},
      {"downgrade", std::string(TrimBlankLines(revision.downgrade_sql))},
  };
  // Header lines that only make sense with a value.
  constexpr std::string_view kOmittedWhenEmpty[] = {"branch_labels", "depends_on", "transaction"};

  std::string rendered;
  size_t offset = 0;
  while (offset < template_text.size()) {
    size_t newline = template_text.find('\n', offset);
    size_t next = newline == std::string_view::npos ? template_text.size() : newline + 1;
    std::string_view line = template_text.substr(offset, next - offset);
    offset = next;
    bool omit = false;
    for (std::string_view name : kOmittedWhenEmpty) {
      std::string placeholder = "${" + std::string(name) + "}";
      if (line.find(placeholder) != std::string_view::npos && values.find(name)->second.empty()) {
        omit = true;
      }
    }
    if (omit) continue;
    bool has_newline = EndsWith(line, "\n");
    if (has_newline) line.remove_suffix(1);
    std::string substituted = Substitute(line, "${", '}', values);
    // An empty value must not leave "-- retort:message " with trailing space.
    while (!substituted.empty() && (substituted.back() == ' ' || substituted.back() == '\t')) {
      substituted.pop_back();
    }
    rendered.append(substituted);
    if (has_newline) rendered.push_back('\n');
  }
  return rendered;
}

std::string MakeFileName(std::string_view file_template, const std::string& revision_id,
                         const std::string& message, std::time_t created) {
  std::string slug = Slugify(message);
  const std::map<std::string, std::string, std::less<>> values = {
      {"year", FormatUtc(created, "%Y")},
      {"month", FormatUtc(created, "%m")},
      {"day", FormatUtc(created, "%d")},
      {"hour", FormatUtc(created, "%H")},
      {"minute", FormatUtc(created, "%M")},
      {"second", FormatUtc(created, "%S")},
      {"rev", revision_id},
      {"slug", slug},
  };
  std::string name = Substitute(file_template, "{", '}', values);
  if (slug.empty()) {
    while (!name.empty() && (name.back() == '_' || name.back() == '-')) name.pop_back();
  }
  return name + ".sql";
}

std::string NewRevisionId() {
  std::random_device device;
  uint64_t bits = (static_cast<uint64_t>(device()) << 32) ^ device();
  static const char kHex[] = "0123456789abcdef";
  std::string id(12, '0');
  for (char& digit : id) {
    digit = kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

}  // namespace retort::migrations
