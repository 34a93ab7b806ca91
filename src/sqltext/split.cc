#include "sqltext/split.h"

#include <pg_query.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "base/strings.h"
#include "sqltext/classify.h"

namespace retort::sqltext {
namespace {

// Runs `release` when the scope ends, so every libpg_query result is freed on every path.
template <typename Release>
class ScopeExit {
 public:
  explicit ScopeExit(Release release) : release_(std::move(release)) {}
  ~ScopeExit() { release_(); }
  ScopeExit(const ScopeExit&) = delete;
  ScopeExit& operator=(const ScopeExit&) = delete;

 private:
  Release release_;
};

int LineAt(std::string_view sql, size_t offset, int first_line) {
  return first_line + LineOfOffset(sql, offset) - 1;
}

// libpg_query needs a C string, so a NUL byte would silently cut the text short.
Status RejectNulBytes(std::string_view sql, const std::string& file, int first_line) {
  size_t nul = sql.find('\0');
  if (nul == std::string_view::npos) return Status::Ok();
  return Status::InvalidInput(file + ":" + std::to_string(LineAt(sql, nul, first_line)) +
                              ": NUL byte in SQL text");
}

// PgQueryError.cursorpos counts characters (UTF-8 code points), 1-based; we need a byte offset.
size_t ByteOffsetOfCursor(std::string_view sql, int cursorpos) {
  size_t offset = 0;
  for (int skipped = 1; skipped < cursorpos && offset < sql.size(); ++skipped) {
    ++offset;
    while (offset < sql.size() && (static_cast<unsigned char>(sql[offset]) & 0xC0) == 0x80) {
      ++offset;
    }
  }
  return offset;
}

// PostgreSQL quotes the rest of the input after an unterminated string or comment; keep one
// short line of it so that every error stays on one line.
std::string ShortenNearText(std::string message) {
  constexpr std::string_view kNear = " at or near \"";
  size_t near = message.find(kNear);
  if (near == std::string::npos || !EndsWith(message, "\"")) return message;
  size_t begin = near + kNear.size();
  std::string_view text = std::string_view(message).substr(begin, message.size() - 1 - begin);
  constexpr size_t kMaxLength = 40;
  size_t cut = std::min({text.find('\n'), text.find('\r'), text.size()});
  if (cut == text.size() && cut <= kMaxLength) return message;
  return message.substr(0, begin) + ClipUtf8(text.substr(0, cut), kMaxLength) + "...\"";
}

Status ErrorAt(std::string_view sql, const PgQueryError& error, const std::string& file,
               int first_line) {
  size_t offset = ByteOffsetOfCursor(sql, error.cursorpos);
  if (offset >= sql.size()) {
    // "at end of input" points past the text; the line of the last thing written is the one
    // the user has to fix.
    offset = sql.size();
    while (offset > 0 && std::isspace(static_cast<unsigned char>(sql[offset - 1]))) --offset;
    if (offset > 0) --offset;
  }
  std::string message =
      error.message != nullptr ? ShortenNearText(error.message) : "cannot parse SQL";
  return Status::InvalidInput(file + ":" + std::to_string(LineAt(sql, offset, first_line)) + ": " +
                              message);
}

std::optional<int> CopyBeforeDataRows(std::string_view sql, size_t error_offset, int first_line);

// Just enough of the protobuf wire format to read pg_query_scan's ScanResult:
//   message ScanResult { int32 version = 1; repeated ScanToken tokens = 2; }
//   message ScanToken  { int32 start = 1; int32 end = 2; Token token = 4; KeywordKind kw = 5; }
class ProtoReader {
 public:
  explicit ProtoReader(std::string_view data) : data_(data) {}

  bool Done() const { return position_ >= data_.size(); }

  bool ReadVarint(uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (Done()) return false;
      auto byte = static_cast<unsigned char>(data_[position_++]);
      *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }

  bool ReadTag(uint64_t* field, uint64_t* wire_type) {
    uint64_t tag = 0;
    if (!ReadVarint(&tag)) return false;
    *field = tag >> 3;
    *wire_type = tag & 7;
    return true;
  }

  bool ReadBytes(std::string_view* bytes) {
    uint64_t length = 0;
    if (!ReadVarint(&length) || length > data_.size() - position_) return false;
    *bytes = data_.substr(position_, length);
    position_ += length;
    return true;
  }

  bool Skip(uint64_t wire_type) {
    uint64_t ignored = 0;
    std::string_view ignored_bytes;
    switch (wire_type) {
      case 0:
        return ReadVarint(&ignored);
      case 1:
        return Advance(8);
      case 2:
        return ReadBytes(&ignored_bytes);
      case 5:
        return Advance(4);
      default:
        return false;
    }
  }

