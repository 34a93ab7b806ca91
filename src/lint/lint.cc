// The static rules: one pass over each statement's libpg_query parse tree (JSON), with a little
// state carried from statement to statement (tables created so far, whether a lock_timeout is
// in effect).
#include "lint/lint.h"

#include <pg_query.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>
#include <utility>

#include "base/strings.h"
#include "plan/online.h"
#include "sqltext/classify.h"
#include "sqltext/split.h"

namespace retort::lint {
namespace {

using nlohmann::json;

// PostgreSQL's NAMEDATALEN - 1.
constexpr size_t kMaxIdentifierBytes = 63;
constexpr size_t kShownStatementLength = 100;
constexpr std::string_view kIgnoreDirective = "retort:lint-ignore";

// ---- small readers for the parse tree

const json& Field(const json& node, const char* key) {
  static const json kNull;
  if (!node.is_object()) return kNull;
  auto found = node.find(key);
  return found == node.end() ? kNull : *found;
}

std::string Text(const json& node, const char* key) {
  const json& value = Field(node, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

bool Flag(const json& node, const char* key) {
  const json& value = Field(node, key);
  return value.is_boolean() && value.get<bool>();
}

// The single child of a node wrapper ({"Constraint": {...}}) when it has that type.
const json& Child(const json& wrapper, const char* type) { return Field(wrapper, type); }

// The `sval`s of a list of String nodes (qualified names, type names, function names).
std::vector<std::string> Names(const json& list) {
  std::vector<std::string> names;
  if (!list.is_array()) return names;
  for (const json& item : list) {
    const json& string = Child(item, "String");
    if (string.is_object()) names.push_back(Text(string, "sval"));
  }
  return names;
}

bool HasOption(const json& list, std::string_view option) {
  if (!list.is_array()) return false;
  for (const json& item : list) {
    if (Text(Child(item, "DefElem"), "defname") == option) return true;
  }
  return false;
}

// First "location" in a subtree: where a sub-clause starts, for a precise line.
int FirstLocation(const json& node) {
  if (node.is_object()) {
    auto location = node.find("location");
    if (location != node.end() && location->is_number_integer() && location->get<int>() >= 0) {
      return location->get<int>();
    }
    for (const auto& [key, child] : node.items()) {
      int found = FirstLocation(child);
      if (found >= 0) return found;
    }
  } else if (node.is_array()) {
    for (const json& child : node) {
      int found = FirstLocation(child);
      if (found >= 0) return found;
    }
  }
  return -1;
}

// ---- relations

struct Relation {
  std::string schema;  // empty when unqualified
  std::string name;

  std::string Display() const { return schema.empty() ? name : schema + "." + name; }
  std::string Sql() const {
    return schema.empty() ? QuoteIdentifier(name)
                          : QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
  }
  // Unqualified names match any schema: a migration rarely qualifies consistently.
  bool Matches(const Relation& other) const {
    return name == other.name && (schema.empty() || other.schema.empty() || schema == other.schema);
  }
};

Relation FromRangeVar(const json& range_var) {
  return Relation{Text(range_var, "schemaname"), Text(range_var, "relname")};
}

// DROP's objects: a List of String parts ([schema,] name) or a bare String (schemas).
Relation FromObjectName(const json& object) {
  std::vector<std::string> parts;
  if (const json& list = Child(object, "List"); list.is_object()) {
    parts = Names(Field(list, "items"));
  } else if (const json& string = Child(object, "String"); string.is_object()) {
    parts.push_back(Text(string, "sval"));
  } else if (const json& type = Child(object, "TypeName"); type.is_object()) {
    parts = Names(Field(type, "names"));
  }
  if (parts.empty()) return {};
  Relation relation;
  relation.name = parts.back();
  if (parts.size() >= 2) relation.schema = parts[parts.size() - 2];
  return relation;
}

// ---- locks

enum class Lock {
  kNone,
  kRowExclusive,
  kShareUpdateExclusive,
  kShare,
  kShareRowExclusive,
  kExclusive,
  kAccessExclusive,
};

std::string LockName(Lock lock) {
  switch (lock) {
    case Lock::kNone:
      return "";
    case Lock::kRowExclusive:
      return "ROW EXCLUSIVE";
    case Lock::kShareUpdateExclusive:
      return "SHARE UPDATE EXCLUSIVE";
    case Lock::kShare:
      return "SHARE";
    case Lock::kShareRowExclusive:
      return "SHARE ROW EXCLUSIVE";
    case Lock::kExclusive:
      return "EXCLUSIVE";
    case Lock::kAccessExclusive:
      return "ACCESS EXCLUSIVE";
  }
  return "";
}

// Who waits while `lock` is held on `table` (and while it is queued).
std::string WhoWaits(Lock lock, const std::string& table) {
  switch (lock) {
    case Lock::kAccessExclusive:
      return "every query on " + table + ", reads included, waits";
    case Lock::kExclusive:
      return "writes and SELECT ... FOR UPDATE on " + table + " wait; plain reads go on";
    case Lock::kShare:
    case Lock::kShareRowExclusive:
      return "INSERT, UPDATE and DELETE on " + table + " wait; reads go on";
    case Lock::kShareUpdateExclusive:
      return "reads and writes of " + table + " go on; VACUUM and other schema changes wait";
    case Lock::kRowExclusive:
    case Lock::kNone:
      break;
  }
  return "";
}

// LOCK TABLE's mode number (lockdefs.h).
Lock LockFromMode(int mode) {
  switch (mode) {
    case 3:
      return Lock::kRowExclusive;
    case 4:
      return Lock::kShareUpdateExclusive;
    case 5:
      return Lock::kShare;
    case 6:
      return Lock::kShareRowExclusive;
    case 7:
      return Lock::kExclusive;
    case 8:
      return Lock::kAccessExclusive;
    default:
      return Lock::kNone;
  }
}

// The lock one ALTER TABLE subcommand takes on its table (the ALTER TABLE reference page).
Lock AlterTableLock(const json& command) {
  std::string subtype = Text(command, "subtype");
  if (subtype == "AT_AddConstraint") {
    const json& constraint = Child(Field(command, "def"), "Constraint");
    if (Text(constraint, "contype") == "CONSTR_FOREIGN") return Lock::kShareRowExclusive;
    return Lock::kAccessExclusive;
  }
  static constexpr std::array<std::string_view, 10> kShareUpdateExclusive = {
      "AT_ValidateConstraint", "AT_SetStatistics",          "AT_SetOptions", "AT_ResetOptions",
      "AT_SetRelOptions",      "AT_ResetRelOptions",        "AT_ClusterOn",  "AT_DropCluster",
      "AT_AttachPartition",    "AT_DetachPartitionFinalize"};
  if (std::find(kShareUpdateExclusive.begin(), kShareUpdateExclusive.end(), subtype) !=
      kShareUpdateExclusive.end()) {
    return Lock::kShareUpdateExclusive;
  }
  if (subtype == "AT_DetachPartition") {
    const json& partition = Child(Field(command, "def"), "PartitionCmd");
    return Flag(partition, "concurrent") ? Lock::kShareUpdateExclusive : Lock::kAccessExclusive;
  }
  static constexpr std::array<std::string_view, 8> kShareRowExclusive = {
      "AT_EnableTrig",    "AT_EnableAlwaysTrig", "AT_EnableReplicaTrig", "AT_DisableTrig",
      "AT_EnableTrigAll", "AT_DisableTrigAll",   "AT_EnableTrigUser",    "AT_DisableTrigUser"};
  if (std::find(kShareRowExclusive.begin(), kShareRowExclusive.end(), subtype) !=
      kShareRowExclusive.end()) {
    return Lock::kShareRowExclusive;
  }
  return Lock::kAccessExclusive;
}

// ---- expressions

// Built-in functions that are VOLATILE, so a column default calling one is computed per row.
constexpr std::array<std::string_view, 12> kVolatileFunctions = {
    "random",           "gen_random_uuid", "uuid_generate_v1",   "uuid_generate_v1mc",
    "uuid_generate_v4", "clock_timestamp", "timeofday",          "nextval",
    "setseed",          "txid_current",    "pg_current_xact_id", "random_normal"};

struct Volatility {
  std::string definite;  // a known volatile function, e.g. "random()"
  std::string possible;  // a function of unknown volatility, e.g. "my_func()"
};

void FindVolatility(const json& node, Volatility& volatility) {
  if (node.is_array()) {
    for (const json& child : node) FindVolatility(child, volatility);
    return;
  }
  if (!node.is_object()) return;
  if (const json& call = Child(node, "FuncCall"); call.is_object()) {
    std::vector<std::string> name = Names(Field(call, "funcname"));
    std::string function = name.empty() ? "" : ToLower(name.back());
    bool builtin_schema = name.size() < 2 || name.front() == "pg_catalog";
    if (std::find(kVolatileFunctions.begin(), kVolatileFunctions.end(), function) !=
        kVolatileFunctions.end()) {
      if (volatility.definite.empty()) volatility.definite = function + "()";
    } else if (!builtin_schema ||
               std::find(plan::kStableBuiltinFunctions.begin(), plan::kStableBuiltinFunctions.end(),
                         function) == plan::kStableBuiltinFunctions.end()) {
      if (volatility.possible.empty()) volatility.possible = Join(name, ".") + "()";
    }
  }
  for (const auto& [key, child] : node.items()) FindVolatility(child, volatility);
}

// ---- types

std::string TypeLastName(const json& type_name) {
  std::vector<std::string> names = Names(Field(type_name, "names"));
  return names.empty() ? "" : names.back();
}

bool HasTypmods(const json& type_name) {
  const json& typmods = Field(type_name, "typmods");
  return typmods.is_array() && !typmods.empty();
}

// A type as a user writes it: bigint for pg_catalog.int8, varchar(20), numeric(10,2).
std::string TypeDisplayName(const json& type_name) {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"int2", "smallint"},
      {"int4", "integer"},
      {"int8", "bigint"},
      {"float4", "real"},
      {"float8", "double precision"},
      {"bool", "boolean"},
      {"bpchar", "char"},
      {"timestamptz", "timestamptz"},
      {"timetz", "timetz"}};
  std::vector<std::string> names = Names(Field(type_name, "names"));
  if (names.empty()) return "?";
  if (names.size() == 2 && names.front() == "pg_catalog") names.erase(names.begin());
  std::string name = Join(names, ".");
  if (auto found = kNames.find(name); found != kNames.end()) name = found->second;
  std::vector<std::string> modifiers;
  for (const json& modifier : Field(type_name, "typmods")) {
    const json& value = Field(Child(modifier, "A_Const"), "ival");
    if (value.is_object()) {
      const json& number = Field(value, "ival");
      modifiers.push_back(number.is_number_integer() ? std::to_string(number.get<long long>())
                                                     : "0");
    }
  }
  if (!modifiers.empty()) name += "(" + Join(modifiers, ",") + ")";
  if (Field(type_name, "arrayBounds").is_array()) name += "[]";
  return name;
}

bool IsSerial(const std::string& type) {
  return type == "serial" || type == "bigserial" || type == "smallserial" || type == "serial2" ||
         type == "serial4" || type == "serial8";
}

// Target types for which ALTER COLUMN TYPE can skip the rewrite, depending on the old type
// (varchar(n) -> varchar(m >= n) or text, numeric(p, s) -> numeric(q >= p, s), ...).
bool MayBeBinaryCoercible(const std::string& type) {
  return type == "text" || type == "varchar" || type == "numeric" || type == "varbit" ||
         type == "citext" || type == "bpchar";
}

// ---- suppression comments

std::vector<std::string_view> FileLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

// The rule list of a `-- retort:lint-ignore a, b` line; nullopt for any other line.
std::optional<std::vector<std::string>> IgnoreList(std::string_view line) {
  std::string_view trimmed = Trim(line);
  if (!StartsWith(trimmed, "--")) return std::nullopt;
  std::string_view rest = Trim(trimmed.substr(2));
  if (!StartsWith(rest, kIgnoreDirective)) return std::nullopt;
  rest.remove_prefix(kIgnoreDirective.size());
  if (!rest.empty() && !std::isspace(static_cast<unsigned char>(rest.front()))) {
    return std::nullopt;  // "retort:lint-ignored" is another (unknown) directive
  }
  return SplitList(rest);
}

// ---- the analysis

class Analyzer {
 public:
  Analyzer(const Source& source, const Options& options, RunState& run)
      : source_(source),
        options_(options),
        run_(run),
        timeout_active_(options.lock_timeout_configured) {}

