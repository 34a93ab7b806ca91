#include "migrations/migration.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <utility>

#include "base/files.h"
#include "base/parallel.h"
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
  kNeedsManualConversion,
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
    {"needs-manual-conversion", HeaderField::kNeedsManualConversion},
};

constexpr std::string_view kUpgradeMarker = "upgrade";
constexpr std::string_view kDowngradeMarker = "downgrade";

// Directives allowed inside a section, each applying to the statement after it. A feature that
// needs the parsed value gives Migration a place to keep it.
struct StatementDirective {
  std::string_view name;
  // An error message for a bad argument, or "" when the argument is fine.
  std::string (*check_argument)(std::string_view argument);
};

// `-- retort:lint-ignore RULE[, RULE...]`: `retort lint` skips the named rules for the statement
// after it, or, in the header, for the whole file (docs/lint.md). It is the one statement
// directive also allowed in the header. Only the shape is checked here; lint knows the names.
constexpr std::string_view kLintIgnore = "lint-ignore";

std::string CheckLintIgnore(std::string_view argument) {
  std::vector<std::string> names = SplitList(argument);
  if (names.empty()) {
    return "'-- retort:lint-ignore' needs the rules to ignore, like '-- retort:lint-ignore "
           "drop-column'";
  }
  for (const std::string& name : names) {
    bool valid = std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
    });
    if (!valid) {
      return "invalid rule name '" + name +
             "' in '-- retort:lint-ignore': rule names and codes are letters, digits and '-'";
    }
  }
  return "";
}

// `-- retort:batch size=N [sleep=MS] [max-lag=SECONDS]` and `-- retort:estimate SELECT ...`:
// the statement after them is a batched backfill (docs/formats.md, "Batched statements").
constexpr std::string_view kBatch = "batch";
constexpr std::string_view kEstimate = "estimate";

bool IsWholeNumber(std::string_view text) {
  return !text.empty() && text.size() <= 12 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

// Seconds as "5", "0.5" or "2.25": digits with at most one '.'.
bool IsDecimal(std::string_view text) {
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) return IsWholeNumber(text);
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction = text.substr(dot + 1);
  return (whole.empty() || IsWholeNumber(whole)) && IsWholeNumber(fraction);
}

// `key=` as PostgreSQL reads a name: COLUMN, TABLE.COLUMN or SCHEMA.TABLE.COLUMN, unquoted
// parts folded to lower case, "quoted" parts kept as written. An error message, or "".
std::string ParseKeyName(std::string_view value, Batch* batch) {
  const std::string usage = " (like key=id, key=orders.id or key=sales.orders.id)";
  std::vector<std::string> parts;
  size_t at = 0;
  while (true) {
    std::string part;
    if (at < value.size() && value[at] == '"') {
      size_t close = value.find('"', at + 1);
      if (close == std::string_view::npos || close == at + 1) {
        return "malformed key '" + std::string(value) + "' in '-- retort:batch'" + usage;
      }
      part = std::string(value.substr(at + 1, close - at - 1));
      at = close + 1;
    } else {
      size_t end = at;
      while (end < value.size() && (std::isalnum(static_cast<unsigned char>(value[end])) ||
                                    value[end] == '_' || value[end] == '$')) {
        ++end;
      }
      if (end == at || std::isdigit(static_cast<unsigned char>(value[at]))) {
        return "malformed key '" + std::string(value) + "' in '-- retort:batch'" + usage;
      }
      part = ToLower(value.substr(at, end - at));
      at = end;
    }
    parts.push_back(part);
    if (at == value.size()) break;
    if (value[at] != '.') {
      return "malformed key '" + std::string(value) + "' in '-- retort:batch'" + usage;
    }
    ++at;
  }
  if (parts.size() > 3) {
    return "key '" + std::string(value) + "' in '-- retort:batch' has too many parts" + usage;
  }
  batch->key_column = parts.back();
  if (parts.size() >= 2) batch->key_table.name = parts[parts.size() - 2];
  if (parts.size() == 3) batch->key_table.schema = parts[0];
  return "";
}

