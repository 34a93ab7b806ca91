// DescribeChanges: what an edit to an applied migration changed, for the refusal message.
#include <algorithm>

#include "base/strings.h"
#include "migrations/migration.h"

namespace retort::migrations {

namespace {

// One line, at most 100 bytes, for quoting a statement in a message.
std::string Quote(const std::string& statement) { return "`" + Excerpt(statement, 100) + "`"; }

std::string FingerprintOf(const sqltext::Statement& statement) {
  auto fingerprint = sqltext::Fingerprint(statement.text);
  return fingerprint.ok() ? *fingerprint : statement.text;
}

void CompareSection(const char* section, const std::vector<sqltext::Statement>& before,
                    const std::vector<sqltext::Statement>& after,
                    std::vector<std::string>& changes) {
  size_t common = std::min(before.size(), after.size());
  for (size_t i = 0; i < common; ++i) {
    if (FingerprintOf(before[i]) == FingerprintOf(after[i])) continue;
    changes.push_back(std::string(section) + " statement " + std::to_string(i + 1) + " (line " +
                      std::to_string(after[i].line) + ") changed: was " + Quote(before[i].text) +
                      ", now " + Quote(after[i].text));
  }
  for (size_t i = common; i < after.size(); ++i) {
    changes.push_back(std::string(section) + " statement " + std::to_string(i + 1) + " (line " +
                      std::to_string(after[i].line) + ") added: " + Quote(after[i].text));
  }
  for (size_t i = common; i < before.size(); ++i) {
    changes.push_back(std::string(section) + " statement " + std::to_string(i + 1) +
                      " removed: was " + Quote(before[i].text));
  }
}

}  // namespace

std::vector<std::string> DescribeChanges(const Migration& before, const Migration& after) {
  std::vector<std::string> changes;
  if (before.transactional != after.transactional) {
    changes.push_back(std::string("transaction mode changed: was ") +
                      (before.transactional ? "transactional" : "none") + ", now " +
                      (after.transactional ? "transactional" : "none"));
  }
  CompareSection("upgrade", before.upgrade, after.upgrade, changes);
  CompareSection("downgrade", before.downgrade, after.downgrade, changes);
  return changes;
}

}  // namespace retort::migrations