  std::vector<Finding> Run() {
    lines_ = FileLines(source_.text);
    std::set<RuleId> file_ignores = HeaderIgnores();
    for (const sqltext::Statement& statement : source_.statements) {
      size_t first = findings_.size();
      AnalyzeStatement(statement);
      CheckNaming(statement);
      std::set<RuleId> ignores = StatementIgnores(statement.line);
      ignores.insert(file_ignores.begin(), file_ignores.end());
      auto suppressed = [&](const Finding& finding) {
        return ignores.contains(finding.id) || Disabled(finding.id) ||
               (options_.hygiene_only && RuleFor(finding.id).category != Category::kHygiene);
      };
      findings_.erase(
          std::remove_if(findings_.begin() + static_cast<long>(first), findings_.end(), suppressed),
          findings_.end());
    }
    std::stable_sort(findings_.begin(), findings_.end(),
                     [](const Finding& a, const Finding& b) { return a.line < b.line; });
    return std::move(findings_);
  }

 private:
  // ---- suppressions

  bool Disabled(RuleId rule) const {
    return std::find(options_.disabled.begin(), options_.disabled.end(), rule) !=
           options_.disabled.end();
  }

  // Rules named by a lint-ignore line; unknown names become findings.
  void CollectIgnores(int line_number, std::set<RuleId>& into) {
    std::optional<std::vector<std::string>> names = IgnoreList(lines_[line_number - 1]);
    if (!names) return;
    for (const std::string& name : *names) {
      if (Result<RuleId> rule = ParseRuleId(name); rule.ok()) {
        into.insert(*rule);
        continue;
      }
      Emit(RuleId::kInvalidLintIgnore, line_number, "",
           "`-- retort:lint-ignore " + name + "`: there is no rule named '" + name + "'",
           "Nothing is suppressed by this name, so the finding it was meant for is still "
           "reported.",
           "Name a rule by its name or code from docs/lint.md (`retort lint --rules` lists "
           "them).");
    }
  }

  std::set<RuleId> HeaderIgnores() {
    std::set<RuleId> ignores;
    if (!source_.is_migration) return ignores;
    int last = std::min<int>(source_.header_end_line, static_cast<int>(lines_.size()));
    for (int line = 1; line <= last; ++line) CollectIgnores(line, ignores);
    return ignores;
  }

  // The comment lines directly above the statement (no blank line between), up to a section
  // marker.
  std::set<RuleId> StatementIgnores(int statement_line) {
    std::set<RuleId> ignores;
    for (int line = statement_line - 1; line >= 1 && line <= static_cast<int>(lines_.size());
         --line) {
      std::string_view text = Trim(lines_[line - 1]);
      if (!StartsWith(text, "--") || sqltext::SectionMarker(text)) break;
      if (line <= source_.header_end_line) break;  // header lines are read once, file-wide
      CollectIgnores(line, ignores);
    }
    return ignores;
  }

  // ---- findings

  Finding& Emit(RuleId id, int line, const std::string& lock, std::string message,
                std::string effect, std::string fix, const Relation* graded_table = nullptr) {
    const Rule& rule = RuleFor(id);
    Finding finding;
    finding.id = id;
    finding.code = std::string(rule.code);
    finding.rule = std::string(rule.name);
    finding.severity = rule.severity;
    finding.file = source_.path;
    finding.line = line;
    finding.statement = statement_text_;
    finding.message = std::move(message);
    finding.effect = std::move(effect);
    finding.fix = std::move(fix);
    finding.lock = lock;
    if (rule.graded && graded_table != nullptr && !graded_table->name.empty()) {
      finding.table = graded_table->Display();
      finding.table_sql = graded_table->Sql();
    }
    findings_.push_back(std::move(finding));
    return findings_.back();
  }

