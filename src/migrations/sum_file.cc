#include "migrations/sum_file.h"

#include <algorithm>
#include <map>

#include "base/files.h"
#include "base/strings.h"

namespace retort::migrations {

namespace {

std::map<std::string, std::string> Entries(const std::vector<Migration>& migrations) {
  std::map<std::string, std::string> entries;
  for (const Migration& migration : migrations) {
    entries[BaseName(migration.path)] = "h1:" + migration.checksum;
  }
  return entries;
}

std::string Body(const std::map<std::string, std::string>& entries) {
  std::string body;
  for (const auto& [file, checksum] : entries) body += file + " " + checksum + "\n";
  return body;
}

// A sum file as written: its entries, or the problems that stop it being read.
struct ParsedSum {
  std::map<std::string, std::string> recorded;
  std::vector<std::string> problems;  // a missing or mismatched h1: line, malformed lines
  bool readable = true;               // false when the entries themselves cannot be trusted
};

ParsedSum ParseSum(std::string_view sum_text) {
  ParsedSum parsed;
  std::vector<std::string> lines = Split(sum_text, '\n');
  while (!lines.empty() && Trim(lines.back()).empty()) lines.pop_back();
  if (lines.empty() || !StartsWith(lines[0], "h1:")) {
    parsed.problems.push_back(std::string(kSumFileName) +
                              ":1: missing the h1: line that hashes the file");
    parsed.readable = false;
    return parsed;
  }
  std::string recorded_body;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> fields = SplitList(lines[i]);
    if (fields.size() != 2 || !StartsWith(fields[1], "h1:")) {
      parsed.problems.push_back(std::string(kSumFileName) + ":" + std::to_string(i + 1) +
                                ": malformed line (a git merge conflict?): " + lines[i]);
      parsed.readable = false;
      continue;
    }
    parsed.recorded[fields[0]] = fields[1];
    recorded_body += fields[0] + " " + fields[1] + "\n";
  }
  if (parsed.readable && lines[0] != "h1:" + Sha256Hex(recorded_body)) {
    parsed.problems.push_back(std::string(kSumFileName) +
                              ":1: the h1: line does not match the lines below it (edited by "
                              "hand or merged); run `retort hash` after checking the migrations");
  }
  return parsed;
}

}  // namespace

std::string RenderSumFile(const std::vector<Migration>& migrations) {
  std::string body = Body(Entries(migrations));
  return "h1:" + Sha256Hex(body) + "\n" + body;
}

std::optional<std::map<std::string, std::string>> ReadSumEntries(std::string_view sum_text) {
  ParsedSum parsed = ParseSum(sum_text);
  if (!parsed.problems.empty()) return std::nullopt;
  return std::move(parsed.recorded);
}

std::optional<std::string> UpdateSumEntries(std::string_view sum_text,
                                            const std::vector<const Migration*>& edited) {
  std::optional<std::map<std::string, std::string>> entries = ReadSumEntries(sum_text);
  if (!entries) return std::nullopt;
  for (const Migration* migration : edited) {
    (*entries)[BaseName(migration->path)] = "h1:" + migration->checksum;
  }
  std::string body = Body(*entries);
  return "h1:" + Sha256Hex(body) + "\n" + body;
}

std::vector<std::string> VerifySumFile(std::string_view sum_text,
                                       const std::vector<Migration>& migrations) {
  ParsedSum parsed = ParseSum(sum_text);
  std::vector<std::string> problems = parsed.problems;
  if (!parsed.readable) return problems;
  const std::map<std::string, std::string>& recorded = parsed.recorded;
  std::map<std::string, std::string> actual = Entries(migrations);
  for (const auto& [file, checksum] : actual) {
    auto found = recorded.find(file);
    if (found == recorded.end()) {
      problems.push_back(file + ": not in " + kSumFileName +
                         " (added without `retort revision`? run `retort hash`)");
    } else if (found->second != checksum) {
      problems.push_back(file + ": changed since " + kSumFileName +
                         " was written (`retort upgrade` takes the edit in when it applies the "
                         "file; else check it and run `retort hash`)");
    }
  }
  for (const auto& [file, checksum] : recorded) {
    if (actual.count(file) == 0) {
      problems.push_back(file + ": listed in " + kSumFileName + " but missing from the directory");
    }
  }
  return problems;
}

}  // namespace retort::migrations