 private:
  bool Advance(size_t count) {
    if (count > data_.size() - position_) return false;
    position_ += count;
    return true;
  }

  std::string_view data_;
  size_t position_ = 0;
};

bool DecodeToken(std::string_view message, Token* token) {
  ProtoReader reader(message);
  while (!reader.Done()) {
    uint64_t field = 0;
    uint64_t wire_type = 0;
    if (!reader.ReadTag(&field, &wire_type)) return false;
    if ((field == 1 || field == 2) && wire_type == 0) {
      uint64_t value = 0;
      if (!reader.ReadVarint(&value)) return false;
      (field == 1 ? token->begin : token->end) = static_cast<size_t>(value);
    } else if (!reader.Skip(wire_type)) {
      return false;
    }
  }
  return token->begin <= token->end;
}

bool DecodeScanResult(std::string_view buffer, std::string_view sql, std::vector<Token>* tokens) {
  ProtoReader reader(buffer);
  while (!reader.Done()) {
    uint64_t field = 0;
    uint64_t wire_type = 0;
    if (!reader.ReadTag(&field, &wire_type)) return false;
    if (field == 2 && wire_type == 2) {
      std::string_view message;
      if (!reader.ReadBytes(&message)) return false;
      Token token;
      if (!DecodeToken(message, &token) || token.end > sql.size()) return false;
      // The scanner has no other token starting with "--" or "/*": those always open a comment.
      std::string_view text = sql.substr(token.begin, token.end - token.begin);
      token.is_comment = StartsWith(text, "--") || StartsWith(text, "/*");
      tokens->push_back(token);
    } else if (!reader.Skip(wire_type)) {
      return false;
    }
  }
  return true;
}

void RemoveSourcePositions(nlohmann::json& node) {
  if (node.is_object()) {
    node.erase("location");
    node.erase("stmt_location");
    node.erase("stmt_len");
    for (auto& [key, child] : node.items()) RemoveSourcePositions(child);
  } else if (node.is_array()) {
    for (auto& child : node) RemoveSourcePositions(child);
  }
}

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view sql, const std::string& file, int first_line) {
  RETORT_RETURN_IF_ERROR(RejectNulBytes(sql, file, first_line));
  std::string input(sql);
  PgQueryScanResult result = pg_query_scan(input.c_str());
  ScopeExit release([&result] { pg_query_free_scan_result(result); });
  if (result.error != nullptr) return ErrorAt(sql, *result.error, file, first_line);
  std::vector<Token> tokens;
  if (!DecodeScanResult(std::string_view(result.pbuf.data, result.pbuf.len), sql, &tokens)) {
    return Status::Failed(file + ": cannot decode libpg_query's scanner output");
  }
  std::sort(tokens.begin(), tokens.end(),
            [](const Token& a, const Token& b) { return a.begin < b.begin; });
  return tokens;
}

Result<std::vector<Statement>> SplitStatements(std::string_view sql, const std::string& file,
                                               int first_line) {
  RETORT_RETURN_IF_ERROR(RejectNulBytes(sql, file, first_line));
  std::string input(sql);
  PgQuerySplitResult split = pg_query_split_with_parser(input.c_str());
  ScopeExit release([&split] { pg_query_free_split_result(split); });
  if (split.error != nullptr) {
    size_t offset = ByteOffsetOfCursor(sql, split.error->cursorpos);
    if (std::optional<int> copy = CopyBeforeDataRows(sql, offset, first_line)) {
      return CopyFromStdinUnsupported(file, *copy);
    }
    return ErrorAt(sql, *split.error, file, first_line);
  }

  // The parser's ranges include the comments and space around a statement; the scanner's
  // tokens say where its real text begins and ends.
  RETORT_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(sql, file, first_line));
  std::erase_if(tokens, [](const Token& token) { return token.is_comment; });