  int LineOf(const json& node) const {
    int location = FirstLocation(node);
    if (location < 0 || static_cast<size_t>(location) > statement_->text.size()) {
      return statement_->line;
    }
    return statement_->line + LineOfOffset(statement_->text, static_cast<size_t>(location)) - 1;
  }

  bool IsNew(const Relation& relation) const {
    return std::any_of(created_.begin(), created_.end(),
                       [&](const Relation& created) { return created.Matches(relation); });
  }

  void Created(const Relation& relation) {
    if (!relation.name.empty()) created_.push_back(relation);
  }

  void NoteLock(Lock lock, const Relation& relation) {
    if (relation.name.empty() || IsNew(relation)) return;
    if (lock > strongest_lock_) {
      strongest_lock_ = lock;
      locked_ = relation;
    }
  }

  // ---- per statement

  void AnalyzeStatement(const sqltext::Statement& statement) {
    statement_ = &statement;
    statement_text_ = Excerpt(statement.text, kShownStatementLength);
    strongest_lock_ = Lock::kNone;
    locked_ = Relation{};

    std::string input = statement.text;
    if (input.find('\0') != std::string::npos) return;
    PgQueryParseResult parsed = pg_query_parse(input.c_str());
    json tree;
    if (parsed.error == nullptr && parsed.parse_tree != nullptr) {
      tree = json::parse(parsed.parse_tree, nullptr, /*allow_exceptions=*/false);
    }
    pg_query_free_parse_result(parsed);
    if (tree.is_discarded() || !tree.is_object()) return;

    if (source_.is_migration) CheckTransactionUse(statement);
    for (const json& entry : Field(tree, "stmts")) {
      const json& stmt = Field(entry, "stmt");
      if (!stmt.is_object() || stmt.empty()) continue;
      const std::string& kind = stmt.begin().key();
      const json& node = stmt.begin().value();
      Dispatch(kind, node);
    }
    CheckIdentifiers(statement);
    CheckLockTimeout();
  }

  void CheckTransactionUse(const sqltext::Statement& statement) {
    sqltext::TransactionUse use = sqltext::ClassifyTransactionUse(statement.text);
    if (use == sqltext::TransactionUse::kControlsTransaction) {
      Emit(RuleId::kTransactionNesting, statement.line, "",
           "`" + statement_text_ + "` controls the transaction inside a migration",
           source_.transactional
               ? "retort runs each migration in a transaction of its own: a COMMIT here ends it "
                 "early, so what follows runs outside it and the version table no longer moves "
                 "together with the schema; a ROLLBACK throws away what came before."
               : "retort runs the statements of a `-- retort:transaction none` migration one by "
                 "one and records its progress after each; a transaction opened here spans "
                 "that bookkeeping and breaks resuming after a failure.",
           "Remove the transaction control statement. For statements that cannot run in a "
           "transaction block, mark the migration `-- retort:transaction none`.");
    } else if (use == sqltext::TransactionUse::kOutsideTransactionBlock && source_.transactional) {
      Emit(RuleId::kCannotRunInTransaction, statement.line, "",
           "`" + statement_text_ +
               "` cannot run inside a transaction block, and this migration runs in one",
           "PostgreSQL rejects it (\"cannot run inside a transaction block\"), so the migration "
           "fails and none of it is applied.",
           "Put it in a migration marked `-- retort:transaction none` (there each statement "
           "commits on its own, so keep such a migration to the statements that need it).");
    }
  }

  void Dispatch(const std::string& kind, const json& node) {
    if (kind == "AlterTableStmt") return AlterTable(node);
    if (kind == "RenameStmt") return Rename(node);
    if (kind == "DropStmt") return Drop(node);
    if (kind == "DropdbStmt") return DropDatabase(node);
    if (kind == "TruncateStmt") return Truncate(node);
    if (kind == "DeleteStmt") return Delete(node);
    if (kind == "UpdateStmt") return Update(node);
    if (kind == "IndexStmt") return CreateIndex(node);
    if (kind == "CreateStmt") return CreateTable(node);
    if (kind == "CreateTableAsStmt")
      return Created(FromRangeVar(Field(Field(node, "into"), "rel")));
    if (kind == "SelectStmt") {
      const json& into = Field(node, "intoClause");
      if (into.is_object()) Created(FromRangeVar(Field(into, "rel")));
      return;
    }
    if (kind == "ViewStmt") return Created(FromRangeVar(Field(node, "view")));
    if (kind == "CreateSeqStmt") return Created(FromRangeVar(Field(node, "sequence")));
    if (kind == "CreateSchemaStmt") {
      created_schemas_.insert(Text(node, "schemaname"));
      return;
    }
    if (kind == "VacuumStmt") return Vacuum(node);
    if (kind == "ClusterStmt") return Cluster(node);
    if (kind == "ReindexStmt") return Reindex(node);
    if (kind == "RefreshMatViewStmt") return RefreshMaterializedView(node);
    if (kind == "AlterEnumStmt") return AlterEnum(node);
    if (kind == "VariableSetStmt") return SetVariable(node);
    if (kind == "LockStmt") return LockTable(node);
    if (kind == "CreateTrigStmt") {
      return NoteLock(Lock::kShareRowExclusive, FromRangeVar(Field(node, "relation")));
    }
    if (kind == "DoStmt") {
      Emit(RuleId::kDoBlockNotAnalysed, statement_->line, "",
           "DO block: the statements inside it are not linted",
           "retort lint sees the body of a DO block as one string literal; the DDL or updates "
           "it runs are not checked for locks, rewrites or data loss.",
           "Write the statements at top level where you can; `retort lint --probe` runs the "
           "migration on a scratch copy and shows the locks the block really takes.");
    }
  }

  // ---- ALTER TABLE

