#include "config/naming.h"

#include <openssl/evp.h>

#include <cctype>
#include <memory>

namespace retort::config {

namespace {

bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A column token: column_<i>_<part>, column_0N_<part> (joined) or column_0_N_<part> (joined
// with "_"), optionally referred_. `part` is name, label or key.
struct ColumnToken {
  bool referred = false;
  bool all = false;
  std::string separator;
  size_t index = 0;
  std::string part;
};

std::optional<ColumnToken> ParseColumnToken(std::string_view token) {
  ColumnToken parsed;
  if (token.substr(0, 9) == "referred_") {
    parsed.referred = true;
    token.remove_prefix(9);
  }
  if (token.substr(0, 7) != "column_") return std::nullopt;
  token.remove_prefix(7);
  size_t last = token.rfind('_');
  if (last == std::string_view::npos) return std::nullopt;
  std::string_view index = token.substr(0, last);
  parsed.part = std::string(token.substr(last + 1));
  if (parsed.part != "name" && parsed.part != "label" && parsed.part != "key") return std::nullopt;
  if (parsed.referred && parsed.part != "name") return std::nullopt;
  if (index == "0N" || index == "0_N") {
    parsed.all = true;
    parsed.separator = index == "0_N" ? "_" : "";
    return parsed;
  }
  if (!IsDigits(index)) return std::nullopt;
  parsed.index = static_cast<size_t>(std::stoul(std::string(index)));
  return parsed;
}

bool IsToken(std::string_view token) {
  return token == "table" || token == "table_name" || token == "referred_table" ||
         token == "referred_table_name" || token == "constraint_name" ||
         ParseColumnToken(token).has_value();
}

std::string Md5Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_md5(), nullptr) != 1) return "";
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

// Byte offsets of the first `count` characters of UTF-8 text (Python counts characters).
size_t PrefixBytes(const std::string& text, size_t count) {
  size_t characters = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (characters == count) return i;
    ++characters;
  }
  return text.size();
}

size_t CharacterCount(const std::string& text) {
  size_t characters = 0;
  for (char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return characters;
}

}  // namespace

const char* ConventionKey(NamedKind kind) {
  switch (kind) {
    case NamedKind::kPrimaryKey:
      return "pk";
    case NamedKind::kUnique:
      return "uq";
    case NamedKind::kCheck:
      return "ck";
    case NamedKind::kForeignKey:
      return "fk";
    case NamedKind::kIndex:
      return "ix";
  }
  return "";
}

std::string ShortenLikeSqlAlchemy(const std::string& name, size_t max_length) {
  if (CharacterCount(name) <= max_length || max_length < 8) return name;
  std::string hash = Md5Hex(name);
  return name.substr(0, PrefixBytes(name, max_length - 8)) + "_" + hash.substr(hash.size() - 4);
}

Result<NamingConvention> NamingConvention::Make(
    const std::map<std::string, std::string>& templates) {
  NamingConvention convention;
  for (const auto& [key, text] : templates) {
    if (key != "pk" && key != "uq" && key != "ck" && key != "fk" && key != "ix") {
      return Status::InvalidInput("[naming_convention] has an unknown key '" + key +
                                  "' (known: pk, uq, ck, fk, ix)");
    }
    std::vector<Part> parts;
    std::string literal;
    for (size_t i = 0; i < text.size();) {
      size_t end = std::string::npos;
      std::string token;
      if (text[i] == '{') {
        end = text.find('}', i);
        if (end != std::string::npos) token = text.substr(i + 1, end - i - 1), end += 1;
      } else if (text.compare(i, 2, "%(") == 0) {
        end = text.find(")s", i);
        if (end == std::string::npos) {
          return Status::InvalidInput("[naming_convention] " + key + " = \"" + text +
                                      "\": has %( without its closing )s");
        }
        token = text.substr(i + 2, end - i - 2);
        end += 2;
      }
      if (end == std::string::npos) {
        literal += text[i++];
        continue;
      }
      if (!IsToken(token)) {
        return Status::InvalidInput(
            "[naming_convention] " + key + " = \"" + text + "\": has an unknown token " +
            text.substr(i, end - i) +
            " (known: table_name, referred_table_name, constraint_name, column_0_name, "
            "column_0_label, column_0_key, column_0N_name, column_0_N_name, "
            "referred_column_0_name; {token} or SQLAlchemy's %(token)s)");
      }
      if (!literal.empty()) parts.push_back(Part{true, std::move(literal)});
      literal.clear();
      parts.push_back(Part{false, token});
      i = end;
    }
    if (!literal.empty()) parts.push_back(Part{true, literal});
    convention.templates_[key] = std::move(parts);
    convention.written_[key] = text;
  }
  return convention;
}

