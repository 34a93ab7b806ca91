#include "base/strings.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace retort {

std::string_view Trim(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size() && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  size_t end = text.size();
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> pieces;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      pieces.emplace_back(text.substr(start));
      return pieces;
    }
    pieces.emplace_back(text.substr(start, at - start));
    start = at + 1;
  }
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> pieces;
  std::string current;
  for (char c : text) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) pieces.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) pieces.push_back(std::move(current));
  return pieces;
}

std::string Join(const std::vector<std::string>& pieces, std::string_view separator) {
  std::string joined;
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) joined.append(separator);
    joined.append(pieces[i]);
  }
  return joined;
}

std::string JoinStatements(const std::vector<std::string>& statements) {
  std::string script;
  for (const std::string& statement : statements) script += statement + ";\n";
  return script;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string ToLower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string ToUpper(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return upper;
}

int LineOfOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

size_t FirstInvalidTextByte(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const size_t size = text.size();
  size_t i = 0;
  while (i < size) {
    unsigned char lead = bytes[i];
    if (lead >= 0x01 && lead < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    unsigned char low = 0x80;  // allowed range of the second byte (Unicode table 3-7)
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // overlong
      if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;   // overlong
      if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;  // NUL, a continuation byte without a lead, C0, C1 or F5..FF
    }
    if (i + 1 >= size || bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (size_t k = 2; k < length; ++k) {
      if (i + k >= size || (bytes[i + k] & 0xC0) != 0x80) return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

Status CheckTextFile(std::string_view text, std::string_view path) {
  size_t bad = FirstInvalidTextByte(text);
  if (bad == std::string_view::npos) return Status::Ok();
  size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
  line_start = line_start == std::string_view::npos || bad == 0 ? 0 : line_start + 1;
  static const char kHex[] = "0123456789ABCDEF";
  auto byte = static_cast<unsigned char>(text[bad]);
  std::string column = "column " + std::to_string(bad - line_start + 1);
  std::string what = byte == 0 ? "NUL byte (" + column + ")"
                               : std::string("invalid UTF-8 (byte 0x") + kHex[byte >> 4] +
                                     kHex[byte & 0xF] + " at " + column + ")";
  return Status::InvalidInput(std::string(path) + ":" + std::to_string(LineOfOffset(text, bad)) +
                              ": " + what + "; the file must be UTF-8 text");
}

std::string CollapseWhitespace(std::string_view text) {
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

std::string ClipUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut));
}

std::string Excerpt(std::string_view text, size_t max_bytes) {
  constexpr std::string_view kEllipsis = "...";
  std::string collapsed = CollapseWhitespace(text);
  if (collapsed.size() <= max_bytes) return collapsed;
  if (max_bytes < kEllipsis.size()) return ClipUtf8(collapsed, max_bytes);
  return ClipUtf8(collapsed, max_bytes - kEllipsis.size()) + std::string(kEllipsis);
}

std::string FixedPoint(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string Slugify(std::string_view text, size_t max_length) {
  std::string slug;
  bool pending_separator = false;
  for (unsigned char c : text) {
    if (std::isalnum(c)) {
      if (pending_separator && !slug.empty()) slug.push_back('_');
      pending_separator = false;
      slug.push_back(static_cast<char>(std::tolower(c)));
    } else {
      pending_separator = true;
    }
    if (slug.size() >= max_length) break;
  }
  return slug.substr(0, max_length);
}

std::string QuoteLiteral(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') quoted.push_back('\'');
    quoted.push_back(c);
  }
  quoted.push_back('\'');
  return quoted;
}

namespace {

// PostgreSQL 15's keywords that are not UNRESERVED (pg_get_keywords() catcode <> 'U'): as
// identifiers they must be quoted, exactly as quote_ident() does. Sorted, for binary search.
constexpr std::string_view kQuotedKeywords[] = {"all",
                                                "analyse",
                                                "analyze",
                                                "and",
                                                "any",
                                                "array",
                                                "as",
                                                "asc",
                                                "asymmetric",
                                                "authorization",
                                                "between",
                                                "bigint",
                                                "binary",
                                                "bit",
                                                "boolean",
                                                "both",
                                                "case",
                                                "cast",
                                                "char",
                                                "character",
                                                "check",
                                                "coalesce",
                                                "collate",
                                                "collation",
                                                "column",
                                                "concurrently",
                                                "constraint",
                                                "create",
                                                "cross",
                                                "current_catalog",
                                                "current_date",
                                                "current_role",
                                                "current_schema",
                                                "current_time",
                                                "current_timestamp",
                                                "current_user",
                                                "dec",
                                                "decimal",
                                                "default",
                                                "deferrable",
                                                "desc",
                                                "distinct",
                                                "do",
                                                "else",
                                                "end",
                                                "except",
                                                "exists",
                                                "extract",
                                                "false",
                                                "fetch",
                                                "float",
                                                "for",
                                                "foreign",
                                                "freeze",
                                                "from",
                                                "full",
                                                "grant",
                                                "greatest",
                                                "group",
                                                "grouping",
                                                "having",
                                                "ilike",
                                                "in",
                                                "initially",
                                                "inner",
                                                "inout",
                                                "int",
                                                "integer",
                                                "intersect",
                                                "interval",
                                                "into",
                                                "is",
                                                "isnull",
                                                "join",
                                                "lateral",
                                                "leading",
                                                "least",
                                                "left",
                                                "like",
                                                "limit",
                                                "localtime",
                                                "localtimestamp",
                                                "national",
                                                "natural",
                                                "nchar",
                                                "none",
                                                "normalize",
                                                "not",
                                                "notnull",
                                                "null",
                                                "nullif",
                                                "numeric",
                                                "offset",
                                                "on",
                                                "only",
                                                "or",
                                                "order",
                                                "out",
                                                "outer",
                                                "overlaps",
                                                "overlay",
                                                "placing",
                                                "position",
                                                "precision",
                                                "primary",
                                                "real",
                                                "references",
                                                "returning",
                                                "right",
                                                "row",
                                                "select",
                                                "session_user",
                                                "setof",
                                                "similar",
                                                "smallint",
                                                "some",
                                                "substring",
                                                "symmetric",
                                                "table",
                                                "tablesample",
                                                "then",
                                                "time",
                                                "timestamp",
                                                "to",
                                                "trailing",
                                                "treat",
                                                "trim",
                                                "true",
                                                "union",
                                                "unique",
                                                "user",
                                                "using",
                                                "values",
                                                "varchar",
                                                "variadic",
                                                "verbose",
                                                "when",
                                                "where",
                                                "window",
                                                "with",
                                                "xmlattributes",
                                                "xmlconcat",
                                                "xmlelement",
                                                "xmlexists",
                                                "xmlforest",
                                                "xmlnamespaces",
                                                "xmlparse",
                                                "xmlpi",
                                                "xmlroot",
                                                "xmlserialize",
                                                "xmltable"};

// QuoteIdentifier skips the search for names with a digit.
static_assert([] {
  for (std::string_view keyword : kQuotedKeywords) {
    for (char c : keyword) {
      if (c >= '0' && c <= '9') return false;
    }
  }
  return true;
}());

// [first, last) of the keywords starting with each letter (the list is sorted): the search
// then compares a few keywords instead of the whole list's depth.
struct KeywordRange {
  size_t first = 0;
  size_t last = 0;
};
constexpr std::array<KeywordRange, 26> kKeywordsByLetter = [] {
  std::array<KeywordRange, 26> ranges{};
  constexpr size_t kCount = std::size(kQuotedKeywords);
  for (size_t i = 0; i < kCount; ++i) {
    KeywordRange& range = ranges[static_cast<size_t>(kQuotedKeywords[i][0] - 'a')];
    if (range.first == range.last) range.first = i;
    range.last = i + 1;
  }
  return ranges;
}();

bool IsQuotedKeyword(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') {
    return std::binary_search(std::begin(kQuotedKeywords), std::end(kQuotedKeywords), name);
  }
  const KeywordRange& range = kKeywordsByLetter[static_cast<size_t>(name[0] - 'a')];
  return std::binary_search(std::begin(kQuotedKeywords) + range.first,
                            std::begin(kQuotedKeywords) + range.last, name);
}

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  // Three rows of the table: a swap looks two rows back.
  std::vector<size_t> before_previous(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        row[j] = std::min(row[j], before_previous[j - 2] + 1);
      }
    }
    std::swap(before_previous, previous);
    std::swap(previous, row);
  }
  return previous[b.size()];
}