  void AlterTable(const json& node) {
    Relation table = FromRangeVar(Field(node, "relation"));
    std::string object = Text(node, "objtype");
    bool is_new = IsNew(table);
    std::string name = table.Display();
    for (const json& item : Field(node, "cmds")) {
      const json& command = Child(item, "AlterTableCmd");
      if (!command.is_object()) continue;
      NoteLock(AlterTableLock(command), table);
      std::string subtype = Text(command, "subtype");
      std::string column = Text(command, "name");
      int line = LineOf(command);
      const json& def = Field(command, "def");

      if (subtype == "AT_SetTableSpace" && !is_new) {
        std::string what = object == "OBJECT_INDEX" ? "index" : "table";
        Emit(RuleId::kSetTablespace, line, "ACCESS EXCLUSIVE",
             "`ALTER " + std::string(object == "OBJECT_INDEX" ? "INDEX" : "TABLE") + " " + name +
                 " SET TABLESPACE " + column + "` copies the " + what +
                 " to another tablespace under ACCESS EXCLUSIVE",
             "Every data file of " + name + " is copied while the lock is held: " +
                 WhoWaits(Lock::kAccessExclusive, name) + " until the copy is done.",
             "Move big relations online with pg_repack --tablespace, or in a maintenance "
             "window, outside migrations.",
             &table);
        continue;
      }
      if (object != "OBJECT_TABLE" && object != "OBJECT_FOREIGN_TABLE" &&
          object != "OBJECT_MATVIEW") {
        continue;
      }
      if (subtype == "AT_DropColumn" && !is_new) {
        Emit(RuleId::kDropColumn, line, "ACCESS EXCLUSIVE",
             "`ALTER TABLE " + name + " DROP COLUMN " + column + "` deletes column " + column +
                 " of " + name + " with all its values",
             "The values are gone when the migration commits, and queries of the application "
             "version still running during the deploy that name " +
                 column + " fail. Takes ACCESS EXCLUSIVE on " + name + " briefly (no rewrite).",
             "Deploy code that no longer reads or writes " + name + "." + column +
                 " first, then drop the column in a later migration, with a backup of its "
                 "values.");
      } else if (subtype == "AT_AddColumn") {
        AddColumn(table, is_new, Child(def, "ColumnDef"), line);
      } else if (subtype == "AT_AlterColumnType") {
        const json& column_def = Child(def, "ColumnDef");
        CheckColumnType(column, Field(column_def, "typeName"), line);
        if (!is_new) ChangeColumnType(table, column, column_def, line);
      } else if (subtype == "AT_SetNotNull" && !is_new && !ProvenNotNull(table, column)) {
        Emit(RuleId::kSettingNotNull, line, "ACCESS EXCLUSIVE",
             "`ALTER TABLE " + name + " ALTER COLUMN " + column +
                 " SET NOT NULL` reads every row of " + name + " under ACCESS EXCLUSIVE",
             "While it checks that no row holds NULL in " + column + ", " +
                 WhoWaits(Lock::kAccessExclusive, name) +
                 "; whether it succeeds depends on the data (any NULL fails the migration).",
             "ADD CONSTRAINT " + column + "_not_null CHECK (" + column +
                 " IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT in a later migration (SHARE "
                 "UPDATE EXCLUSIVE: reads and writes go on), then SET NOT NULL, which uses the "
                 "validated constraint instead of scanning (PostgreSQL 12+), and drop the CHECK.",
             &table);
      } else if (subtype == "AT_DropNotNull" && !is_new) {
        Emit(RuleId::kDroppingNotNull, line, "ACCESS EXCLUSIVE",
             "`ALTER TABLE " + name + " ALTER COLUMN " + column +
                 " DROP NOT NULL` lets NULLs into " + name + "." + column,
             "Code that relies on " + column +
                 " never being NULL (the running application, reports, other services) breaks "
                 "once NULLs appear.",
             "Make every reader of " + name + "." + column +
                 " handle NULL first, then drop the constraint.");
      } else if (subtype == "AT_AddConstraint" && !is_new) {
        AddConstraint(table, Child(def, "Constraint"), line);
      } else if ((subtype == "AT_SetLogged" || subtype == "AT_SetUnLogged") && !is_new) {
        std::string mode = subtype == "AT_SetLogged" ? "LOGGED" : "UNLOGGED";
        Emit(RuleId::kChangingTablePersistence, line, "ACCESS EXCLUSIVE",
             "`ALTER TABLE " + name + " SET " + mode + "` rewrites " + name,
             "The whole table is rewritten under ACCESS EXCLUSIVE (" +
                 WhoWaits(Lock::kAccessExclusive, name) + ")" +
                 (mode == "LOGGED" ? ", and every row is written to the WAL." : "."),
             "Change persistence while the table is small, or in a maintenance window.", &table);
      }
      TrackNotNullChecks(table, subtype, column, def);
    }
  }

  // ---- the NOT NULL recipe RT303 recommends

  // `CHECK (column IS NOT NULL)`, exactly: the column's name, else "".
  static std::string NotNullCheckColumn(const json& constraint) {
    if (Text(constraint, "contype") != "CONSTR_CHECK") return "";
    const json& test = Child(Field(constraint, "raw_expr"), "NullTest");
    if (Text(test, "nulltesttype") != "IS_NOT_NULL") return "";
    std::vector<std::string> fields =
        Names(Field(Child(Field(test, "arg"), "ColumnRef"), "fields"));
    return fields.size() == 1 ? fields.front() : "";
  }

  // Follows CHECK (column IS NOT NULL) constraints through ADD, VALIDATE and DROP CONSTRAINT, in
  // this source and (through run_) the sources linted before it.
  void TrackNotNullChecks(const Relation& table, const std::string& subtype,
                          const std::string& constraint_name, const json& def) {
    auto same = [&](const RunState::NotNullCheck& check) {
      return Relation{check.schema, check.table}.Matches(table) &&
             check.constraint == constraint_name;
    };
    std::vector<RunState::NotNullCheck>& checks = run_.not_null_checks;
    if (subtype == "AT_AddConstraint") {
      const json& constraint = Child(def, "Constraint");
      std::string column = NotNullCheckColumn(constraint);
      std::string name = Text(constraint, "conname");
      if (column.empty() || name.empty()) return;
      checks.push_back(RunState::NotNullCheck{table.schema, table.name, name, column,
                                              !Flag(constraint, "skip_validation")});
    } else if (subtype == "AT_ValidateConstraint") {
      for (RunState::NotNullCheck& check : checks) {
        if (same(check)) check.validated = true;
      }
    } else if (subtype == "AT_DropConstraint") {
      std::erase_if(checks, same);
    }
  }

  // Whether a validated CHECK (column IS NOT NULL) on `table` lets SET NOT NULL skip its scan.
  bool ProvenNotNull(const Relation& table, const std::string& column) const {
    return std::any_of(run_.not_null_checks.begin(), run_.not_null_checks.end(),
                       [&](const RunState::NotNullCheck& check) {
                         return check.validated && check.column == column &&
                                Relation{check.schema, check.table}.Matches(table);
                       });
  }

  void AddColumn(const Relation& table, bool is_new, const json& column_def, int line) {
    std::string column = Text(column_def, "colname");
    std::string type = TypeLastName(Field(column_def, "typeName"));
    CheckColumnType(column, Field(column_def, "typeName"), LineOf(column_def));
    if (is_new) return;
    std::string name = table.Display();
    bool not_null = false;
    bool primary = false;
    const json* default_expr = nullptr;
    bool identity = false;
    bool generated = false;
    bool unique = false;
    bool foreign = false;
    for (const json& item : Field(column_def, "constraints")) {
      const json& constraint = Child(item, "Constraint");
      std::string type_of = Text(constraint, "contype");
      if (type_of == "CONSTR_NOTNULL") not_null = true;
      if (type_of == "CONSTR_PRIMARY") primary = true;
      if (type_of == "CONSTR_DEFAULT") default_expr = &Field(constraint, "raw_expr");
      if (type_of == "CONSTR_IDENTITY") identity = true;
      if (type_of == "CONSTR_GENERATED") generated = true;
      if (type_of == "CONSTR_UNIQUE") unique = true;
      if (type_of == "CONSTR_FOREIGN" && !Flag(constraint, "skip_validation")) foreign = true;
    }
    bool serial = IsSerial(type);
    std::string statement = "`ALTER TABLE " + name + " ADD COLUMN " + column + " ...`";

    if ((not_null || primary) && default_expr == nullptr && !identity && !generated && !serial) {
      Emit(RuleId::kAddingRequiredField, line, "ACCESS EXCLUSIVE",
           statement + " adds NOT NULL column " + column + " without a DEFAULT",
           "It fails if " + name +
               " has any row (the new column would be NULL there), and once it exists, INSERTs "
               "of the running application that do not name " +
               column + " fail.",
           "Give the column a DEFAULT (a constant default needs no rewrite since PostgreSQL "
           "11), or add it nullable, backfill it, and enforce NOT NULL afterwards (CHECK ... "
           "NOT VALID, VALIDATE, SET NOT NULL).");
    }
    std::string rewrite_cause;
    std::string possible_cause;
    if (identity) rewrite_cause = "an identity column is filled from its sequence row by row";
    if (serial) rewrite_cause = "a " + type + " column is filled by nextval() row by row";
    if (default_expr != nullptr) {
      Volatility volatility;
      FindVolatility(*default_expr, volatility);
      if (!volatility.definite.empty()) {
        rewrite_cause =
            "its default " + volatility.definite + " is volatile, so it is computed for every row";
      } else if (!volatility.possible.empty()) {
        possible_cause = volatility.possible;
      }
    }
    if (!rewrite_cause.empty() || !possible_cause.empty()) {
      std::string message = rewrite_cause.empty()
                                ? statement + " has default " + possible_cause +
                                      ", which rewrites " + name + " if the function is VOLATILE"
                                : statement + " rewrites " + name + ": " + rewrite_cause;
      Emit(RuleId::kVolatileDefault, line, "ACCESS EXCLUSIVE", message,
           "PostgreSQL rewrites " + name +
               " and rebuilds all its indexes while holding ACCESS EXCLUSIVE: " +
               WhoWaits(Lock::kAccessExclusive, name) +
               " for the whole rewrite. (A constant or stable default, such as now(), is "
               "stored once and needs no rewrite since PostgreSQL 11; user functions are "
               "VOLATILE unless declared otherwise.)",
           "Add the column without a default (or with a constant one), then ALTER COLUMN " +
               column +
               " SET DEFAULT ... (applies to new rows only), and fill the existing rows in "
               "batches.",
           &table);
    }
    if (generated) {
      Emit(RuleId::kAddingGeneratedColumn, line, "ACCESS EXCLUSIVE",
           statement + " adds a stored generated column, which rewrites " + name,
           "Every row's value is computed and written: a full rewrite of " + name +
               " under ACCESS EXCLUSIVE (" + WhoWaits(Lock::kAccessExclusive, name) + ").",
           "Add a plain nullable column, fill it in batches and keep it current with a "
           "trigger, or compute the value in a view.",
           &table);
    }
    if (unique || primary) {
      Emit(RuleId::kAddingUniqueConstraint, line, "ACCESS EXCLUSIVE",
           statement + " builds a " + (primary ? "primary key" : "unique") + " index on " + name +
               " under ACCESS EXCLUSIVE",
           "The index is built while " + WhoWaits(Lock::kAccessExclusive, name) + ".",
           "Add the column alone, CREATE UNIQUE INDEX CONCURRENTLY in a `-- retort:transaction "
           "none` migration, then ADD CONSTRAINT ... " +
               std::string(primary ? "PRIMARY KEY" : "UNIQUE") + " USING INDEX.",
           &table);
    }
    if (foreign) {
      Emit(RuleId::kAddingForeignKeyConstraint, line, "SHARE ROW EXCLUSIVE",
           statement + " adds a validated foreign key on " + name,
           "The new foreign key is checked against every row while SHARE ROW EXCLUSIVE is held "
           "on " +
               name + " and the referenced table: " + WhoWaits(Lock::kShareRowExclusive, "both") +
               ".",
           "Add the column alone, then ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID and "
           "VALIDATE CONSTRAINT in a later migration.",
           &table);
    }
  }

