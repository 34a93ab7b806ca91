// `retort lint`: hazards in migration SQL, found in PostgreSQL's own parse tree (libpg_query),
// never by matching keywords. Each finding names a rule (a stable code and a kebab-case name),
// a severity, the file and line, what happens when the statement runs (the lock it takes and
// whom that blocks, the table it rewrites, the data it destroys) and the safe alternative.
// docs/lint.md is the rule catalogue.
//
// Pure: no database. Findings of lock and rewrite rules name the table whose size decides how
// much they hurt; the caller reads live sizes (commands/lint.cc) and passes them to
// GradeBySize as data.
//
// Statements inside DO blocks and function bodies are not analysed (they are string literals
// to the parser); a DO block gets a note saying so.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/naming.h"
#include "plan/hazards.h"
#include "sqltext/split.h"

namespace retort::lint {

// The vocabulary is the plan's (plan/hazards.h): the plan names the same rules for its steps.
using plan::Category;
using plan::CategoryName;
using plan::ParseRuleId;
using plan::RuleFor;
using plan::RuleId;
using plan::Rules;
using plan::Severity;
using plan::SeverityName;
using Rule = plan::RuleInfo;

// What a live table measured when the finding was graded.
struct TableSize {
  double rows = -1;     // pg_class.reltuples; -1 when never vacuumed or analysed (unknown)
  long long bytes = 0;  // pg_total_relation_size
};

struct Finding {
  RuleId id = RuleId::kDropTable;  // code and rule are RuleFor(id)'s, kept for the output
  std::string code;                // "RT102"
  std::string rule;                // "drop-column"
  Severity severity = Severity::kWarning;
  std::string file;
  int line = 0;
  std::string statement;  // the statement, whitespace collapsed, shortened
  std::string message;    // what is wrong, naming the objects
  std::string effect;     // what happens when it runs: locks and whom they block, data lost
  std::string fix;        // the safe alternative
  std::string lock;       // "ACCESS EXCLUSIVE", ... on `table`; "" when the rule is not about one
  // The relation whose live size grades the finding, as written ("public.users"), and quoted
  // for to_regclass() ("\"public\".\"users\""). Empty for rules that are not graded. An index
  // name is allowed: the caller measures the index's table.
  std::string table;
  std::string table_sql;
  std::optional<TableSize> size;  // set by GradeBySize when the table was found
  // GradeBySize never grades above this (a type change that may need no rewrite).
  Severity max_severity = Severity::kError;
};

// One sequence of statements to lint: a migration's upgrade section, or a plain SQL file.
struct Source {
  std::string path;  // as shown in findings
  // The whole file: `-- retort:lint-ignore` comments are read from it. May be empty.
  std::string text;
  std::vector<sqltext::Statement> statements;  // lines are lines of `text`
  // A migration (retort runs it and owns its transaction) or a plain script (psql-style,
  // each statement on its own; BEGIN/COMMIT are the script's business).
  bool is_migration = true;
  bool transactional = true;  // migrations only: false for `-- retort:transaction none`
  // Lines 1..header_end_line are the migration's header: a lint-ignore there covers the file.
  int header_end_line = 0;
};

struct Options {
  // [migrations] lock_timeout is set (not "0"): every migration runs with it.
  bool lock_timeout_configured = true;
  // [naming_convention]: constraint and index names that break it are findings (none when
  // empty).
  config::NamingConvention naming;
  std::vector<RuleId> disabled;  // never reported ([lint] disable)
  // Only the hygiene rules (RT5xx: lock_timeout, identifiers, types of new columns, naming,
  // transaction use, lint-ignore comments), which need the text or the whole file: `revision
  // --autogenerate` reports the other hazards from its plan (HazardFinding).
  bool hygiene_only = false;
};

// What linting one source tells the sources linted after it in the same run (the migrations of
// one `retort lint`, in upgrade order): the named CHECK (column IS NOT NULL) constraints added so
// far, and whether each was validated. A SET NOT NULL that such a validated check covers skips
// its scan (PostgreSQL 12+), so RT303 does not report it, even when the check was added and
// validated by an earlier migration (as the recipe RT303 recommends splits it).
struct RunState {
  struct NotNullCheck {
    std::string schema;  // empty when unqualified
    std::string table;
    std::string constraint;
    std::string column;
    bool validated = false;
  };
  std::vector<NotNullCheck> not_null_checks;
};

// Lints the statements in order (tables created earlier in the source are new: index builds
// and constraints on them are not hazards). Findings come in line order. Suppressions:
// `-- retort:lint-ignore RULE[, RULE...]` (names or codes) on the comment lines directly
// above a statement, or anywhere in the header for the whole file. A lint-ignore naming an
// unknown rule is itself a finding (invalid-lint-ignore). `run`, when given, carries what earlier
// sources of the same run established and receives what this one does.
std::vector<Finding> Lint(const Source& source, const Options& options, RunState* run = nullptr);

// Splits `sql` (e.g. the upgrade section autogenerate is about to write; its first line is
// line `first_line` of `file`) and lints it as a migration. InvalidInput for a syntax error.
Result<std::vector<Finding>> LintSql(std::string_view sql, const std::string& file, int first_line,
                                     bool transactional, const Options& options);

// The rules a migration's header suppresses for the whole file (`-- retort:lint-ignore` before
// `-- retort:upgrade`; unknown names are Lint's to report).
std::set<RuleId> FileIgnores(const Source& source);

// A plan step's hazard as the finding for its statement (`statement`, at `line` of `file`): the
// rule's code, name and severity (a warning at most when the hazard is uncertain) and the plan's
// message. `retort lint` on the file tells what happens and what to do instead.
Finding HazardFinding(const plan::Hazard& hazard, const std::string& file, int line,
                      std::string_view statement);

// ---- grading by live table size

struct Thresholds {
  long long warning_rows = 10000;
  long long error_rows = 1000000;
  long long warning_bytes = 32LL << 20;
  long long error_bytes = 1LL << 30;
};

// Note below both warning thresholds, error at or above either error threshold, warning
// between. Unknown row counts (never analysed) are judged by bytes alone.
Severity SeverityForSize(const TableSize& size, const Thresholds& thresholds);

// For each finding of a graded rule whose table_sql is a key of `sizes`: sets `size` and
// replaces the severity with SeverityForSize. Other findings are left as they are (a table
// missing from the database is created by a migration that has not run yet).
void GradeBySize(std::vector<Finding>& findings, const std::map<std::string, TableSize>& sizes,
                 const Thresholds& thresholds);

// ---- output

struct Summary {
  int errors = 0;
  int warnings = 0;
  int notes = 0;
};
Summary Summarize(const std::vector<Finding>& findings);

// squawk-style:
//   path:12: error[RT102 drop-column]: ALTER TABLE users DROP COLUMN email deletes ...
//     what happens: ...
//     instead: ...
//     table: users, ~12,000,000 rows, 1.2 GB        (when graded)
std::string FormatText(const Finding& finding);
// "1.2 GB", "640 kB", "12 bytes"; "~12,000,000 rows" style counts.
std::string FormatBytes(long long bytes);
std::string FormatRows(double rows);

nlohmann::json ToJson(const Finding& finding);
nlohmann::json RuleToJson(const Rule& rule);

}  // namespace retort::lint
