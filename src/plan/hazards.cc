// The rule catalogue. Codes are stable: a rule that is retired keeps its code unused. Hundreds
// digit = category: 1 data loss, 2 client-breaking, 3 data-dependent, 4 locks and rewrites,
// 5 hygiene. docs/lint.md describes each rule at length.
#include "plan/hazards.h"

#include <cassert>

#include "base/strings.h"

namespace retort::plan {

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

const std::vector<RuleInfo>& Rules() {
  using enum Category;
  static const std::vector<RuleInfo> kRules = {
      {RuleId::kDropTable, "RT101", "drop-table", kDataLoss, kError, kFixed,
       "DROP TABLE deletes the table's rows"},
      {RuleId::kDropColumn, "RT102", "drop-column", kDataLoss, kError, kFixed,
       "ALTER TABLE ... DROP COLUMN deletes the column's values"},
      {RuleId::kDropSchema, "RT103", "drop-schema", kDataLoss, kError, kFixed,
       "DROP SCHEMA deletes the schema (and with CASCADE everything in it)"},
      {RuleId::kDropSequence, "RT104", "drop-sequence", kDataLoss, kError, kFixed,
       "DROP SEQUENCE loses the sequence's position; defaults using it fail"},
      {RuleId::kDropDatabase, "RT105", "drop-database", kDataLoss, kError, kFixed,
       "DROP DATABASE in a migration"},
      {RuleId::kDropCascade, "RT106", "drop-cascade", kDataLoss, kError, kFixed,
       "DROP ... CASCADE also drops dependent objects the file does not name"},
      {RuleId::kTruncateTable, "RT107", "truncate-table", kDataLoss, kError, kFixed,
       "TRUNCATE deletes every row"},
      {RuleId::kDeleteWithoutWhere, "RT108", "delete-without-where", kDataLoss, kError, kFixed,
       "DELETE without WHERE deletes every row"},
      {RuleId::kUpdateWithoutWhere, "RT109", "update-without-where", kDataLoss, kWarning, kFixed,
       "UPDATE without WHERE rewrites and locks every row"},
      {RuleId::kRenamingTable, "RT201", "renaming-table", kClientBreaking, kError, kFixed,
       "renaming a table breaks the running application's queries"},
      {RuleId::kRenamingColumn, "RT202", "renaming-column", kClientBreaking, kError, kFixed,
       "renaming a column breaks the running application's queries"},
      {RuleId::kDroppingNotNull, "RT203", "dropping-not-null", kClientBreaking, kWarning, kFixed,
       "DROP NOT NULL lets NULLs reach readers that do not expect them"},
      {RuleId::kAddingRequiredField, "RT204", "adding-required-field", kClientBreaking, kError,
       kFixed,
       "ADD COLUMN ... NOT NULL without DEFAULT fails on a non-empty table and breaks inserts"},
      {RuleId::kAddingUniqueConstraint, "RT301", "adding-unique-constraint", kDataDependent,
       kWarning, kGraded,
       "ADD UNIQUE / PRIMARY KEY builds an index under ACCESS EXCLUSIVE and fails on duplicates"},
      {RuleId::kAddingUniqueIndex, "RT302", "adding-unique-index", kDataDependent, kWarning,
       kGraded, "a new unique index fails if the existing rows hold duplicates"},
      {RuleId::kSettingNotNull, "RT303", "setting-not-null", kDataDependent, kWarning, kGraded,
       "SET NOT NULL scans the table under ACCESS EXCLUSIVE and fails on NULLs"},
      {RuleId::kRequireConcurrentIndexCreation, "RT401", "require-concurrent-index-creation",
       kLocking, kWarning, kGraded,
       "CREATE INDEX without CONCURRENTLY blocks writes for the whole build"},
      {RuleId::kRequireConcurrentIndexDeletion, "RT402", "require-concurrent-index-deletion",
       kLocking, kWarning, kGraded,
       "DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table"},
      {RuleId::kConstraintMissingNotValid, "RT403", "constraint-missing-not-valid", kLocking,
       kWarning, kGraded,
       "ADD CONSTRAINT ... CHECK without NOT VALID scans the table under ACCESS EXCLUSIVE"},
      {RuleId::kAddingForeignKeyConstraint, "RT404", "adding-foreign-key-constraint", kLocking,
       kWarning, kGraded,
       "a foreign key without NOT VALID blocks writes to both tables while it scans"},
      {RuleId::kVolatileDefault, "RT405", "volatile-default", kLocking, kError, kGraded,
       "ADD COLUMN with a volatile default (or identity, serial) rewrites the table"},
      {RuleId::kChangingColumnType, "RT406", "changing-column-type", kLocking, kError, kGraded,
       "ALTER COLUMN TYPE rewrites the table unless the types are binary-coercible"},
      {RuleId::kAddingGeneratedColumn, "RT407", "adding-generated-column", kLocking, kError,
       kGraded, "ADD COLUMN ... GENERATED ALWAYS AS (...) STORED rewrites the table"},
      {RuleId::kVacuumFull, "RT408", "vacuum-full", kLocking, kError, kGraded,
       "VACUUM FULL rewrites the table under ACCESS EXCLUSIVE"},
      {RuleId::kCluster, "RT409", "cluster", kLocking, kError, kGraded,
       "CLUSTER rewrites the table under ACCESS EXCLUSIVE"},
      {RuleId::kSetTablespace, "RT410", "set-tablespace", kLocking, kError, kGraded,
       "SET TABLESPACE copies the relation under ACCESS EXCLUSIVE"},
      {RuleId::kChangingTablePersistence, "RT411", "changing-table-persistence", kLocking, kError,
       kGraded, "SET LOGGED / SET UNLOGGED rewrites the table"},
      {RuleId::kReindexWithoutConcurrently, "RT412", "reindex-without-concurrently", kLocking,
       kWarning, kGraded, "REINDEX without CONCURRENTLY blocks writes and index users"},
      {RuleId::kRefreshMaterializedView, "RT413", "refresh-materialized-view", kLocking, kWarning,
       kGraded, "REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks readers"},
      {RuleId::kCannotRunInTransaction, "RT501", "cannot-run-in-transaction", kHygiene, kError,
       kFixed, "a statement that cannot run in a transaction block, in a transactional migration"},
      {RuleId::kTransactionNesting, "RT502", "transaction-nesting", kHygiene, kError, kFixed,
       "BEGIN / COMMIT / ROLLBACK inside a migration"},
      {RuleId::kMissingLockTimeout, "RT503", "missing-lock-timeout", kHygiene, kWarning, kFixed,
       "a blocking lock taken with no lock_timeout"},
      {RuleId::kEnumValueWithoutPosition, "RT504", "enum-value-without-position", kHygiene,
       kWarning, kFixed, "ALTER TYPE ... ADD VALUE without BEFORE/AFTER appends to the sort order"},
      {RuleId::kIdentifierTooLong, "RT505", "identifier-too-long", kHygiene, kWarning, kFixed,
       "an identifier over 63 bytes, which PostgreSQL truncates"},
      {RuleId::kPreferIdentity, "RT506", "prefer-identity", kHygiene, kNote, kFixed,
       "serial column: prefer GENERATED ... AS IDENTITY"},
      {RuleId::kPreferTimestamptz, "RT507", "prefer-timestamptz", kHygiene, kNote, kFixed,
       "timestamp without time zone: prefer timestamptz"},
      {RuleId::kPreferTextField, "RT508", "prefer-text-field", kHygiene, kNote, kFixed,
       "varchar(n) / char(n): prefer text with a CHECK"},
      {RuleId::kDoBlockNotAnalysed, "RT509", "do-block-not-analysed", kHygiene, kNote, kFixed,
       "the statements inside a DO block are not linted"},
      {RuleId::kInvalidLintIgnore, "RT510", "invalid-lint-ignore", kHygiene, kWarning, kFixed,
       "a lint-ignore comment names no known rule"},
      {RuleId::kNamingConvention, "RT511", "naming-convention", kHygiene, kWarning, kFixed,
       "a constraint or index named against [naming_convention], or left unnamed"},
  };
  return kRules;
}

const RuleInfo& RuleFor(RuleId id) {
  const RuleInfo& rule = Rules()[static_cast<size_t>(id)];
  assert(rule.id == id);  // the table is in enum order
  return rule;
}

std::string RuleName(RuleId id) { return std::string(RuleFor(id).name); }

Result<RuleId> ParseRuleId(std::string_view name_or_code) {
  std::string wanted = ToLower(Trim(name_or_code));
  for (const RuleInfo& rule : Rules()) {
    if (rule.name == wanted || ToLower(rule.code) == wanted) return rule.id;
  }
  return Status::InvalidInput("unknown rule '" + std::string(name_or_code) +
                              "' (`retort lint --rules` lists the rules)");
}

}  // namespace retort::plan