  void ChangeColumnType(const Relation& table, const std::string& column, const json& column_def,
                        int line) {
    std::string name = table.Display();
    const json& type_name = Field(column_def, "typeName");
    std::string type = TypeDisplayName(type_name);
    bool has_using = Field(column_def, "raw_default").is_object();
    bool maybe_no_rewrite = !has_using && MayBeBinaryCoercible(TypeLastName(type_name));
    std::string statement =
        "`ALTER TABLE " + name + " ALTER COLUMN " + column + " TYPE " + type + "`";
    std::string effect =
        maybe_no_rewrite
            ? "If " + column + " is varchar or text and " + type +
                  " does not lower its limit, only the catalog changes, under a brief ACCESS "
                  "EXCLUSIVE; from any other type PostgreSQL rewrites " +
                  name + " and rebuilds its indexes while " +
                  WhoWaits(Lock::kAccessExclusive, name) +
                  ". `retort lint --probe` shows which. Clients reading " + column +
                  " see the new type."
            : "PostgreSQL rewrites " + name + " and rebuilds all its indexes" +
                  (has_using ? " (a USING clause always converts every row)" : "") + " while " +
                  WhoWaits(Lock::kAccessExclusive, name) + ". Clients reading " + column +
                  " see the new type.";
    Finding& finding =
        Emit(RuleId::kChangingColumnType, line, "ACCESS EXCLUSIVE",
             statement + (maybe_no_rewrite ? " may rewrite " : " rewrites ") + name, effect,
             "Add a new column of the new type, keep it in sync (trigger) and backfill it in "
             "batches, move readers to it, then drop the old column in a later release.",
             &table);
    if (maybe_no_rewrite) finding.severity = finding.max_severity = Severity::kWarning;
  }

  void AddConstraint(const Relation& table, const json& constraint, int line) {
    std::string name = table.Display();
    std::string type = Text(constraint, "contype");
    std::string constraint_name = Text(constraint, "conname");
    std::string label = constraint_name.empty() ? "" : " " + constraint_name;
    if (type == "CONSTR_CHECK" && !Flag(constraint, "skip_validation")) {
      Emit(RuleId::kConstraintMissingNotValid, line, "ACCESS EXCLUSIVE",
           "`ALTER TABLE " + name + " ADD CONSTRAINT" + label +
               " CHECK (...)` checks every row of " + name + " under ACCESS EXCLUSIVE",
           "While all rows are read, " + WhoWaits(Lock::kAccessExclusive, name) +
               "; the migration fails if any row violates the check.",
           "ADD CONSTRAINT" + label +
               " CHECK (...) NOT VALID (new and updated rows are checked at once), then "
               "ALTER TABLE " +
               name + " VALIDATE CONSTRAINT" + label +
               " in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes go on).",
           &table);
    } else if (type == "CONSTR_FOREIGN" && !Flag(constraint, "skip_validation")) {
      std::string referenced = FromRangeVar(Field(constraint, "pktable")).Display();
      std::string both = referenced == name ? name : name + " and " + referenced;
      Emit(RuleId::kAddingForeignKeyConstraint, line, "SHARE ROW EXCLUSIVE",
           "`ALTER TABLE " + name + " ADD CONSTRAINT" + label + " FOREIGN KEY ... REFERENCES " +
               referenced + "` checks every row of " + name + " while blocking writes to " + both,
           "SHARE ROW EXCLUSIVE on " + both +
               " for the whole scan: INSERT, UPDATE and DELETE wait; the migration fails if "
               "any row has no match.",
           "ADD CONSTRAINT" + label +
               " FOREIGN KEY ... NOT VALID (new rows are checked at once), then VALIDATE "
               "CONSTRAINT" +
               label + " in a later migration (SHARE UPDATE EXCLUSIVE on " + name +
               ", ROW SHARE on " + referenced + ": reads and writes go on).",
           &table);
    } else if ((type == "CONSTR_UNIQUE" || type == "CONSTR_PRIMARY" ||
                type == "CONSTR_EXCLUSION") &&
               Text(constraint, "indexname").empty()) {
      std::string kind = type == "CONSTR_PRIMARY"  ? "PRIMARY KEY"
                         : type == "CONSTR_UNIQUE" ? "UNIQUE"
                                                   : "EXCLUDE";
      std::string fix =
          type == "CONSTR_EXCLUSION"
              ? "An exclusion constraint cannot be built concurrently: add it while the table "
                "is small or in a maintenance window."
              : "CREATE UNIQUE INDEX CONCURRENTLY ix ON " + name +
                    " (...) in a `-- retort:transaction none` migration, then ALTER TABLE " + name +
                    " ADD CONSTRAINT" + (label.empty() ? " name" : label) + " " + kind +
                    " USING INDEX ix.";
      Emit(RuleId::kAddingUniqueConstraint, line, "ACCESS EXCLUSIVE",
           "`ALTER TABLE " + name + " ADD" + (label.empty() ? "" : " CONSTRAINT" + label) + " " +
               kind + " (...)` builds its index on " + name + " under ACCESS EXCLUSIVE",
           "While the index is built, " + WhoWaits(Lock::kAccessExclusive, name) +
               "; the migration fails if existing rows hold duplicates" +
               (type == "CONSTR_PRIMARY" ? " or NULLs." : "."),
           fix, &table);
    }
  }

