#include "render/reparse.h"

#include <cctype>
#include <optional>

#include "base/strings.h"

namespace retort::render {
namespace {

// Length of the 'literal' or "identifier" starting at `pos` (doubled quotes inside); the rest of
// the text when it is not closed.
size_t QuotedLength(std::string_view text, size_t pos) {
  char quote = text[pos];
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] != quote) continue;
    if (i + 1 < text.size() && text[i + 1] == quote) {
      ++i;
      continue;
    }
    return i + 1 - pos;
  }
  return text.size() - pos;
}

// Length of the $tag$ starting at `pos`, or 0 when `pos` starts none ($1 is a parameter).
size_t DollarTagLength(std::string_view text, size_t pos) {
  size_t i = pos + 1;
  if (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) return 0;
  while (i < text.size() && IsIdentifierChar(text[i]) && text[i] != '$') ++i;
  return i < text.size() && text[i] == '$' ? i + 1 - pos : 0;
}

// Length of what must be copied unchanged from `pos`: a literal, quoted identifier,
// dollar-quoted string or comment; 0 when `pos` starts none.
size_t OpaqueLength(std::string_view text, size_t pos) {
  char c = text[pos];
  char next = pos + 1 < text.size() ? text[pos + 1] : '\0';
  if (c == '\'' || c == '"') return QuotedLength(text, pos);
  if (c == '-' && next == '-') {
    size_t end = text.find('\n', pos);
    return (end == std::string_view::npos ? text.size() : end) - pos;
  }
  if (c == '/' && next == '*') {
    int depth = 0;  // PostgreSQL's block comments nest
    for (size_t i = pos; i + 1 < text.size(); ++i) {
      if (text[i] == '/' && text[i + 1] == '*') {
        ++depth;
        ++i;
      } else if (text[i] == '*' && text[i + 1] == '/') {
        ++i;
        if (--depth == 0) return i + 1 - pos;
      }
    }
    return text.size() - pos;
  }
  if (c == '$' && (pos == 0 || !IsIdentifierChar(text[pos - 1]))) {
    size_t tag = DollarTagLength(text, pos);
    if (tag == 0) return 0;
    size_t end = text.find(text.substr(pos, tag), pos + tag);
    return end == std::string_view::npos ? text.size() - pos : end + tag - pos;
  }
  return 0;
}

constexpr std::string_view kArrayOpen = " ((ARRAY[";  // after ANY / ALL
constexpr std::string_view kVarchar = "::character varying";
constexpr std::string_view kTextArrayClose = "])::text[])";

// At `pos`, ANY/ALL ((ARRAY['a'::character varying, NULL::character varying, ...])::text[]):
// the [begin, end) of the elements' text.
std::optional<std::pair<size_t, size_t>> VarcharArrayCastToText(std::string_view text, size_t pos) {
  std::string_view keyword = text.substr(pos, 3);
  if (keyword != "ANY" && keyword != "ALL") return std::nullopt;
  if (pos > 0 && IsIdentifierChar(text[pos - 1])) return std::nullopt;
  if (text.substr(pos + 3, kArrayOpen.size()) != kArrayOpen) return std::nullopt;
  size_t begin = pos + 3 + kArrayOpen.size();
  size_t i = begin;
  while (i < text.size()) {
    if (text[i] == '\'') {
      i += QuotedLength(text, i);
    } else if (text.substr(i, 4) == "NULL") {
      i += 4;
    } else {
      return std::nullopt;
    }
    if (text.substr(i, kVarchar.size()) != kVarchar) return std::nullopt;
    i += kVarchar.size();
    if (text.substr(i, kTextArrayClose.size()) == kTextArrayClose) return std::pair{begin, i};
    if (text.substr(i, 2) != ", ") return std::nullopt;
    i += 2;
  }
  return std::nullopt;
}

}  // namespace

std::string Reparsable(std::string_view statement) {
  // Only a varchar array cast to text[] is rewritten: without its closing text, every
  // character is copied as it is.
  if (statement.find(kTextArrayClose) == std::string_view::npos) return std::string(statement);
  std::string out;
  out.reserve(statement.size());
  size_t i = 0;
  while (i < statement.size()) {
    if (size_t opaque = OpaqueLength(statement, i); opaque > 0) {
      out.append(statement.substr(i, opaque));
      i += opaque;
      continue;
    }
    if (auto elements = VarcharArrayCastToText(statement, i)) {
      out.append(statement.substr(i, 3));
      out.append(" (ARRAY[");
      out.append(statement.substr(elements->first, elements->second - elements->first));
      out.append("])");
      i = elements->second + kTextArrayClose.size();
      continue;
    }
    out.push_back(statement[i]);
    ++i;
  }
  return out;
}

}  // namespace retort::render