// Parses the options of `-- retort:batch`; an error message, or "" when they are fine.
std::string ParseBatchOptions(std::string_view argument, Batch* batch) {
  const std::string usage = " (like '-- retort:batch size=1000 sleep=50 max-lag=5')";
  std::vector<std::string> options = SplitList(argument);
  std::vector<std::string> seen;
  for (const std::string& option : options) {
    size_t equals = option.find('=');
    if (equals == std::string::npos) {
      return "expected NAME=VALUE in '-- retort:batch', found '" + option + "'" + usage;
    }
    std::string name = option.substr(0, equals);
    std::string value = option.substr(equals + 1);
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      return "option '" + name + "' is given twice in '-- retort:batch'";
    }
    seen.push_back(name);
    if (name == "size") {
      if (!IsWholeNumber(value) || std::stol(value) < 1 || std::stol(value) > 1000000000) {
        return "size in '-- retort:batch' must be a whole number from 1 to 1000000000 (found '" +
               value + "')";
      }
      batch->size = std::stol(value);
    } else if (name == "sleep") {
      if (!IsWholeNumber(value) || std::stol(value) > 3600000) {
        return "sleep in '-- retort:batch' must be milliseconds, a whole number up to 3600000 "
               "(found '" +
               value + "')";
      }
      batch->sleep_ms = std::stol(value);
    } else if (name == "max-lag") {
      if (!IsDecimal(value)) {
        return "max-lag in '-- retort:batch' must be seconds, like 5 or 0.5 (found '" + value +
               "')";
      }
      batch->max_lag_seconds = std::stod(value);
    } else if (name == "key") {
      std::string error = ParseKeyName(value, batch);
      if (!error.empty()) return error;
    } else if (name == "target") {
      if (!IsWholeNumber(value) || std::stol(value) > 3600000) {
        return "target in '-- retort:batch' must be milliseconds per batch, a whole number up "
               "to 3600000 (0 keeps the size fixed; found '" +
               value + "')";
      }
      batch->target_ms = std::stol(value);
    } else {
      return "unknown option '" + name +
             "' in '-- retort:batch' (known: size, key, target, sleep, max-lag)";
    }
  }
  if (batch->size == 0) return "'-- retort:batch' needs size=N" + usage;
  return "";
}

std::string CheckBatch(std::string_view argument) {
  Batch batch;
  return ParseBatchOptions(argument, &batch);
}

std::string CheckEstimate(std::string_view argument) {
  if (Trim(argument).empty()) {
    return "'-- retort:estimate' needs a query returning the expected number of rows, like "
           "'-- retort:estimate SELECT count(*) FROM t WHERE b IS NULL'";
  }
  return "";
}

constexpr StatementDirective kStatementDirectives[] = {
    {kLintIgnore, CheckLintIgnore},
    {kBatch, CheckBatch},
    {kEstimate, CheckEstimate},
};

// The positions of every `name` (a placeholder like `:batch_size`) in `sql`: not part of a
// `::` cast and not followed by more of an identifier.
std::vector<size_t> ParameterPositions(std::string_view sql, std::string_view name) {
  std::vector<size_t> positions;
  auto is_identifier_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  };
  for (size_t at = sql.find(name); at != std::string_view::npos; at = sql.find(name, at + 1)) {
    size_t end = at + name.size();
    if (at > 0 && sql[at - 1] == ':') continue;
    if (end < sql.size() && is_identifier_char(sql[end])) continue;
    positions.push_back(at);
  }
  return positions;
}

bool Uses(std::string_view sql, std::string_view name) {
  return !ParameterPositions(sql, name).empty();
}