  void CheckColumnType(const std::string& column, const json& type_name, int line) {
    if (!type_name.is_object()) return;
    std::string type = TypeLastName(type_name);
    if (IsSerial(type)) {
      Emit(RuleId::kPreferIdentity, line, "", "column " + column + " is " + type,
           "serial makes a separate sequence that the column only borrows: grants, copying the "
           "table and explicit inserts of ids all need care.",
           std::string("Use ") +
               (type == "smallserial" || type == "serial2" ? "smallint" : "bigint") +
               " GENERATED ALWAYS AS IDENTITY (or BY DEFAULT).");
    } else if (type == "timestamp") {
      Emit(RuleId::kPreferTimestamptz, line, "",
           "column " + column + " is timestamp (without time zone)",
           "The values carry no time zone: clients in different zones store the same instant "
           "differently, and comparisons with now() depend on the session's TimeZone.",
           "Use timestamptz (timestamp with time zone).");
    } else if ((type == "varchar" || type == "bpchar") && HasTypmods(type_name)) {
      std::string shown = type == "varchar" ? "varchar(n)" : "char(n)";
      Emit(RuleId::kPreferTextField, line, "", "column " + column + " is " + shown,
           "The length limit is a constraint in disguise: changing it later is an ALTER COLUMN "
           "TYPE under ACCESS EXCLUSIVE" +
               std::string(type == "bpchar" ? ", and char(n) pads values with spaces." : "."),
           "Use text, with CHECK (length(" + column + ") <= n) NOT VALID if the limit matters.");
    }
  }

  void CreateTable(const json& node) {
    Relation table = FromRangeVar(Field(node, "relation"));
    for (const json& element : Field(node, "tableElts")) {
      const json& column_def = Child(element, "ColumnDef");
      if (!column_def.is_object()) continue;
      CheckColumnType(Text(column_def, "colname"), Field(column_def, "typeName"),
                      LineOf(column_def));
    }
    Created(table);
  }

  // ---- renames, drops

  void Rename(const json& node) {
    std::string type = Text(node, "renameType");
    Relation table = FromRangeVar(Field(node, "relation"));
    if (table.name.empty() || IsNew(table)) return;
    std::string name = table.Display();
    std::string new_name = Text(node, "newname");
    NoteLock(Lock::kAccessExclusive, table);
    if (type == "OBJECT_TABLE" || type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW" ||
        type == "OBJECT_FOREIGN_TABLE") {
      Emit(RuleId::kRenamingTable, statement_->line, "ACCESS EXCLUSIVE",
           "`" + statement_text_ + "` renames " + name + " to " + new_name,
           "Queries of the application version still running during the deploy that name " + name +
               " fail from the moment this commits until every instance runs the new "
               "code.",
           "Expand and contract: create " + new_name + " (or a view " + new_name + " over " + name +
               "), move the application to it, and drop the old name in a later "
               "release.");
    } else if (type == "OBJECT_COLUMN") {
      std::string column = Text(node, "subname");
      Emit(RuleId::kRenamingColumn, statement_->line, "ACCESS EXCLUSIVE",
           "`" + statement_text_ + "` renames column " + name + "." + column + " to " + new_name,
           "Queries of the application version still running during the deploy that name " +
               column +
               " fail from the moment this commits until every instance runs the new "
               "code.",
           "Expand and contract: add " + new_name + ", keep it in sync with " + column +
               " (trigger) and backfill it, move readers and writers to it, then drop " + column +
               " in a later release.");
    }
  }

  void Drop(const json& node) {
    std::string type = Text(node, "removeType");
    bool cascade = Text(node, "behavior") == "DROP_CASCADE";
    bool concurrent = Flag(node, "concurrent");
    bool any_existing = false;
    for (const json& object : Field(node, "objects")) {
      Relation relation = FromObjectName(object);
      if (relation.name.empty()) continue;
      std::string name = relation.Display();
      if (type == "OBJECT_SCHEMA") {
        if (created_schemas_.contains(relation.name)) continue;
        any_existing = true;
        Emit(RuleId::kDropSchema, statement_->line, "",
             "`" + statement_text_ + "` drops schema " + relation.name +
                 (cascade ? " and every object in it" : ""),
             cascade ? "Every table in " + relation.name +
                           " and all its rows, and every other object in the schema, are gone "
                           "when the migration commits."
                     : "Without CASCADE it fails unless " + relation.name +
                           " is empty; with objects in it, someone will add CASCADE.",
             "Drop the objects in " + relation.name +
                 " one by one in reviewed migrations, after moving what must survive.");
        continue;
      }
      if (IsNew(relation)) continue;
      any_existing = true;
      if (type == "OBJECT_TABLE" || type == "OBJECT_FOREIGN_TABLE") {
        NoteLock(Lock::kAccessExclusive, relation);
        Emit(RuleId::kDropTable, statement_->line, "ACCESS EXCLUSIVE",
             "`" + statement_text_ + "` deletes table " + name + " and every row in it",
             "The rows are gone when the migration commits, and queries of the application "
             "version still running during the deploy that use " +
                 name + " fail." +
                 (cascade ? " CASCADE also drops the views and foreign keys that depend on it."
                          : ""),
             "Stop using " + name +
                 " in the application and deploy that first; back the data up, or rename the "
                 "table now and drop it in a later release.");
      } else if (type == "OBJECT_SEQUENCE") {
        NoteLock(Lock::kAccessExclusive, relation);
        Emit(RuleId::kDropSequence, statement_->line, "",
             "`" + statement_text_ + "` drops sequence " + name + " and its current value",
             "Column defaults that call nextval('" + name +
                 "') stop working; a sequence created again restarts its numbering and can "
                 "hand out keys that already exist.",
             "Keep the sequence until no default or code uses it; when replacing it, setval() "
             "the new one past the highest key in use.");
      } else if (type == "OBJECT_INDEX" && !concurrent) {
        NoteLock(Lock::kAccessExclusive, relation);
        Emit(RuleId::kRequireConcurrentIndexDeletion, statement_->line, "ACCESS EXCLUSIVE",
             "`" + statement_text_ + "` takes ACCESS EXCLUSIVE on the table of index " + name,
             "While the lock is queued and held, every query on the table, reads included, "
             "waits.",
             "DROP INDEX CONCURRENTLY " + name +
                 " in a migration marked `-- retort:transaction none`.",
             &relation);
      } else if (type == "OBJECT_VIEW" || type == "OBJECT_MATVIEW") {
        NoteLock(Lock::kAccessExclusive, relation);
      }
    }
    if (cascade && any_existing) {
      Emit(RuleId::kDropCascade, statement_->line, "",
           "`" + statement_text_ + "` also drops every object that depends on what it drops",
           "Dependent views, foreign keys, column defaults and, for a type or domain, the "
           "columns using it are dropped too, none of them named in this file; a column "
           "dropped this way loses its data.",
           "Drop the dependent objects explicitly first, so that the migration says what it "
           "removes, then drop without CASCADE.");
    }
  }

  void DropDatabase(const json& node) {
    Emit(RuleId::kDropDatabase, statement_->line, "",
         "`" + statement_text_ + "` drops database " + Text(node, "dbname"),
         "Every schema, table and row in it is gone; this is not a schema change.",
         "Drop databases by hand, outside migrations.");
  }

  void Truncate(const json& node) {
    bool cascade = Text(node, "behavior") == "DROP_CASCADE";
    for (const json& item : Field(node, "relations")) {
      Relation table = FromRangeVar(Child(item, "RangeVar"));
      if (IsNew(table)) continue;
      NoteLock(Lock::kAccessExclusive, table);
      std::string name = table.Display();
      Emit(RuleId::kTruncateTable, statement_->line, "ACCESS EXCLUSIVE",
           "`" + statement_text_ + "` deletes every row of " + name +
               (cascade ? " and of every table with a foreign key to it" : ""),
           "The rows are gone when the migration commits; ACCESS EXCLUSIVE on " + name + " means " +
               WhoWaits(Lock::kAccessExclusive, name) + " meanwhile.",
           "Emptying production tables is rarely a migration's job: do it by hand after a "
           "backup, or DELETE the rows you mean with a WHERE clause.");
    }
  }

  void Delete(const json& node) {
    Relation table = FromRangeVar(Field(node, "relation"));
    if (Field(node, "whereClause").is_object() || IsNew(table)) return;
    std::string name = table.Display();
    Emit(RuleId::kDeleteWithoutWhere, statement_->line, "ROW EXCLUSIVE",
         "`" + statement_text_ + "` deletes every row of " + name,
         "All rows are gone when the migration commits; until then every row of " + name +
             " is locked against updates.",
         "Add a WHERE clause naming the rows to delete; for many rows, delete in batches.");
  }

