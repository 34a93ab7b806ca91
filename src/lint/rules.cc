// The rule catalogue. Codes are stable: a rule that is retired keeps its code unused. Hundreds
// digit = category: 1 data loss, 2 client-breaking, 3 data-dependent, 4 locks and rewrites,
// 5 hygiene. docs/lint.md describes each rule at length.
#include <algorithm>
#include <cctype>

#include "base/strings.h"
#include "lint/lint.h"

namespace retort::lint {

namespace {

constexpr Severity kError = Severity::kError;
constexpr Severity kWarning = Severity::kWarning;
constexpr Severity kNote = Severity::kNote;
constexpr bool kGraded = true;
constexpr bool kFixed = false;

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kNote:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

std::string_view CategoryName(Category category) {
  switch (category) {
    case Category::kDataLoss:
      return "data loss";
    case Category::kClientBreaking:
      return "client-breaking";
    case Category::kDataDependent:
      return "data-dependent";
    case Category::kLocking:
      return "locks and rewrites";
    case Category::kHygiene:
      return "hygiene";
  }
  return "";
}

const std::vector<Rule>& Rules() {
  using enum Category;
  static const std::vector<Rule> kRules = {
      {"RT101", "drop-table", kDataLoss, kError, kFixed, "DROP TABLE deletes the table's rows"},
      {"RT102", "drop-column", kDataLoss, kError, kFixed,
       "ALTER TABLE ... DROP COLUMN deletes the column's values"},
      {"RT103", "drop-schema", kDataLoss, kError, kFixed,
       "DROP SCHEMA deletes the schema (and with CASCADE everything in it)"},
      {"RT104", "drop-sequence", kDataLoss, kError, kFixed,
       "DROP SEQUENCE loses the sequence's position; defaults using it fail"},
      {"RT105", "drop-database", kDataLoss, kError, kFixed, "DROP DATABASE in a migration"},
      {"RT106", "drop-cascade", kDataLoss, kError, kFixed,
       "DROP ... CASCADE also drops dependent objects the file does not name"},
      {"RT107", "truncate-table", kDataLoss, kError, kFixed, "TRUNCATE deletes every row"},
      {"RT108", "delete-without-where", kDataLoss, kError, kFixed,
       "DELETE without WHERE deletes every row"},
      {"RT109", "update-without-where", kDataLoss, kWarning, kFixed,
       "UPDATE without WHERE rewrites and locks every row"},
      {"RT201", "renaming-table", kClientBreaking, kError, kFixed,
       "renaming a table breaks the running application's queries"},
      {"RT202", "renaming-column", kClientBreaking, kError, kFixed,
       "renaming a column breaks the running application's queries"},
      {"RT203", "dropping-not-null", kClientBreaking, kWarning, kFixed,
       "DROP NOT NULL lets NULLs reach readers that do not expect them"},
      {"RT204", "adding-required-field", kClientBreaking, kError, kFixed,
       "ADD COLUMN ... NOT NULL without DEFAULT fails on a non-empty table and breaks inserts"},
      {"RT301", "adding-unique-constraint", kDataDependent, kWarning, kGraded,
       "ADD UNIQUE / PRIMARY KEY builds an index under ACCESS EXCLUSIVE and fails on duplicates"},
      {"RT302", "adding-unique-index", kDataDependent, kWarning, kGraded,
       "a new unique index fails if the existing rows hold duplicates"},
      {"RT303", "setting-not-null", kDataDependent, kWarning, kGraded,
       "SET NOT NULL scans the table under ACCESS EXCLUSIVE and fails on NULLs"},
      {"RT401", "require-concurrent-index-creation", kLocking, kWarning, kGraded,
       "CREATE INDEX without CONCURRENTLY blocks writes for the whole build"},
      {"RT402", "require-concurrent-index-deletion", kLocking, kWarning, kGraded,
       "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table"},
      {"RT403", "constraint-missing-not-valid", kLocking, kWarning, kGraded,
       "ADD CONSTRAINT ... CHECK without NOT VALID scans the table under ACCESS EXCLUSIVE"},
      {"RT404", "adding-foreign-key-constraint", kLocking, kWarning, kGraded,
       "a foreign key without NOT VALID blocks writes to both tables while it scans"},
      {"RT405", "volatile-default", kLocking, kError, kGraded,
       "ADD COLUMN with a volatile default (or identity, serial) rewrites the table"},
      {"RT406", "changing-column-type", kLocking, kError, kGraded,
       "ALTER COLUMN TYPE rewrites the table unless the types are binary-coercible"},
      {"RT407", "adding-generated-column", kLocking, kError, kGraded,
       "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED rewrites the table"},
      {"RT408", "vacuum-full", kLocking, kError, kGraded,
       "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE"},
      {"RT409", "cluster", kLocking, kError, kGraded,
       "CLUSTER rewrites the table under ACCESS EXCLUSIVE"},
      {"RT410", "set-tablespace", kLocking, kError, kGraded,
       "SET TABLESPACE copies the relation under ACCESS EXCLUSIVE"},
      {"RT411", "changing-table-persistence", kLocking, kError, kGraded,
       "SET LOGGED / SET UNLOGGED rewrites the table"},
      {"RT412", "reindex-without-concurrently", kLocking, kWarning, kGraded,
       "REINDEX without CONCURRENTLY blocks writes and index users"},
      {"RT413", "refresh-materialized-view", kLocking, kWarning, kGraded,
       "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks readers"},
      {"RT501", "cannot-run-in-transaction", kHygiene, kError, kFixed,
       "a statement that cannot run in a transaction block, in a transactional migration"},
      {"RT502", "transaction-nesting", kHygiene, kError, kFixed,
       "BEGIN / COMMIT / ROLLBACK inside a migration"},
      {"RT503", "missing-lock-timeout", kHygiene, kWarning, kFixed,
       "a blocking lock taken with no lock_timeout"},
      {"RT504", "enum-value-without-position", kHygiene, kWarning, kFixed,
       "ALTER TYPE ... ADD VALUE without BEFORE/AFTER appends to the sort order"},
      {"RT505", "identifier-too-long", kHygiene, kWarning, kFixed,
       "an identifier over 63 bytes, which PostgreSQL truncates"},
      {"RT506", "prefer-identity", kHygiene, kNote, kFixed,
       "serial column: prefer GENERATED ... AS IDENTITY"},
      {"RT507", "prefer-timestamptz", kHygiene, kNote, kFixed,
       "timestamp without time zone: prefer timestamptz"},
      {"RT508", "prefer-text-field", kHygiene, kNote, kFixed,
       "varchar(n) / char(n): prefer text with a CHECK"},
      {"RT509", "do-block-not-analysed", kHygiene, kNote, kFixed,
       "the statements inside a DO block are not linted"},
      {"RT510", "invalid-lint-ignore", kHygiene, kWarning, kFixed,
       "a lint-ignore comment names no known rule"},
      {"RT511", "naming-convention", kHygiene, kWarning, kFixed,
       "a constraint or index named against [naming_convention], or left unnamed"},
  };
  return kRules;
}

const Rule* FindRule(std::string_view name_or_code) {
  std::string wanted = ToLower(Trim(name_or_code));
  for (const Rule& rule : Rules()) {
    if (rule.name == wanted || ToLower(rule.code) == wanted) return &rule;
  }
  return nullptr;
}

nlohmann::json RuleToJson(const Rule& rule) {
  return {{"code", rule.code},
          {"rule", rule.name},
          {"category", CategoryName(rule.category)},
          {"severity", SeverityName(rule.severity)},
          {"graded_by_table_size", rule.graded},
          {"summary", rule.summary}};
}

}  // namespace retort::lint