// `sql` with each placeholder of `replacements` (placeholder, text) replaced, in one pass.
std::string ReplaceParameters(
    std::string_view sql,
    const std::vector<std::pair<std::string_view, std::string_view>>& replacements) {
  std::vector<std::pair<size_t, size_t>> found;  // position, index into replacements
  for (size_t i = 0; i < replacements.size(); ++i) {
    for (size_t at : ParameterPositions(sql, replacements[i].first)) found.emplace_back(at, i);
  }
  std::sort(found.begin(), found.end());
  std::string result;
  size_t copied = 0;
  for (const auto& [at, i] : found) {
    result.append(sql.substr(copied, at - copied)).append(replacements[i].second);
    copied = at + replacements[i].first.size();
  }
  result.append(sql.substr(copied));
  return result;
}

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
// Names a target would read as something else: "head-1" is a relative target.
bool IsReservedName(std::string_view name) {
  std::string lower = ToLower(name);
  return lower == "head" || lower == "heads" || lower == "base" || lower == "none" ||
         StartsWith(lower, "head-");
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

// Whether every line of `text` is blank or a `--` comment: then it holds no SQL at all.
bool OnlyLineComments(std::string_view text) {
  while (!text.empty()) {
    size_t newline = text.find('\n');
    std::string_view line = Trim(text.substr(0, newline));
    if (!line.empty() && !StartsWith(line, "--")) return false;
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return true;
}

// A value from the file, quoted for a message; a runaway value (a whole file on one line) is cut
// so that the message stays readable.
std::string Quoted(std::string_view text) {
  constexpr size_t kShown = 80;
  if (text.size() <= kShown) return "'" + std::string(text) + "'";
  return "'" + ClipUtf8(text, kShown) + "...' (" + std::to_string(text.size()) + " bytes)";
}

std::string Marker(std::string_view name) { return "'-- retort:" + std::string(name) + "'"; }

struct Section {
  int marker_line = 0;  // 0: the file has no such section
  size_t begin = 0;     // byte range of the section's text (after the marker line)
  size_t end = 0;
};

// Sets migration.checksum; returns the (line, message) of each statement that cannot be
// fingerprinted (the checksum is then meaningless).
std::vector<std::pair<int, std::string>> ChecksumInto(Migration& migration) {
  std::vector<std::pair<int, std::string>> errors;
  std::string input = migration.transactional ? "transaction\n" : "transaction none\n";
  auto add_section = [&](std::string_view name, const std::vector<sqltext::Statement>& statements) {
    input.append(name).push_back('\n');
    for (const sqltext::Statement& statement : statements) {
      Result<std::string> fingerprint = StatementFingerprint(statement.text);
      if (!fingerprint.ok()) {
        errors.emplace_back(statement.line, fingerprint.status().message());
        continue;
      }
      input.append(*fingerprint).push_back('\n');
    }
  };
  add_section(kUpgradeMarker, migration.upgrade);
  add_section(kDowngradeMarker, migration.downgrade);
  migration.checksum = Sha256Hex(input);
  return errors;
}

// How far Parser goes: ParseDepth, and the header alone.
enum class Extent { kHeader, kStatements, kFull };

class Parser {
 public:
  Parser(std::string_view text, const std::string& path, Extent extent)
      : text_(text), path_(path), extent_(extent) {}

  Result<Migration> Parse() {
    migration_.path = path_;
    migration_.source = std::string(text_);
    if (size_t nul = text_.find('\0'); nul != std::string_view::npos) {
      return Status::InvalidInput(path_ + ":" + std::to_string(LineOfOffset(text_, nul)) +
                                  ": NUL byte in migration file");
    }
    ScanLines();
    CheckRequired();
    CheckHeaderText();
    migration_.source_sha256 = Sha256Hex(text_);
    migration_.has_downgrade = downgrade_.marker_line != 0;
    if (extent_ != Extent::kHeader) {
      migration_.upgrade = SplitSection(upgrade_);
      migration_.downgrade = SplitSection(downgrade_);
      AttachBatches(upgrade_, migration_.upgrade, migration_.upgrade_batches);
      AttachBatches(downgrade_, migration_.downgrade, migration_.downgrade_batches);
    }
    if (errors_.empty() && extent_ == Extent::kFull) {
      for (auto& [line, message] : ChecksumInto(migration_)) Error(line, message);
    }
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
        current_section_ = section;
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
      if (!in_section && directive.name != kLintIgnore) {
        Error(line, Marker(directive.name) + " belongs inside a section, before a statement");
        return;
      }
      std::string problem = statement->check_argument(directive.value);
      if (!problem.empty()) Error(line, problem);
      if (directive.name == kBatch || directive.name == kEstimate) {
        // Kept even when invalid, so that its statement is not also reported for :batch_size.
        pending_.push_back(PendingDirective{current_section_, line, std::string(directive.name),
                                            std::string(directive.value), problem.empty()});
      }
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
        } else if (IsReservedName(value)) {
          Error(line, "revision id " + Quoted(value) + " is a reserved word");
        } else if (!IsValidRevisionId(value)) {
          Error(line, "invalid revision id " + Quoted(value) +
                          ": use 1-32 characters of A-Z, a-z, 0-9, '_' and '-'" +
                          (StartsWith(value, "-") ? ", not starting with '-'" : ""));
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
      case HeaderField::kNeedsManualConversion:
        if (value.empty()) {
          Error(line, Marker(directive.name) + " needs a reason (what a person must convert)");
          return;
        }
        migration_.needs_manual_conversion = std::string(value);
        migration_.needs_manual_conversion_line = line;
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
    if (OnlyLineComments(header_text_)) return;  // the usual header: no need for the scanner
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
    // `:batch_size` is not SQL: split a copy where it is masked (same length), then take each
    // statement's text from the original.
    std::string_view original = text_.substr(section.begin, section.end - section.begin);
    std::string masked = MaskBatchSize(original);
    Result<std::vector<sqltext::Statement>> statements =
        sqltext::SplitStatements(masked, path_, section.marker_line + 1);
    if (!statements.ok()) {
      FormattedError(statements.status().message());
      return {};
    }
    if (masked != original) {
      size_t from = 0;
      for (sqltext::Statement& statement : *statements) {
        size_t at = masked.find(statement.text, from);
        if (at == std::string::npos) continue;
        from = at + statement.text.size();
        statement.text = std::string(original.substr(at, statement.text.size()));
      }
    }
    return std::move(statements).value();
  }

  // Gives each `-- retort:batch` / `-- retort:estimate` of `section` to the statement after it.
  void AttachBatches(const Section& section, const std::vector<sqltext::Statement>& statements,
                     std::map<size_t, Batch>& batches) {
    std::map<size_t, int> estimate_lines;
    std::set<size_t> invalid;  // statements whose batch directive was already reported
    for (const PendingDirective& directive : pending_) {
      if (directive.section != &section) continue;
      size_t index = 0;
      while (index < statements.size() && statements[index].line <= directive.line) ++index;
      if (index == statements.size()) {
        if (directive.valid) {
          Error(directive.line, Marker(directive.name) + " must be followed by a statement");
        }
        continue;
      }
      if (!directive.valid) {
        invalid.insert(index);
        continue;
      }
      if (directive.name == kEstimate) {
        if (estimate_lines.contains(index)) {
          Error(directive.line, "duplicate " + Marker(kEstimate) + " for the statement on line " +
                                    std::to_string(statements[index].line));
          continue;
        }
        estimate_lines[index] = directive.line;
        continue;
      }
      Batch batch;
      (void)ParseBatchOptions(directive.value, &batch);
      batch.line = directive.line;
      if (batches.contains(index)) {
        Error(directive.line, "duplicate " + Marker(kBatch) + " for the statement on line " +
                                  std::to_string(statements[index].line));
        continue;
      }
      if (migration_.transactional) {
        Error(directive.line,
              "a batched statement runs each batch in a transaction of its own, so the "
              "migration cannot run in one: mark the file '-- retort:transaction none'");
      }
      const std::string& text = statements[index].text;
      if (batch.keyed()) {
        if (!Uses(text, kBatchStartParameter) || !Uses(text, kBatchEndParameter)) {
          Error(statements[index].line,
                "a statement batched by key must limit each batch to its key range with "
                ":batch_start and :batch_end (like '... WHERE " +
                    batch.key_column + " BETWEEN :batch_start AND :batch_end')");
        }
        if (batch.key_table.name.empty()) {
          if (auto table = sqltext::ModifiedTable(MaskBatchSize(text))) {
            batch.key_table = *table;
          } else {
            Error(directive.line, "key=" + batch.key_column +
                                      " names no table and the statement is not an UPDATE or "
                                      "DELETE: name it, like key=TABLE." +
                                      batch.key_column);
          }
        }
      } else {
        if (!Uses(text, kBatchSizeParameter)) {
          Error(statements[index].line,
                "the batched statement must use :batch_size to limit each batch (like '... "
                "WHERE id IN (SELECT id FROM t WHERE b IS NULL LIMIT :batch_size)'), or walk a "
                "key with '-- retort:batch size=N key=id' and '... WHERE id BETWEEN "
                ":batch_start AND :batch_end'");
        }
        if (Uses(text, kBatchStartParameter) || Uses(text, kBatchEndParameter)) {
          Error(statements[index].line,
                ":batch_start and :batch_end are bound only when retort walks a key: add "
                "key=COLUMN to the '-- retort:batch' line");
        }
      }
      batches[index] = batch;
    }
    for (const auto& [index, line] : estimate_lines) {
      auto batch = batches.find(index);
      if (batch == batches.end()) {
        Error(line, Marker(kEstimate) +
                        " belongs to a batched statement: put it next to its "
                        "'-- retort:batch'");
        continue;
      }
      for (const PendingDirective& directive : pending_) {
        if (directive.section == &section && directive.line == line) {
          batch->second.estimate_sql = directive.value;
        }
      }
    }
    for (size_t index = 0; index < statements.size(); ++index) {
      if (batches.contains(index) || invalid.contains(index)) continue;
      for (std::string_view name :
           {kBatchSizeParameter, kBatchStartParameter, kBatchEndParameter}) {
        if (!Uses(statements[index].text, name)) continue;
        Error(statements[index].line,
              std::string(name) +
                  " is only bound in a batched statement: put '-- retort:batch size=N' (with "
                  "key=COLUMN for :batch_start and :batch_end) on the line before it");
        break;
      }
    }
  }

  std::string_view text_;
  const std::string& path_;
  Extent extent_;
  Migration migration_;
  std::vector<std::pair<int, std::string>> errors_;
  std::map<HeaderField, int> seen_;  // header directive -> line of its first occurrence
  int revises_line_ = 0;
  int depends_on_line_ = 0;
  Section upgrade_;
  Section downgrade_;
  std::string header_text_;
  // `batch` and `estimate` directives, attached to their statements once the sections are split.
  struct PendingDirective {
    const Section* section;
    int line;
    std::string name;
    std::string value;
    bool valid;
  };
  std::vector<PendingDirective> pending_;
  Section* current_section_ = nullptr;
};

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

std::string BindBatchSize(std::string_view sql, long size) {
  std::string number = std::to_string(size);
  return ReplaceParameters(sql, {{kBatchSizeParameter, number}});
}

std::string BindBatchRange(std::string_view sql, long size, std::string_view start,
                           std::string_view end) {
  std::string number = std::to_string(size);
  return ReplaceParameters(
      sql,
      {{kBatchSizeParameter, number}, {kBatchStartParameter, start}, {kBatchEndParameter, end}});
}

std::string MaskBatchSize(std::string_view sql) {
  // Each the same length as its placeholder. Leading spaces keep it a token of its own (what
  // follows a placeholder is never part of an identifier); none trail, since a statement's text
  // ends at its last token and must end at the same offset in the original.
  static_assert(kBatchSizeParameter.size() == 11 && kBatchStartParameter.size() == 12 &&
                kBatchEndParameter.size() == 10);
  return ReplaceParameters(sql, {{kBatchSizeParameter, "  $99999999"},
                                 {kBatchStartParameter, "   $99999998"},
                                 {kBatchEndParameter, " $99999997"}});
}

Result<std::string> StatementFingerprint(std::string_view statement) {
  return sqltext::Fingerprint(MaskBatchSize(statement));
}

Status FillChecksum(Migration& migration) {
  if (!migration.checksum.empty()) return Status::Ok();
  std::vector<std::string> problems;
  for (auto& [line, message] : ChecksumInto(migration)) {
    problems.push_back(migration.path + ":" + std::to_string(line) + ": " + message);
  }
  if (problems.empty()) return Status::Ok();
  migration.checksum.clear();
  return Status::InvalidInput(Join(problems, "\n"));
}

bool IsValidRevisionId(std::string_view id) {
  // A leading '-' would read as a relative target ("-1").
  return !id.empty() && id.size() <= 32 && id[0] != '-' && IsValidBranchLabel(id) &&
         !IsReservedName(id);
}

bool IsValidBranchLabel(std::string_view label) {
  if (label.empty()) return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

namespace {

Result<Migration> Parse(std::string_view text, const std::string& path, Extent extent) {
  // Refused before anything runs: the server would reject a bad byte only when it reaches its
  // statement, after the earlier ones ran, and libpq would cut a statement at a NUL.
  RETORT_RETURN_IF_ERROR(CheckTextFile(text, path));
  // A UTF-8 byte order mark is not text; blanking it keeps every offset and line.
  if (StartsWith(text, "\xEF\xBB\xBF")) {
    std::string copy(text);
    copy.replace(0, 3, "   ");
    return Parser(copy, path, extent).Parse();
  }
  return Parser(text, path, extent).Parse();
}

// Every migration file of `versions_dir` through `read`, on every core: splitting 1000 files
// with PostgreSQL's parser is most of what an `upgrade` does before its first migration.
// Results and errors keep the files' order.
template <class T>
Result<std::vector<T>> LoadEach(const std::string& versions_dir,
                                const std::function<Result<T>(const std::string&)>& read) {
  if (!IsDirectory(versions_dir)) {
    return Status::InvalidInput(versions_dir + ": versions directory does not exist");
  }
  RETORT_ASSIGN_OR_RETURN(std::vector<std::string> files, ListMigrationFiles(versions_dir));
  std::vector<std::optional<Result<T>>> parsed(files.size());
  ParallelFor(files.size(), [&](size_t i) { parsed[i] = read(files[i]); });
  std::vector<T> loaded;
  loaded.reserve(files.size());
  std::vector<std::string> errors;
  for (std::optional<Result<T>>& one : parsed) {
    if (!one->ok()) {
      errors.push_back(one->status().message());
      continue;
    }
    loaded.push_back(std::move(*one).value());
  }
  if (!errors.empty()) return Status::InvalidInput(Join(errors, "\n"));
  return loaded;
}

}  // namespace

Result<Migration> ParseMigration(std::string_view text, const std::string& path, ParseDepth depth) {
  return Parse(text, path, depth == ParseDepth::kFull ? Extent::kFull : Extent::kStatements);
}

Result<MigrationHeader> ParseMigrationHeader(std::string_view text, const std::string& path) {
  RETORT_ASSIGN_OR_RETURN(Migration migration, Parse(text, path, Extent::kHeader));
  return static_cast<MigrationHeader&&>(std::move(migration));
}

Result<Migration> ReadMigration(const std::string& path, ParseDepth depth) {
  RETORT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseMigration(text, path, depth);
}

Result<MigrationHeader> ReadMigrationHeader(const std::string& path) {
  RETORT_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseMigrationHeader(text, path);
}

bool IsMigrationFileName(std::string_view name) {
  return EndsWith(name, ".sql") && !StartsWith(name, ".");
}

Result<std::vector<std::string>> ListMigrationFiles(const std::string& versions_dir) {
  RETORT_ASSIGN_OR_RETURN(std::vector<std::string> files, ListFiles(versions_dir, ".sql"));
  std::erase_if(files,
                [](const std::string& file) { return !IsMigrationFileName(BaseName(file)); });
  return files;
}

Result<std::string> SourceText(const MigrationHeader& migration) {
  if (!migration.source.empty()) return migration.source;
  return ReadFile(migration.path);
}

Result<std::vector<Migration>> LoadDirectory(const std::string& versions_dir, ParseDepth depth) {
  return LoadEach<Migration>(
      versions_dir, [depth](const std::string& file) { return ReadMigration(file, depth); });
}

Result<std::vector<MigrationHeader>> LoadHeaders(const std::string& versions_dir) {
  return LoadEach<MigrationHeader>(versions_dir, ReadMigrationHeader);
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

std::string RenderRevisionFile(const NewRevision& revision, std::string_view template_text) {
  const std::map<std::string, std::string, std::less<>> values = {
      {"revision", revision.id},
      {"revises", revision.parents.empty() ? "none" : Join(revision.parents, ", ")},
      {"message", CollapseWhitespace(revision.message)},
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
