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

}  // namespace

std::string RenderSumFile(const std::vector<Migration>& migrations) {
  std::string body = Body(Entries(migrations));
  return "h1:" + Sha256Hex(body) + "\n" + body;
}

std::vector<std::string> VerifySumFile(std::string_view sum_text,
                                       const std::vector<Migration>& migrations) {
  std::vector<std::string> problems;
  std::vector<std::string> lines = Split(sum_text, '\n');
  while (!lines.empty() && Trim(lines.back()).empty()) lines.pop_back();
  if (lines.empty() || !StartsWith(lines[0], "h1:")) {
    problems.push_back(std::string(kSumFileName) + ":1: missing the h1: line that hashes the file");
    return problems;
  }
  std::map<std::string, std::string> recorded;
  std::string recorded_body;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> fields = SplitList(lines[i]);
    if (fields.size() != 2 || !StartsWith(fields[1], "h1:")) {
      problems.push_back(std::string(kSumFileName) + ":" + std::to_string(i + 1) +
                         ": malformed line (a git merge conflict?): " + lines[i]);
      continue;
    }
    recorded[fields[0]] = fields[1];
    recorded_body += fields[0] + " " + fields[1] + "\n";
  }
  if (!problems.empty()) return problems;
  if (lines[0] != "h1:" + Sha256Hex(recorded_body)) {
    problems.push_back(std::string(kSumFileName) +
                       ":1: the h1: line does not match the lines below it (edited by hand or "
                       "merged); run `retort hash` after checking the migrations");
  }
  std::map<std::string, std::string> actual = Entries(migrations);
  for (const auto& [file, checksum] : actual) {
    auto found = recorded.find(file);
    if (found == recorded.end()) {
      problems.push_back(file + ": not in " + kSumFileName +
                         " (added without `retort revision`? run `retort hash`)");
    } else if (found->second != checksum) {
      problems.push_back(file + ": changed since " + kSumFileName + " was written");
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