  void Update(const json& node) {
    Relation table = FromRangeVar(Field(node, "relation"));
    if (Field(node, "whereClause").is_object() || IsNew(table)) return;
    std::string name = table.Display();
    Emit(RuleId::kUpdateWithoutWhere, statement_->line, "ROW EXCLUSIVE",
         "`" + statement_text_ + "` changes every row of " + name,
         "Each row gets a new version and stays locked until the migration commits: concurrent "
         "updates and deletes of " +
             name + " wait, and the table and its indexes grow by up to their size.",
         "Add a WHERE clause; to backfill a big table, update it in batches in their own "
         "transactions.");
  }

  // ---- indexes and maintenance

  void CreateIndex(const json& node) {
    Relation table = FromRangeVar(Field(node, "relation"));
    bool concurrent = Flag(node, "concurrent");
    std::string index = Text(node, "idxname");
    std::string name = table.Display();
    bool is_new = IsNew(table);
    Relation index_relation{table.schema, index};
    if (!index.empty()) Created(index_relation);
    if (is_new) return;
    NoteLock(concurrent ? Lock::kShareUpdateExclusive : Lock::kShare, table);
    std::string index_label = index.empty() ? "an index" : "index " + index;
    if (!concurrent) {
      Emit(RuleId::kRequireConcurrentIndexCreation, statement_->line, "SHARE",
           "`" + statement_text_ + "` builds " + index_label + " on " + name +
               " without CONCURRENTLY",
           "SHARE on " + name + " for the whole build: " + WhoWaits(Lock::kShare, name) +
               " (minutes on a big table).",
           "CREATE INDEX CONCURRENTLY in a migration marked `-- retort:transaction none`: reads "
           "and writes go on while it builds.",
           &table);
    }
    if (Flag(node, "unique")) {
      Emit(RuleId::kAddingUniqueIndex, statement_->line, "",
           "`" + statement_text_ + "` fails if " + name + " already holds duplicates",
           "Whether it succeeds depends on the data, not the code: it can pass on a test "
           "database and fail in production. A failed CREATE INDEX CONCURRENTLY also leaves an "
           "INVALID index behind.",
           "Look for duplicates first (SELECT ..., count(*) FROM " + name +
               " GROUP BY ... HAVING count(*) > 1) and resolve them in an earlier migration.",
           &table);
    }
  }

  void Vacuum(const json& node) {
    if (!Flag(node, "is_vacuumcmd") || !HasOption(Field(node, "options"), "full")) return;
    const json& relations = Field(node, "rels");
    if (!relations.is_array() || relations.empty()) {
      Emit(RuleId::kVacuumFull, statement_->line, "ACCESS EXCLUSIVE",
           "`" + statement_text_ + "` rewrites every table of the database",
           "Each table is rewritten under ACCESS EXCLUSIVE in turn, blocking all queries on it.",
           "Plain VACUUM is enough in most cases; shrink bloated tables online with pg_repack, "
           "outside migrations.");
      return;
    }
    for (const json& item : relations) {
      Relation table = FromRangeVar(Field(Child(item, "VacuumRelation"), "relation"));
      if (IsNew(table)) continue;
      NoteLock(Lock::kAccessExclusive, table);
      std::string name = table.Display();
      Emit(RuleId::kVacuumFull, statement_->line, "ACCESS EXCLUSIVE",
           "`" + statement_text_ + "` rewrites " + name + " under ACCESS EXCLUSIVE",
           "Until the copy is done, " + WhoWaits(Lock::kAccessExclusive, name) +
               "; it needs free disk space for a second copy of the table.",
           "Plain VACUUM (no lock on reads or writes) is enough in most cases; shrink a "
           "bloated table online with pg_repack, outside migrations.",
           &table);
    }
  }

  void Cluster(const json& node) {
    Relation table = FromRangeVar(Field(node, "relation"));
    if (!table.name.empty() && IsNew(table)) return;
    NoteLock(Lock::kAccessExclusive, table);
    std::string name = table.name.empty() ? "every previously clustered table" : table.Display();
    Emit(RuleId::kCluster, statement_->line, "ACCESS EXCLUSIVE",
         "`" + statement_text_ + "` rewrites " + name + " in index order under ACCESS EXCLUSIVE",
         "Until the rewrite is done, " + WhoWaits(Lock::kAccessExclusive, name) + ".",
         "Run it by hand in a maintenance window, or online with pg_repack --order-by, outside "
         "migrations.",
         &table);
  }

  void Reindex(const json& node) {
    if (HasOption(Field(node, "params"), "concurrently")) return;
    std::string kind = Text(node, "kind");
    Relation relation = FromRangeVar(Field(node, "relation"));
    if (!relation.name.empty() && IsNew(relation)) return;
    bool index = kind == "REINDEX_OBJECT_INDEX";
    if (!relation.name.empty()) NoteLock(Lock::kShare, relation);
    std::string name =
        relation.name.empty() ? "every index of " + Text(node, "name") : relation.Display();
    Emit(RuleId::kReindexWithoutConcurrently, statement_->line, "SHARE",
         "`" + statement_text_ + "` rebuilds " + (index ? "index " : "the indexes of ") + name +
             " without CONCURRENTLY",
         "SHARE on the table and ACCESS EXCLUSIVE on each index while it is rebuilt: writes "
         "wait, and so do queries planned to use those indexes.",
         "REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a migration marked `-- "
         "retort:transaction none`.",
         &relation);
  }

  void RefreshMaterializedView(const json& node) {
    Relation view = FromRangeVar(Field(node, "relation"));
    if (IsNew(view)) return;
    bool concurrent = Flag(node, "concurrent");
    NoteLock(concurrent ? Lock::kExclusive : Lock::kAccessExclusive, view);
    if (concurrent) return;
    std::string name = view.Display();
    Emit(RuleId::kRefreshMaterializedView, statement_->line, "ACCESS EXCLUSIVE",
         "`" + statement_text_ + "` locks readers of " + name + " out for the whole refresh",
         "ACCESS EXCLUSIVE on " + name + ": " + WhoWaits(Lock::kAccessExclusive, name) +
             " until the query behind it has run again.",
         "REFRESH MATERIALIZED VIEW CONCURRENTLY " + name +
             " (needs a unique index on it; readers go on).",
         &view);
  }

  // ---- types, settings, locks

  void AlterEnum(const json& node) {
    std::string value = Text(node, "newVal");
    if (value.empty() || !Text(node, "oldVal").empty()) return;
    if (!Text(node, "newValNeighbor").empty()) return;
    std::string type = Join(Names(Field(node, "typeName")), ".");
    Emit(
        RuleId::kEnumValueWithoutPosition, statement_->line, "",
        "`" + statement_text_ + "` appends '" + value + "' at the end of " + type + "'s sort order",
        "Enum values sort in the order they were declared: ORDER BY and comparisons (<, >) on " +
            type + " put '" + value + "' after every existing value.",
        "Say where it belongs with BEFORE 'v' or AFTER 'v', or suppress this finding when the "
        "end is right.");
  }

  void SetVariable(const json& node) {
    if (Text(node, "name") != "lock_timeout") return;
    std::string kind = Text(node, "kind");
    if (kind != "VAR_SET_VALUE") {
      timeout_active_ = options_.lock_timeout_configured;  // RESET / DEFAULT
      return;
    }
    bool zero = true;
    for (const json& argument : Field(node, "args")) {
      const json& constant = Child(argument, "A_Const");
      if (const json& number = Field(constant, "ival"); number.is_object()) {
        zero = Field(number, "ival").is_null() || Field(number, "ival") == 0;
      } else if (const json& string = Field(constant, "sval"); string.is_object()) {
        std::string text = Text(string, "sval");
        size_t digits = 0;
        while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
          ++digits;
        }
        zero = text.substr(0, digits).find_first_not_of('0') == std::string::npos;
      }
    }
    timeout_active_ = !zero;
  }

