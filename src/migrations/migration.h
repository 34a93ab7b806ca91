// A migration file: header directives + upgrade/downgrade sections. The format is specified in
// docs/formats.md.
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "sqltext/split.h"

namespace retort::migrations {

struct Migration {
  std::string id;
  std::vector<std::string> parents;  // `revises`; empty for a root, several for a merge
  std::string message;
  std::string created;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  bool transactional = true;  // false for `-- retort:transaction none`

  std::vector<sqltext::Statement> upgrade;
  std::vector<sqltext::Statement> downgrade;
  bool has_downgrade = false;  // the file has a `-- retort:downgrade` section (it may be empty)

  std::string path;       // the file it was read from
  int revision_line = 0;  // line of `-- retort:revision`, for graph errors ("file:3: ...")
  std::string checksum;   // hex SHA-256 of the statements' fingerprints (whitespace-insensitive)
};

// Parses one file's text. Every error is InvalidInput naming "path:line: ...". Rejects: missing
// or duplicate revision/revises, malformed ids (1-32 chars of [A-Za-z0-9_-]), unknown directives,
// a section marker twice, statements before the first section, a missing upgrade section, SQL
// syntax errors (with the line inside the file).
Result<Migration> ParseMigration(std::string_view text, const std::string& path);

// Parses every *.sql file in `versions_dir` (sorted by name). Collects the errors of all files
// and returns them together (one per line), so a user fixes a broken directory in one pass.
Result<std::vector<Migration>> LoadDirectory(const std::string& versions_dir);

struct NewRevision {
  std::string id;
  std::vector<std::string> parents;
  std::string message;
  std::time_t created = 0;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  bool transactional = true;
  std::string upgrade_sql;    // may be empty
  std::string downgrade_sql;  // may be empty
};

// The template `init` writes to migrations/script.sql.tmpl. Placeholders: ${revision},
// ${revises}, ${message}, ${created}, ${branch_labels}, ${depends_on}, ${upgrade},
// ${downgrade}. Header lines whose value is empty (branch-labels, depends-on) are omitted.
std::string DefaultTemplate();
std::string RenderMigration(const NewRevision& revision, std::string_view template_text);

// File name (without directory, with ".sql") from `file_template` placeholders {year} {month}
// {day} {hour} {minute} {second} {rev} {slug}, in UTC.
std::string MakeFileName(std::string_view file_template, const std::string& revision_id,
                         const std::string& message, std::time_t created);

// A fresh random 12-hex-digit revision id.
std::string NewRevisionId();

}  // namespace retort::migrations