  std::vector<Statement> statements;
  // Statements come in text order: count lines from the previous one, not from the top (a
  // schema file of thousands of statements made that quadratic).
  size_t counted_to = 0;
  int line = first_line;
  for (int i = 0; i < split.n_stmts; ++i) {
    const PgQuerySplitStmt& range = *split.stmts[i];
    auto begin = static_cast<size_t>(range.stmt_location);
    // A zero length means "to the end of the text".
    size_t end = range.stmt_len == 0 ? sql.size() : begin + static_cast<size_t>(range.stmt_len);
    auto first = std::lower_bound(tokens.begin(), tokens.end(), begin,
                                  [](const Token& token, size_t at) { return token.begin < at; });
    auto last = first;
    while (last != tokens.end() && last->end <= end) ++last;
    if (last != first && sql.substr(std::prev(last)->begin, 1) == ";") --last;
    if (first == last) continue;  // only comments
    size_t text_begin = first->begin;
    size_t text_end = std::prev(last)->end;
    line += static_cast<int>(std::count(sql.begin() + static_cast<long>(counted_to),
                                        sql.begin() + static_cast<long>(text_begin), '\n'));
    counted_to = text_begin;
    statements.push_back(
        Statement{std::string(sql.substr(text_begin, text_end - text_begin)), line});
  }
  return statements;
}

Status CopyFromStdinUnsupported(const std::string& file, int line) {
  return Status::InvalidInput(
      file + ":" + std::to_string(line) +
      ": COPY ... FROM stdin is not supported in schema and migration files: the rows after it "
      "are COPY data that only psql streams, not SQL. Write them as INSERT statements (or leave "
      "data out of schema files)");
}

namespace {

// A syntax error at byte `error_offset` of `sql` that sits in the data rows of a COPY ... FROM
// stdin: the line of that COPY. The text before the error's line is parsed again (moving up a
// line at a time while the rows above it fail too, a few times at most: rows usually fail on
// their first line); it must end with the COPY.
std::optional<int> CopyBeforeDataRows(std::string_view sql, size_t error_offset, int first_line) {
  size_t cut = sql.rfind('\n', std::min(error_offset, sql.size() - 1));
  for (int attempt = 0; attempt < 8 && cut != std::string_view::npos && cut > 0; ++attempt) {
    std::string prefix(sql.substr(0, cut));
    PgQuerySplitResult split = pg_query_split_with_parser(prefix.c_str());
    ScopeExit release([&split] { pg_query_free_split_result(split); });
    if (split.error != nullptr) {
      size_t offset = ByteOffsetOfCursor(prefix, split.error->cursorpos);
      if (offset == 0) return std::nullopt;
      cut = prefix.rfind('\n', std::min(offset, prefix.size()) - 1);
      continue;
    }
    if (split.n_stmts == 0) return std::nullopt;
    const PgQuerySplitStmt& last = *split.stmts[split.n_stmts - 1];
    auto begin = static_cast<size_t>(last.stmt_location);
    size_t length = last.stmt_len == 0 ? prefix.size() - begin : static_cast<size_t>(last.stmt_len);
    std::string_view statement = std::string_view(prefix).substr(begin, length);
    if (!CopiesFromStdin(statement)) return std::nullopt;
    // The COPY's own line, after the comments and space the range starts with.
    auto tokens = Tokenize(statement, "", 1);
    if (!tokens.ok()) return std::nullopt;
    for (const Token& token : *tokens) {
      if (!token.is_comment) return LineAt(prefix, begin + token.begin, first_line);
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> Fingerprint(std::string_view statement) {
  if (statement.find('\0') != std::string_view::npos) {
    return Status::InvalidInput("cannot fingerprint a statement containing a NUL byte");
  }
  std::string input(statement);
  PgQueryParseResult parsed = pg_query_parse(input.c_str());
  ScopeExit release([&parsed] { pg_query_free_parse_result(parsed); });
  if (parsed.error != nullptr) {
    return Status::InvalidInput(std::string("cannot fingerprint statement: ") +
                                (parsed.error->message != nullptr ? parsed.error->message : ""));
  }
  nlohmann::json tree =
      nlohmann::json::parse(parsed.parse_tree, nullptr, /*allow_exceptions=*/false);
  if (tree.is_discarded() || !tree.contains("stmts")) {
    return Status::Failed("cannot read libpg_query's parse tree");
  }
  // Only the statements: the top-level "version" would change every checksum on a library
  // upgrade even when the trees are the same.
  nlohmann::json statements = std::move(tree["stmts"]);
  RemoveSourcePositions(statements);
  return Sha256Hex(statements.dump());
}

std::optional<std::string_view> SectionMarker(std::string_view line) {
  std::string_view trimmed = Trim(line);
  if (!StartsWith(trimmed, "--")) return std::nullopt;
  std::string_view rest = Trim(trimmed.substr(2));
  if (!StartsWith(rest, "retort:")) return std::nullopt;
  rest.remove_prefix(std::string_view("retort:").size());
  if (rest == "upgrade" || rest == "downgrade") return rest;
  return std::nullopt;
}

}  // namespace retort::sqltext