std::string NamingConvention::Template(NamedKind kind) const {
  auto found = written_.find(ConventionKey(kind));
  return found == written_.end() ? "" : found->second;
}

namespace {

// The value of a token for `subject`; nullopt for {constraint_name} without a name.
std::optional<std::string> TokenValue(const std::string& token, const NamingSubject& subject) {
  if (token == "table" || token == "table_name") return subject.table;
  if (token == "referred_table" || token == "referred_table_name") return subject.referred_table;
  if (token == "constraint_name") {
    if (subject.constraint_name.empty()) return std::nullopt;
    return subject.constraint_name;
  }
  std::optional<ColumnToken> column = ParseColumnToken(token);
  if (!column) return std::nullopt;
  const std::vector<std::string>& names =
      column->referred ? subject.referred_columns : subject.columns;
  auto value = [&](const std::string& name) {
    // A label is SQLAlchemy's "<table>_<column>"; a key is the column's name in SQL.
    return column->part == "label" ? subject.table + "_" + name : name;
  };
  if (column->all) {
    std::string joined;
    for (size_t i = 0; i < names.size(); ++i) {
      if (i > 0) joined += column->separator;
      joined += value(names[i]);
    }
    return joined;
  }
  // SQLAlchemy gives "" for a column the key does not have.
  return column->index < names.size() ? value(names[column->index]) : std::string();
}

}  // namespace

std::optional<std::string> NamingConvention::Name(NamedKind kind,
                                                  const NamingSubject& subject) const {
  auto found = templates_.find(ConventionKey(kind));
  if (found == templates_.end()) return std::nullopt;
  std::string name;
  for (const Part& part : found->second) {
    if (part.literal) {
      name += part.text;
      continue;
    }
    std::optional<std::string> value = TokenValue(part.text, subject);
    if (!value) return std::nullopt;
    name += *value;
  }
  return ShortenLikeSqlAlchemy(name);
}

bool NamingConvention::Follows(NamedKind kind, const NamingSubject& subject,
                               const std::string& name) const {
  auto found = templates_.find(ConventionKey(kind));
  if (found == templates_.end()) return true;
  bool uses_name = false;
  for (const Part& part : found->second)
    uses_name |= !part.literal && part.text == "constraint_name";
  if (!uses_name) {
    NamingSubject unnamed = subject;
    unnamed.constraint_name.clear();
    std::optional<std::string> expected = Name(kind, unnamed);
    return !expected || *expected == name;
  }
  // The name must read as the template with some explicit name in {constraint_name}'s place:
  // the parts before it as a prefix, the parts after it as a suffix.
  std::string prefix;
  std::string suffix;
  bool after = false;
  for (const Part& part : found->second) {
    std::string text = part.text;
    if (!part.literal) {
      if (part.text == "constraint_name") {
        after = true;
        continue;
      }
      text = TokenValue(part.text, subject).value_or("");
    }
    (after ? suffix : prefix) += text;
  }
  if (name.compare(0, prefix.size(), prefix) != 0) return false;
  if (name.size() > prefix.size() + suffix.size() &&
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return true;
  }
  // Shortened, the suffix is gone: 55 characters, "_" and four hex digits of the hash.
  size_t length = CharacterCount(name);
  if (length != 60 || name.size() < 5 || name[name.size() - 5] != '_') return false;
  for (size_t i = name.size() - 4; i < name.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(name[i]))) return false;
  }
  return true;
}

}  // namespace retort::config
