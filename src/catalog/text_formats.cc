#include "catalog/text_formats.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace retort::catalog {

std::optional<std::vector<std::optional<std::string>>> ParseTextArray(std::string_view text) {
  std::vector<std::optional<std::string>> elements;
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  std::string_view body = text.substr(1, text.size() - 2);
  if (body.empty()) return elements;
  size_t i = 0;
  while (true) {
    if (i < body.size() && body[i] == '"') {
      std::string element;
      ++i;
      while (i < body.size() && body[i] != '"') {
        if (body[i] == '\\') ++i;
        if (i >= body.size()) return std::nullopt;
        element.push_back(body[i++]);
      }
      if (i >= body.size()) return std::nullopt;
      ++i;  // the closing quote
      elements.emplace_back(std::move(element));
    } else {
      size_t end = body.find(',', i);
      if (end == std::string_view::npos) end = body.size();
      std::string_view element = body.substr(i, end - i);
      if (element.empty()) return std::nullopt;
      if (element == "NULL") {
        elements.emplace_back(std::nullopt);
      } else {
        elements.emplace_back(std::string(element));
      }
      i = end;
    }
    if (i == body.size()) return elements;
    if (body[i] != ',') return std::nullopt;
    ++i;
  }
}

std::optional<std::vector<int64_t>> ParseNumberList(std::string_view text) {
  if (!text.empty() && text.front() == '{') {
    if (text.back() != '}') return std::nullopt;
    text = text.substr(1, text.size() - 2);
  }
  std::vector<int64_t> numbers;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == ',') {
      ++i;
      continue;
    }
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data() + i, text.data() + text.size(), value);
    if (error != std::errc() || end == text.data() + i) return std::nullopt;
    numbers.push_back(value);
    i = static_cast<size_t>(end - text.data());
  }
  return numbers;
}

std::string StripNodeLocations(std::string_view tree) {
  std::string out;
  out.reserve(tree.size());
  AppendStrippedNodeTree(tree, &out);
  return out;
}

void AppendStrippedNodeTree(std::string_view tree, std::string* out) {
  static constexpr std::string_view kLocation = " :location ";
  size_t i = 0;
  while (true) {
    size_t found = tree.find(kLocation, i);
    if (found == std::string_view::npos) {
      out->append(tree.substr(i));
      return;
    }
    out->append(tree.substr(i, found - i));
    i = found + kLocation.size();
    if (i < tree.size() && tree[i] == '-') ++i;
    while (i < tree.size() && tree[i] >= '0' && tree[i] <= '9') ++i;
  }
}

std::vector<int> NodeVarAttnos(std::string_view tree) {
  static constexpr std::string_view kVarattno = " :varattno ";
  std::vector<int> attnos;
  size_t i = 0;
  while ((i = tree.find(kVarattno, i)) != std::string_view::npos) {
    i += kVarattno.size();
    int value = 0;
    auto [end, error] = std::from_chars(tree.data() + i, tree.data() + tree.size(), value);
    if (error == std::errc()) attnos.push_back(value);
  }
  std::sort(attnos.begin(), attnos.end());
  attnos.erase(std::unique(attnos.begin(), attnos.end()), attnos.end());
  return attnos;
}

int NodeListLength(std::string_view tree) {
  if (tree.empty() || tree.front() != '(') return 0;
  int depth = 0;
  int elements = 0;
  for (size_t i = 0; i < tree.size(); ++i) {
    char c = tree[i];
    if (c == '\\') {  // nodeToString escapes brackets inside tokens with a backslash
      ++i;
      continue;
    }
    if (c == '(' || c == '{') {
      if (depth == 1 && c == '{') ++elements;
      ++depth;
    } else if (c == ')' || c == '}') {
      --depth;
    }
  }
  return elements;
}

std::optional<std::string_view> NodeField(std::string_view tree, std::string_view field) {
  std::string key = " :" + std::string(field) + " ";
  size_t found = tree.find(key);
  if (found == std::string_view::npos) return std::nullopt;
  size_t start = found + key.size();
  size_t end = start;
  while (end < tree.size() && tree[end] != ' ' && tree[end] != '}' && tree[end] != ')') ++end;
  return tree.substr(start, end - start);
}

std::string QuoteExtractFields(std::string text) {
  constexpr std::string_view kExtract = "EXTRACT(";
  constexpr std::string_view kFrom = " FROM ";
  if (text.find(kExtract) == std::string::npos) return text;
  std::string out;
  out.reserve(text.size() + 8);
  char quote = '\0';  // inside '...' or "..." (doubled quotes toggle twice: still right)
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    out += c;
    if (quote != '\0') {
      if (c == quote) quote = '\0';
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    bool word_start = i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) ||
                                  text[i - 1] == '_' || text[i - 1] == '.');
    if (!word_start || text.compare(i, kExtract.size(), kExtract) != 0) continue;
    size_t field = i + kExtract.size();
    size_t end = field;
    bool upper = false;
    while (end < text.size() &&
           (std::isalpha(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
      upper = upper || std::isupper(static_cast<unsigned char>(text[end]));
      ++end;
    }
    if (end == field || text.compare(end, kFrom.size(), kFrom) != 0) continue;
    out.append(text, i + 1, field - i - 1);  // the rest of "EXTRACT("
    if (upper) out += '\'';
    out.append(text, field, end - field);
    if (upper) out += '\'';
    i = end - 1;
  }
  return out;
}

}  // namespace retort::catalog