std::optional<std::string> ClosestMatch(std::string_view typed,
                                        const std::vector<std::string>& candidates) {
  size_t allowed = typed.size() <= 4 ? 1 : 2;
  std::string lower = ToLower(typed);
  const std::string* best = nullptr;
  size_t best_distance = allowed + 1;
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(lower, ToLower(candidate));
    if (distance < best_distance) {
      best = &candidate;
      best_distance = distance;
    }
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

bool IsIdentifierChar(char c) {
  unsigned char byte = static_cast<unsigned char>(c);
  return std::isalnum(byte) || c == '_' || c == '$' || byte >= 0x80;
}

bool NeedsQuoting(std::string_view name) {
  // Called for every name of every statement printed: ASCII tests (the C locale's islower and
  // isdigit), the keyword search only for names that could be keywords.
  // No keyword has a digit.
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  bool plain = !name.empty() && (lower(name[0]) || name[0] == '_');
  bool digits = false;
  for (size_t i = 1; plain && i < name.size(); ++i) {
    char c = name[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (!(lower(c) || c == '_')) {
      plain = false;
    }
  }
  return !(plain && (digits || !IsQuotedKeyword(name)));
}

std::string QuoteIdentifier(std::string_view name) {
  if (!NeedsQuoting(name)) return std::string(name);
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

bool MentionsIdentifier(std::string_view text, std::string_view name) {
  if (name.empty()) return false;
  for (const std::string& spelling : {std::string(name), QuoteIdentifier(name)}) {
    for (size_t at = text.find(spelling); at != std::string_view::npos;
         at = text.find(spelling, at + 1)) {
      size_t end = at + spelling.size();
      if ((at == 0 || !IsIdentifierChar(text[at - 1])) &&
          (end >= text.size() || !IsIdentifierChar(text[end]))) {
        return true;
      }
    }
  }
  return false;
}

std::string Sha256Hex(std::string_view data) {
  // OpenSSL's low-level SHA-256, which OpenSSL 3 deprecates but keeps: its EVP interface loads
  // the provider machinery the first time a process uses it, about 1 ms here, which was more
  // than a no-op deploy spent hashing (the applied digest; the files' hashes come from the
  // header cache). The low-level calls run the same code without that.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, data.data(), data.size());
  SHA256_Final(digest, &context);
#pragma GCC diagnostic pop
  const unsigned int length = SHA256_DIGEST_LENGTH;
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

std::string FormatUtc(std::time_t time, const char* format) {
  std::tm parts{};
  gmtime_r(&time, &parts);
  char buffer[64];
  size_t length = std::strftime(buffer, sizeof(buffer), format, &parts);
  return std::string(buffer, length);
}

}  // namespace retort
