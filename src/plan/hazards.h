// The hazard vocabulary: every rule retort knows a migration can break, by a stable id. The plan
// attaches hazards to its steps in these terms (Step::hazards), lint reports findings in them,
// and `revision --autogenerate` turns the plan's hazards into findings without linting the text
// it rendered. It lives in plan/, the lower of the two layers, so that both can name a rule.
// Names typed by users (retort.toml [lint] disable, `-- retort:lint-ignore`) become ids at that
// boundary, through ParseRuleId; nothing inside looks a rule up by its name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace retort::plan {

enum class Severity { kNote, kWarning, kError };
std::string_view SeverityName(Severity severity);  // "note", "warning", "error"

enum class Category { kDataLoss, kClientBreaking, kDataDependent, kLocking, kHygiene };
std::string_view CategoryName(Category category);  // "data loss", ...

// In code order (RT101 first); Rules()[id] is the rule of `id`.
enum class RuleId {
  kDropTable,
  kDropColumn,
  kDropSchema,
  kDropSequence,
  kDropDatabase,
  kDropCascade,
  kTruncateTable,
  kDeleteWithoutWhere,
  kUpdateWithoutWhere,
  kRenamingTable,
  kRenamingColumn,
  kDroppingNotNull,
  kAddingRequiredField,
  kAddingUniqueConstraint,
  kAddingUniqueIndex,
  kSettingNotNull,
  kRequireConcurrentIndexCreation,
  kRequireConcurrentIndexDeletion,
  kConstraintMissingNotValid,
  kAddingForeignKeyConstraint,
  kVolatileDefault,
  kChangingColumnType,
  kAddingGeneratedColumn,
  kVacuumFull,
  kCluster,
  kSetTablespace,
  kChangingTablePersistence,
  kReindexWithoutConcurrently,
  kRefreshMaterializedView,
  kCannotRunInTransaction,
  kTransactionNesting,
  kMissingLockTimeout,
  kEnumValueWithoutPosition,
  kIdentifierTooLong,
  kPreferIdentity,
  kPreferTimestamptz,
  kPreferTextField,
  kDoBlockNotAnalysed,
  kInvalidLintIgnore,
  kNamingConvention,
};

struct RuleInfo {
  RuleId id;
  std::string_view code;  // "RT102": stable, never reused
  std::string_view name;  // "drop-column"
  Category category;
  Severity severity;  // without live table sizes
  // The severity follows the live size of the table the finding names (lint::GradeBySize).
  bool graded;
  std::string_view summary;  // one line, for `docs/lint.md` and --format json
};

// Every rule, in code order.
const std::vector<RuleInfo>& Rules();
const RuleInfo& RuleFor(RuleId id);
// "drop-column": for the directives a plan writes (`-- retort:lint-ignore drop-column`).
std::string RuleName(RuleId id);
// By name ("drop-column") or code ("RT102", any case, blanks around it ignored); InvalidInput
// "unknown rule 'NAME' (...)" when there is none.
Result<RuleId> ParseRuleId(std::string_view name_or_code);

// What a plan step risks, as a rule of the vocabulary: the finding lint reports for the step's
// statement.
struct Hazard {
  RuleId rule;
  std::string message;  // "drops column public.t.c and its data"
  // Whether the rule applies depends on what the plan does not know (a type change that may be
  // binary-coercible): reported as a warning at most.
  bool uncertain = false;
};

}  // namespace retort::plan