  void LockTable(const json& node) {
    const json& mode = Field(node, "mode");
    Lock lock = LockFromMode(mode.is_number_integer() ? mode.get<int>() : 0);
    for (const json& item : Field(node, "relations")) {
      NoteLock(lock, FromRangeVar(Child(item, "RangeVar")));
    }
  }

  // Once per source: the first statement that queues a blocking lock on an existing relation
  // while no lock_timeout is in effect.
  void CheckLockTimeout() {
    if (timeout_active_ || timeout_reported_ || strongest_lock_ < Lock::kShare) return;
    timeout_reported_ = true;
    std::string lock = LockName(strongest_lock_);
    std::string name = locked_.Display();
    Emit(RuleId::kMissingLockTimeout, statement_->line, lock,
         "`" + statement_text_ + "` takes " + lock + " on " + name + " with no lock_timeout",
         "If any session holds a conflicting lock on " + name +
             " (a long query, a transaction left open), this statement waits for it, and "
             "while it waits " +
             WhoWaits(strongest_lock_, name) + " behind it: an outage until the holder ends.",
         "Set [migrations] lock_timeout in retort.toml (retort then gives up and retries "
         "instead of queueing), or start the migration with SET lock_timeout = '5s'.");
  }

  // ---- identifiers

  // The parser already cuts long identifiers to 63 bytes, so the scanner's tokens are read
  // instead: an unquoted identifier, or the inside of a quoted one. String constants, dollar
  // quotes (DO and function bodies) and comments are other tokens.
  void CheckIdentifiers(const sqltext::Statement& statement) {
    auto tokens = sqltext::Tokenize(statement.text, source_.path, statement.line);
    if (!tokens.ok()) return;
    std::set<std::string> seen;
    for (const sqltext::Token& token : *tokens) {
      if (token.is_comment || token.end <= token.begin) continue;
      std::string_view text =
          std::string_view(statement.text).substr(token.begin, token.end - token.begin);
      std::string identifier;
      if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
        for (size_t i = 1; i + 1 < text.size(); ++i) {
          identifier.push_back(text[i]);
          if (text[i] == '"') ++i;  // "" inside a quoted identifier is one quote
        }
      } else {
        auto is_start = [](unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; };
        auto is_part = [&](unsigned char c) { return is_start(c) || std::isdigit(c) || c == '$'; };
        if (!is_start(static_cast<unsigned char>(text.front())) ||
            !std::all_of(text.begin(), text.end(),
                         [&](char c) { return is_part(static_cast<unsigned char>(c)); })) {
          continue;
        }
        identifier = ToLower(text);
      }
      if (identifier.size() <= kMaxIdentifierBytes || !seen.insert(identifier).second) continue;
      int line = statement.line + LineOfOffset(statement.text, token.begin) - 1;
      std::string truncated = ClipUtf8(identifier, kMaxIdentifierBytes);
      Emit(RuleId::kIdentifierTooLong, line, "",
           "identifier \"" + identifier + "\" is " + std::to_string(identifier.size()) +
               " bytes; PostgreSQL keeps only the first 63",
           "The object is named \"" + truncated +
               "\": code using the full name works only because PostgreSQL truncates it the "
               "same way, and two long names sharing their first 63 bytes collide.",
           "Use a name of at most 63 bytes.");
    }
  }

  // ---- [naming_convention]

  void CheckNaming(const sqltext::Statement& statement) {
    if (options_.naming.empty()) return;
    using Created = sqltext::CreatedConstraint::Kind;
    for (const sqltext::CreatedConstraint& created : sqltext::ConstraintsCreated(statement.text)) {
      if (created.kind == Created::kExclusion) continue;
      config::NamedKind kind = created.kind == Created::kPrimaryKey ? config::NamedKind::kPrimaryKey
                               : created.kind == Created::kUnique   ? config::NamedKind::kUnique
                               : created.kind == Created::kCheck    ? config::NamedKind::kCheck
                               : created.kind == Created::kForeignKey
                                   ? config::NamedKind::kForeignKey
                                   : config::NamedKind::kIndex;
      if (!options_.naming.Covers(kind)) continue;
      config::NamingSubject subject{created.table.name, created.columns,
                                    created.referred_table.name, created.referred_columns, ""};
      std::string key = config::ConventionKey(kind);
      std::string rule =
          "[naming_convention] " + key + " = \"" + options_.naming.Template(kind) + "\"";
      if (created.name.empty()) {
        std::optional<std::string> wanted = options_.naming.Name(kind, subject);
        Emit(RuleId::kNamingConvention, statement.line, "",
             "this " + key + " on " + created.table.name +
                 " has no name, so PostgreSQL names it, not " + rule,
             "Its name will not be the one the convention gives, so later migrations (and "
             "autogenerate) cannot refer to it by that name.",
             wanted ? "Name it " + *wanted + "."
                    : "Give it a name (the convention needs {constraint_name}).");
        continue;
      }
      if (options_.naming.Follows(kind, subject, created.name)) continue;
      subject.constraint_name = created.name;
      std::optional<std::string> wanted = options_.naming.Name(kind, subject);
      Emit(
          RuleId::kNamingConvention, statement.line, "",
          created.name + " on " + created.table.name + " does not follow " + rule,
          "Names that break the convention are the ones autogenerate and reviewers cannot predict.",
          wanted ? "Name it " + *wanted + "." : "Follow " + rule + ".");
    }
  }

  const Source& source_;
  const Options& options_;
  RunState& run_;
  std::vector<std::string_view> lines_;
  std::vector<Finding> findings_;
  std::vector<Relation> created_;  // tables, views, sequences, indexes made in this source
  std::set<std::string> created_schemas_;
  bool timeout_active_;
  bool timeout_reported_ = false;

  // The statement being analysed.
  const sqltext::Statement* statement_ = nullptr;
  std::string statement_text_;
  Lock strongest_lock_ = Lock::kNone;
  Relation locked_;
};

}  // namespace

std::vector<Finding> Lint(const Source& source, const Options& options, RunState* run) {
  RunState alone;
  return Analyzer(source, options, run != nullptr ? *run : alone).Run();
}

std::set<RuleId> FileIgnores(const Source& source) {
  std::set<RuleId> ignores;
  if (!source.is_migration) return ignores;
  std::vector<std::string_view> lines = FileLines(source.text);
  int last = std::min<int>(source.header_end_line, static_cast<int>(lines.size()));
  for (int line = 1; line <= last; ++line) {
    for (const std::string& name :
         IgnoreList(lines[line - 1]).value_or(std::vector<std::string>{})) {
      if (Result<RuleId> rule = ParseRuleId(name); rule.ok()) ignores.insert(*rule);
    }
  }
  return ignores;
}

Finding HazardFinding(const plan::Hazard& hazard, const std::string& file, int line,
                      std::string_view statement) {
  const Rule& rule = RuleFor(hazard.rule);
  Finding finding;
  finding.id = hazard.rule;
  finding.code = std::string(rule.code);
  finding.rule = std::string(rule.name);
  finding.severity = rule.severity;
  if (hazard.uncertain && finding.severity == Severity::kError) {
    finding.severity = finding.max_severity = Severity::kWarning;
  }
  finding.file = file;
  finding.line = line;
  finding.statement = Excerpt(statement, kShownStatementLength);
  finding.message = hazard.message;
  return finding;
}

Result<std::vector<Finding>> LintSql(std::string_view sql, const std::string& file, int first_line,
                                     bool transactional, const Options& options) {
  RETORT_ASSIGN_OR_RETURN(std::vector<sqltext::Statement> statements,
                          sqltext::SplitStatements(sql, file, first_line));
  Source source;
  source.path = file;
  // Blank lines up to `first_line` keep the statements' line numbers valid for the ignore
  // comments in `sql`.
  source.text =
      std::string(static_cast<size_t>(std::max(first_line - 1, 0)), '\n') + std::string(sql);
  source.statements = std::move(statements);
  source.transactional = transactional;
  return Lint(source, options);
}

}  // namespace retort::lint
