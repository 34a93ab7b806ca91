#include "plan/online.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/overloaded.h"
#include "base/strings.h"

namespace retort::plan {

namespace {

using schema::ConstraintType;
using schema::Database;
using schema::QualifiedName;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || c == '.';
}

// From the `(` at `open`: the position after its matching `)` (quotes respected).
size_t SkipParenthesized(std::string_view text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      size_t close = text.find(c, i + 1);
      if (close == std::string_view::npos) return text.size();
      i = close;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return i + 1;
    }
  }
  return text.size();
}

// The one column of a `PRIMARY KEY (c)` / `UNIQUE (c)` definition, as written ("" otherwise).
std::string SingleKeyColumn(const std::string& definition) {
  for (std::string_view prefix : {"PRIMARY KEY (", "UNIQUE ("}) {
    if (!StartsWith(definition, prefix) || definition.back() != ')') continue;
    std::string inner = definition.substr(prefix.size(), definition.size() - prefix.size() - 1);
    if (inner.empty() || inner.find_first_of(",()") != std::string::npos) return "";
    return inner;
  }
  return "";
}

// PRIMARY KEY / UNIQUE split into what CREATE UNIQUE INDEX and ADD CONSTRAINT ... USING INDEX
// need; nothing for forms that have no such split (USING INDEX TABLESPACE, say).
struct KeyParts {
  std::string kind;        // "PRIMARY KEY" or "UNIQUE"
  std::string columns;     // "(a, b)"
  std::string index_tail;  // " INCLUDE (c) NULLS NOT DISTINCT WITH (fillfactor='70')"
  std::string deferrable;  // " DEFERRABLE INITIALLY DEFERRED"
};

std::optional<KeyParts> SplitKey(const std::string& definition) {
  KeyParts parts;
  std::string_view rest = definition;
  for (std::string_view kind : {"PRIMARY KEY ", "UNIQUE "}) {
    if (StartsWith(rest, kind)) {
      parts.kind = std::string(kind.substr(0, kind.size() - 1));
      rest.remove_prefix(kind.size());
    }
  }
  if (parts.kind.empty()) return std::nullopt;
  bool nulls_not_distinct = false;
  if (StartsWith(rest, "NULLS NOT DISTINCT ")) {
    nulls_not_distinct = true;
    rest.remove_prefix(std::string_view("NULLS NOT DISTINCT ").size());
  }
  if (rest.empty() || rest[0] != '(') return std::nullopt;
  size_t end = SkipParenthesized(rest, 0);
  parts.columns = std::string(rest.substr(0, end));
  rest.remove_prefix(end);
  std::string include;
  std::string with;
  while (!rest.empty()) {
    if (StartsWith(rest, " INCLUDE (")) {
      size_t close = SkipParenthesized(rest, rest.find('('));
      include = std::string(rest.substr(0, close));
      rest.remove_prefix(close);
    } else if (StartsWith(rest, " WITH (")) {
      size_t close = SkipParenthesized(rest, rest.find('('));
      with = std::string(rest.substr(0, close));
      rest.remove_prefix(close);
    } else if (rest == " DEFERRABLE" || rest == " DEFERRABLE INITIALLY DEFERRED") {
      parts.deferrable = std::string(rest);
      rest = {};
    } else {
      return std::nullopt;
    }
  }
  parts.index_tail = include + (nulls_not_distinct ? " NULLS NOT DISTINCT" : "") + with;
  return parts;
}

bool IsNotValid(const std::string& definition) { return EndsWith(definition, " NOT VALID"); }

constexpr size_t kMaxNameBytes = 63;  // NAMEDATALEN - 1

// PostgreSQL's makeObjectName: name1[_name2][_label] in 63 bytes, the longer of the two names
// cut first.
std::string MakeObjectName(const std::string& name1, const std::string* name2,
                           const std::string& label) {
  size_t chars1 = name1.size();
  size_t chars2 = name2 != nullptr ? name2->size() : 0;
  size_t overhead = (name2 != nullptr ? 1 : 0) + label.size() + 1;
  size_t available = kMaxNameBytes - overhead;
  while (chars1 + chars2 > available) {
    if (chars1 > chars2) {
      --chars1;
    } else {
      --chars2;
    }
  }
  std::string name = ClipUtf8(name1, chars1);
  if (name2 != nullptr) name += "_" + ClipUtf8(*name2, chars2);
  return name + "_" + label;
}

// One element of an index's column list as pg_get_indexdef prints it (`a`, `"A b" DESC`,
// `a text_pattern_ops`, `lower(b)`, `((a + b))`), named as PostgreSQL names index columns
// (FigureIndexColname, ChooseIndexColumnNames): a column by its name, a function call by the
// function's, any other expression (printed in parentheses) "expr".
std::string IndexElementName(std::string_view element) {
  element = Trim(element);
  if (element.empty()) return "expr";
  if (element[0] == '"') {
    std::string name;
    size_t i = 1;
    for (; i < element.size(); ++i) {
      if (element[i] != '"') {
        name.push_back(element[i]);
      } else if (i + 1 < element.size() && element[i + 1] == '"') {
        name.push_back('"');
        ++i;
      } else {
        break;
      }
    }
    bool qualified = i + 1 < element.size() && element[i + 1] == '.';
    return qualified ? "expr" : name;
  }
  size_t end = 0;
  while (end < element.size() && IsNameChar(element[end])) ++end;
  if (end == 0) return "expr";
  std::string_view name = element.substr(0, end);
  if (end < element.size() && element[end] == '(') {
    size_t dot = name.rfind('.');
    return ToLower(dot == std::string_view::npos ? name : name.substr(dot + 1));
  }
  return name.find('.') != std::string_view::npos ? "expr" : std::string(name);
}

// The top-level, comma-separated elements of the parenthesized list at `open`.
std::vector<std::string_view> ListElements(std::string_view text, size_t open) {
  std::vector<std::string_view> elements;
  size_t close = SkipParenthesized(text, open);
  size_t start = open + 1;
  int depth = 0;
  for (size_t i = open + 1; i + 1 < close; ++i) {
    char c = text[i];
    if (c == '\'' || c == '"') {
      size_t end = text.find(c, i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (c == ',' && depth == 0) {
      elements.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (close > start + 1) elements.push_back(text.substr(start, close - 1 - start));
  return elements;
}

// The column names PostgreSQL derives an index's name from (ChooseIndexColumnNames): key columns
// then INCLUDE columns, "expr" for expressions, a repeated name made unique with a number.
// `shape` is IndexShape's "USING method (...) [INCLUDE (...)] ...", or a key's "(a, b) INCLUDE
// (c)".
std::vector<std::string> IndexColumnNames(std::string_view shape) {
  std::vector<std::string_view> elements;
  size_t open = shape.find('(');
  if (open == std::string_view::npos) return {};
  elements = ListElements(shape, open);
  size_t include = shape.find(" INCLUDE (", SkipParenthesized(shape, open));
  if (include != std::string_view::npos) {
    for (std::string_view element : ListElements(shape, include + 9)) elements.push_back(element);
  }
  std::vector<std::string> names;
  for (std::string_view element : elements) {
    std::string original = IndexElementName(element);
    std::string name = original;
    for (int n = 1; std::find(names.begin(), names.end(), name) != names.end(); ++n) {
      std::string suffix = std::to_string(n);
      name = ClipUtf8(original, kMaxNameBytes - suffix.size()) + suffix;
    }
    names.push_back(name);
  }
  return names;
}

// ChooseIndexNameAddition: the column names joined by "_", stopped once past 63 bytes.
std::string NameAddition(const std::vector<std::string>& columns) {
  std::string addition;
  for (const std::string& column : columns) {
    if (!addition.empty()) addition += "_";
    addition += column;
    if (addition.size() >= kMaxNameBytes + 1) break;
  }
  return addition;
}

}  // namespace

std::set<QualifiedName> ExistingRelations(const Database& from, const std::vector<Step>& steps) {
  std::set<QualifiedName> existing;
  for (const schema::Table& table : from.tables) existing.insert(table.name);
  for (const schema::View& view : from.views) {
    if (view.materialized) existing.insert(view.name);
  }
  for (const Step& step : steps) {
    if (const auto* table = std::get_if<diff::CreateTable>(&step.change)) {
      existing.erase(table->table->name);
    }
    if (const auto* view = std::get_if<diff::CreateView>(&step.change)) {
      existing.erase(view->view->name);
    }
  }
  return existing;
}

namespace {

// Builds the online form step by step; `out` receives the steps in their new order.
class Onliner {
 public:
  Onliner(const Plan& plan, const Database& from, const Database& to)
      : from_(from), to_(to), existing_(ExistingRelations(from, plan.steps)) {
    for (const schema::Table& table : from.tables) {
      if (table.partitioned) partitioned_.insert(table.name);
    }
    for (const Step& step : plan.steps) {
      if (const auto* drop = std::get_if<diff::DropConstraint>(&step.change)) {
        dropped_constraints_.insert({drop->constraint.table, drop->constraint.name});
      }
    }
    for (const Database* side : {&from, &to}) {
      for (const schema::Constraint& constraint : side->constraints) {
        taken_constraint_names_.insert({constraint.table, constraint.name});
      }
    }
    for (const Step& step : plan.steps) {
      if (const auto* drop = std::get_if<diff::DropIndex>(&step.change)) {
        dropped_indexes_.insert(drop->index.name);
      }
      if (const auto* add = std::get_if<diff::AddConstraint>(&step.change)) {
        added_constraints_.insert({add->constraint.table, add->constraint.name});
      }
      // Columns a re-created key may rest on, changed in ways its old constraint would stand in
      // the way of (or go with): the key then keeps the drop-then-add order.
      std::visit(
          Overloaded{
              [&](const diff::DropColumn& c) { column_changed_tables_.insert(c.table); },
              [&](const diff::RecreateColumn& c) { column_changed_tables_.insert(c.table); },
              [&](const diff::AlterColumnType& c) { column_changed_tables_.insert(c.table); },
              [&](const diff::DropNotNull& c) { column_changed_tables_.insert(c.table); },
              NothingFor<
                  void, diff::CreateSchema, diff::DropSchema, diff::CreateExtension,
                  diff::DropExtension, diff::AlterExtension, diff::CreateEnum, diff::DropEnum,
                  diff::AddEnumValue, diff::SwapEnum, diff::CreateDomain, diff::DropDomain,
                  diff::AlterDomain, diff::SwapDomain, diff::CreateCompositeType,
                  diff::DropCompositeType, diff::AlterCompositeType, diff::CreateSequence,
                  diff::DropSequence, diff::AlterSequence, diff::SetSequenceOwner,
                  diff::CreateTable, diff::DropTable, diff::AddColumn, diff::SetColumnDefault,
                  diff::DropColumnDefault, diff::SetNotNull, diff::AddIdentity, diff::DropIdentity,
                  diff::AlterIdentity, diff::SetColumnStorage, diff::SetColumnCompression,
                  diff::DropExpression, diff::AttachPartition, diff::DetachPartition,
                  diff::SetInherit, diff::SetReplicaIdentity, diff::SetLogged,
                  diff::SetStorageOptions, diff::SetRowSecurity, diff::SetForceRowSecurity,
                  diff::AddConstraint, diff::DropConstraint, diff::ValidateConstraint,
                  diff::CreateIndex, diff::DropIndex, diff::BackfillColumn, diff::AttachIndex,
                  diff::ReplaceKey, diff::CreateView, diff::DropView, diff::CreateFunction,
                  diff::DropFunction, diff::CreateTrigger, diff::DropTrigger,
                  diff::SetTriggerEnabled, diff::CreatePolicy, diff::DropPolicy, diff::AlterPolicy,
                  diff::CreateRule, diff::DropRule, diff::SetRuleEnabled, diff::CreateCollation,
                  diff::DropCollation, diff::SwapCollation, diff::CreateOperator,
                  diff::DropOperator, diff::AlterOperator, diff::CreateOperatorFamily,
                  diff::DropOperatorFamily, diff::AlterOperatorFamily, diff::CreateOperatorClass,
                  diff::DropOperatorClass, diff::SetComment, diff::GrantPrivileges,
                  diff::RevokePrivileges, diff::Rename>{},
          },
          step.change);
    }
    TakeRelationNames();
  }

  void Add(Step step) {
    std::visit(
        [&](auto& change) {
          using T = std::decay_t<decltype(change)>;
          if constexpr (std::is_same_v<T, diff::CreateIndex>) {
            CreateIndex(std::move(step));
          } else if constexpr (std::is_same_v<T, diff::DropIndex>) {
            ReleaseInheritedNames(change.index.table, change.index.name.name);
            DropIndex(std::move(step));
          } else if constexpr (std::is_same_v<T, diff::AddConstraint>) {
            AddConstraint(std::move(step));
          } else if constexpr (std::is_same_v<T, diff::DropConstraint>) {
            ReleaseInheritedNames(change.constraint.table, change.constraint.name);
            // A key re-created with a new definition is swapped where it is added (below).
            if (!SwappedKey(change.constraint)) out_.push_back(std::move(step));
          } else if constexpr (std::is_same_v<T, diff::ValidateConstraint>) {
            step.commits_apart = Exists(change.constraint.table);
            out_.push_back(std::move(step));
          } else if constexpr (std::is_same_v<T, diff::SetNotNull>) {
            SetNotNull(std::move(step));
          } else if constexpr (std::is_same_v<T, diff::AddColumn>) {
            AddColumn(std::move(step));
          } else if constexpr (std::is_same_v<T, diff::AlterColumnType>) {
            AlterColumnType(std::move(step));
          } else if constexpr (std::is_same_v<T, diff::SwapEnum> ||
                               std::is_same_v<T, diff::SwapDomain>) {
            std::vector<QualifiedName> tables;
            for (const diff::ColumnUse& use : change.uses) tables.push_back(use.table);
            if constexpr (std::is_same_v<T, diff::SwapEnum>) {
              for (const diff::RebasedDomain& domain : change.domains) {
                for (const diff::ColumnUse& use : domain.uses) tables.push_back(use.table);
              }
            }
            std::string type = change.from->name.Sql();
            Swap(std::move(step), tables, type);
          } else if constexpr (std::is_same_v<T, diff::SwapCollation>) {
            std::vector<QualifiedName> tables;
            for (const diff::CollatedColumn& use : change.uses) tables.push_back(use.table);
            std::string collation = change.from->name.Sql();
            Swap(std::move(step), tables, collation);
          } else if constexpr (std::is_same_v<T, diff::RecreateColumn>) {
            QualifiedName table = change.table;
            if (Exists(table)) {
              step.directives_on_every_alter_table = true;
              KeepPlain(std::move(step), {RuleId::kAddingGeneratedColumn},
                        "Rewrites " + table.Sql() +
                            " under ACCESS EXCLUSIVE: PostgreSQL 15 cannot change a generation "
                            "expression in place, and a stored generated column has no online "
                            "form.");
            } else {
              out_.push_back(std::move(step));
            }
          } else {
            // Every other kind as it is, each named: a new kind must be placed in this visit.
            static_assert(
                OneOf<T, diff::CreateSchema, diff::DropSchema, diff::CreateExtension,
                      diff::DropExtension, diff::AlterExtension, diff::CreateEnum, diff::DropEnum,
                      diff::AddEnumValue, diff::CreateDomain, diff::DropDomain, diff::AlterDomain,
                      diff::CreateCompositeType, diff::DropCompositeType, diff::AlterCompositeType,
                      diff::CreateSequence, diff::DropSequence, diff::AlterSequence,
                      diff::SetSequenceOwner, diff::CreateTable, diff::DropTable, diff::DropColumn,
                      diff::SetColumnDefault, diff::DropColumnDefault, diff::DropNotNull,
                      diff::AddIdentity, diff::DropIdentity, diff::AlterIdentity,
                      diff::SetColumnStorage, diff::SetColumnCompression, diff::DropExpression,
                      diff::AttachPartition, diff::DetachPartition, diff::SetInherit,
                      diff::SetReplicaIdentity, diff::SetLogged, diff::SetStorageOptions,
                      diff::SetRowSecurity, diff::SetForceRowSecurity, diff::BackfillColumn,
                      diff::AttachIndex, diff::ReplaceKey, diff::CreateView, diff::DropView,
                      diff::CreateFunction, diff::DropFunction, diff::CreateTrigger,
                      diff::DropTrigger, diff::SetTriggerEnabled, diff::CreatePolicy,
                      diff::DropPolicy, diff::AlterPolicy, diff::CreateRule, diff::DropRule,
                      diff::SetRuleEnabled, diff::CreateCollation, diff::DropCollation,
                      diff::CreateOperator, diff::DropOperator, diff::AlterOperator,
                      diff::CreateOperatorFamily, diff::DropOperatorFamily,
                      diff::AlterOperatorFamily, diff::CreateOperatorClass, diff::DropOperatorClass,
                      diff::SetComment, diff::GrantPrivileges, diff::RevokePrivileges,
                      diff::Rename>);
            out_.push_back(std::move(step));
          }
        },
        step.change);
  }

  std::vector<Step> Take() { return std::move(out_); }

 private:
  bool Exists(const QualifiedName& table) const { return existing_.count(table) > 0; }
  bool Partitioned(const QualifiedName& table) const { return partitioned_.count(table) > 0; }

  // The plain form kept on purpose: the reason above it and a lint-ignore naming the rules, so
  // that the choice is visible in the file and lint does not report what was decided.
  void KeepPlain(Step step, const std::vector<RuleId>& rules, const std::string& why) {
    step.mutable_details().comments.push_back(why);
    step.mutable_details().lint_ignore = rules;
    out_.push_back(std::move(step));
  }

  static Step Derived(diff::Change change) {
    Step step;
    step.change = std::move(change);
    return step;
  }

  void CreateIndex(Step step) {
    auto& create = std::get<diff::CreateIndex>(step.change);
    const schema::Index& index = create.index;
    if (!Exists(index.table)) {
      out_.push_back(std::move(step));
      return;
    }
    std::vector<RuleId> rules = {RuleId::kRequireConcurrentIndexCreation};
    if (index.unique) rules.push_back(RuleId::kAddingUniqueIndex);
    if (!index.valid) {
      KeepPlain(std::move(step), rules,
                "ON ONLY the partitioned table: an index of the parent alone, which builds "
                "nothing and stays invalid until each partition's index is attached.");
      return;
    }
    if (Partitioned(index.table)) {
      if (std::string changing = PartitionsChanging(index.table); !changing.empty()) {
        KeepPlain(std::move(step), rules,
                  "PostgreSQL cannot build an index on a partitioned table CONCURRENTLY, and the "
                  "partitions of " +
                      changing +
                      " change in this migration: build it partition by partition in a "
                      "migration of its own (ON ONLY the parent, CREATE INDEX CONCURRENTLY on "
                      "each partition, ALTER INDEX ... ATTACH PARTITION each one).");
        return;
      }
      PartitionedIndex(std::move(step));
      return;
    }
    create.concurrently = true;
    step.transactional = false;
    step.mutable_details().hazards.clear();
    if (index.unique) UniqueBuildFailsOnDuplicates(step, index.table);
    out_.push_back(std::move(step));
  }

  static void UniqueBuildFailsOnDuplicates(Step& step, const QualifiedName& table) {
    step.mutable_details().comments.push_back(
        "Fails if " + table.Sql() +
        " holds duplicates: the failed build leaves an INVALID index, which the next `retort "
        "upgrade` drops before it builds again; remove the duplicates, then run it again.");
    step.mutable_details().hazards.push_back(
        {RuleId::kAddingUniqueIndex, "fails if " + table.Sql() + " holds duplicates"});
    step.mutable_details().lint_ignore.push_back(RuleId::kAddingUniqueIndex);
  }

  void DropIndex(Step step) {
    auto& drop = std::get<diff::DropIndex>(step.change);
    if (Partitioned(drop.index.table)) {
      KeepPlain(std::move(step), {RuleId::kRequireConcurrentIndexDeletion},
                "PostgreSQL cannot drop an index of a partitioned table CONCURRENTLY: the "
                "DROP takes ACCESS EXCLUSIVE on the table and its partitions briefly.");
      return;
    }
    // An index of a table that exists before the plan: dropping it CONCURRENTLY waits for the
    // queries using it instead of locking them out. (A table the plan creates has none to drop.)
    drop.concurrently = true;
    step.transactional = false;
    step.mutable_details().hazards.clear();
    out_.push_back(std::move(step));
  }

  void AddConstraint(Step step) {
    const schema::Constraint constraint = std::get<diff::AddConstraint>(step.change).constraint;
    const std::string& definition = constraint.definition;
    if (!Exists(constraint.table) || IsNotValid(definition) ||
        definition.find(" USING INDEX ") != std::string::npos) {
      out_.push_back(std::move(step));
      return;
    }
    switch (constraint.type) {
      case ConstraintType::kForeignKey:
      case ConstraintType::kCheck: {
        if (constraint.type == ConstraintType::kForeignKey && Partitioned(constraint.table)) {
          KeepPlain(std::move(step), {RuleId::kAddingForeignKeyConstraint},
                    "PostgreSQL cannot add a NOT VALID foreign key to a partitioned table: the "
                    "rows are checked while the lock is held.");
          return;
        }
        schema::Constraint not_valid = constraint;
        not_valid.definition += " NOT VALID";
        Step add = Derived(diff::AddConstraint{not_valid});
        add.mutable_details().comments.push_back(
            "Checked apart from the lock: NOT VALID now, VALIDATE below.");
        out_.push_back(std::move(add));
        Step validate = Derived(diff::ValidateConstraint{constraint});
        validate.commits_apart = true;
        out_.push_back(std::move(validate));
        return;
      }
      case ConstraintType::kPrimaryKey:
      case ConstraintType::kUnique: {
        std::optional<KeyParts> parts = SplitKey(definition);
        std::string changing =
            Partitioned(constraint.table) ? PartitionsChanging(constraint.table) : "";
        if (parts && Partitioned(constraint.table) && changing.empty()) {
          PartitionedKey(std::move(step), *parts);
          return;
        }
        if (!parts || Partitioned(constraint.table)) {
          KeepPlain(std::move(step), {RuleId::kAddingUniqueConstraint},
                    !parts ? "This form has no USING INDEX equivalent: the index is built under "
                             "ACCESS EXCLUSIVE."
                           : "PostgreSQL cannot build a partitioned table's unique index "
                             "CONCURRENTLY, and the partitions of " +
                                 changing +
                                 " change in this migration: the index is built under ACCESS "
                                 "EXCLUSIVE. Online, in a migration of its own: each partition's "
                                 "key over a concurrently built index first, then the parent's.");
          return;
        }
        if (const schema::Constraint* old = FromConstraint(constraint.table, constraint.name);
            old != nullptr && SwappedKey(*old)) {
          // Built beside the old one under another name, then swapped in one statement: the
          // table is never without the key.
          std::string building = TemporaryIndexName(constraint.table, constraint.name);
          BuildUniqueIndex(constraint.table, building, *parts);
          schema::Constraint over_index = constraint;
          over_index.definition =
              parts->kind + " USING INDEX " + QuoteIdentifier(building) + parts->deferrable;
          Step swap = Derived(diff::ReplaceKey{*old, over_index});
          swap.mutable_details().comments.push_back(
              "The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): "
              "the index built above takes the constraint's name.");
          out_.push_back(std::move(swap));
          return;
        }
        BuildUniqueIndex(constraint.table, constraint.name, *parts);
        schema::Constraint over_index = constraint;
        over_index.definition =
            parts->kind + " USING INDEX " + QuoteIdentifier(constraint.name) + parts->deferrable;
        out_.push_back(Derived(diff::AddConstraint{over_index}));
        return;
      }
      case ConstraintType::kExclusion:
        KeepPlain(std::move(step), {RuleId::kAddingUniqueConstraint},
                  "An exclusion constraint has no online form: its index is built under ACCESS "
                  "EXCLUSIVE.");
        return;
    }
  }

  // CREATE UNIQUE INDEX CONCURRENTLY `name` with a key's columns, INCLUDE, NULLS NOT DISTINCT
  // and WITH, for ADD CONSTRAINT ... USING INDEX.
  void BuildUniqueIndex(const QualifiedName& table, const std::string& name,
                        const KeyParts& parts) {
    schema::Index index;
    index.name = {table.schema, name};
    index.table = table;
    index.unique = true;
    index.definition = "CREATE UNIQUE INDEX " + QuoteIdentifier(name) + " ON " + table.Sql() +
                       " USING btree " + parts.columns + parts.index_tail;
    Step build = Derived(diff::CreateIndex{index, /*concurrently=*/true});
    build.transactional = false;
    UniqueBuildFailsOnDuplicates(build, table);
    out_.push_back(std::move(build));
  }

  const schema::Constraint* FromConstraint(const QualifiedName& table,
                                           const std::string& name) const {
    for (const schema::Constraint& constraint : from_.constraints) {
      if (constraint.table == table && constraint.name == name) return &constraint;
    }
    return nullptr;
  }

  // Whether `old`, a key of `from` that the plan drops, is re-created under its name with a new
  // definition that an index built beside it can take over: then the drop waits for the new
  // index and both happen in one statement. Not when a column change of the table could meet
  // the old key on the way (a dropped column takes it along, DROP NOT NULL is refused under a
  // primary key).
  bool SwappedKey(const schema::Constraint& old) const {
    if (!schema::IsKey(old.type) || !Exists(old.table) || Partitioned(old.table) ||
        column_changed_tables_.count(old.table) ||
        !dropped_constraints_.count({old.table, old.name}) ||
        !added_constraints_.count({old.table, old.name})) {
      return false;
    }
    for (const schema::Constraint& added : to_.constraints) {
      if (added.table != old.table || added.name != old.name) continue;
      return schema::IsKey(added.type) && !IsNotValid(added.definition) &&
             added.definition.find(" USING INDEX ") == std::string::npos &&
             SplitKey(added.definition).has_value();
    }
    return false;
  }

  // A name for the index a re-created key is built under, unused by any relation.
  std::string TemporaryIndexName(const QualifiedName& table, const std::string& name) {
    static const std::string kSuffix = "__retort_new";
    std::string base = ClipUtf8(name, kMaxNameBytes - kSuffix.size()) + kSuffix;
    std::string candidate = base;
    for (int n = 1; !relation_names_.insert({table.schema, candidate}).second; ++n) {
      std::string number = std::to_string(n);
      candidate = ClipUtf8(base, kMaxNameBytes - number.size()) + number;
    }
    return candidate;
  }

  // ---- partitioned tables

  std::vector<const schema::Table*> PartitionsOf(const Database& side,
                                                 const QualifiedName& table) const {
    std::vector<const schema::Table*> partitions;
    for (const schema::Table& candidate : side.tables) {
      if (candidate.partition_of == table) partitions.push_back(&candidate);
    }
    return partitions;
  }

  // The partitioned table (`table` or one below it) whose partitions this migration adds,
  // removes or re-creates, "" when none: the recipe on partitions knows the partitions of
  // `from` only, and a partition the plan creates or drops around it would leave the parent's
  // index invalid.
  std::string PartitionsChanging(const QualifiedName& table, int depth = 0) const {
    if (depth > 32) return table.Sql();
    std::vector<const schema::Table*> before = PartitionsOf(from_, table);
    std::vector<const schema::Table*> after = PartitionsOf(to_, table);
    if (before.size() != after.size()) return table.Sql();
    for (size_t i = 0; i < before.size(); ++i) {
      if (before[i]->name != after[i]->name || before[i]->partitioned != after[i]->partitioned ||
          !Exists(before[i]->name)) {
        return table.Sql();
      }
      if (before[i]->partitioned) {
        std::string below = PartitionsChanging(before[i]->name, depth + 1);
        if (!below.empty()) return below;
      }
    }
    return "";
  }

  // Every relation name of the schemas (tables, views, sequences, types with a row type, indexes
  // and the indexes of keys) and every constraint name: what PostgreSQL's ChooseRelationName
  // avoids. The indexes a partition got from its parent's are not in the model: they get the
  // names PostgreSQL gave them, most likely (the same choice, made when they were created).
  void TakeRelationNames() {
    for (const Database* side : {&from_, &to_}) {
      for (const schema::Table& table : side->tables) relation_names_.insert(Key(table.name));
      for (const schema::View& view : side->views) relation_names_.insert(Key(view.name));
      for (const schema::Sequence& sequence : side->sequences) {
        relation_names_.insert(Key(sequence.name));
      }
      for (const schema::CompositeType& type : side->composite_types) {
        relation_names_.insert(Key(type.name));
      }
      for (const schema::Index& index : side->indexes) relation_names_.insert(Key(index.name));
      for (const schema::Constraint& constraint : side->constraints) {
        constraint_names_.insert({constraint.table.schema, constraint.name});
        if (schema::HasIndex(constraint.type)) {
          relation_names_.insert({constraint.table.schema, constraint.name});
        }
      }
    }
    for (const schema::Index& index : from_.indexes) {
      if (!Partitioned(index.table) || !index.valid) continue;
      std::vector<std::string> columns = IndexColumnNames(diff::IndexShape(index.definition));
      TakeInheritedNames(index.table, NameAddition(columns), "idx", false,
                         inherited_names_[{index.table, index.name.name}], 0);
    }
    for (const schema::Constraint& constraint : from_.constraints) {
      if (!Partitioned(constraint.table) || !schema::IsKey(constraint.type)) {
        continue;
      }
      std::optional<KeyParts> parts = SplitKey(constraint.definition);
      if (!parts) continue;
      TakeInheritedNames(constraint.table,
                         constraint.type == ConstraintType::kPrimaryKey
                             ? ""
                             : NameAddition(IndexColumnNames(parts->columns + parts->index_tail)),
                         constraint.type == ConstraintType::kPrimaryKey ? "pkey" : "key", true,
                         inherited_names_[{constraint.table, constraint.name}], 0);
    }
  }

  void TakeInheritedNames(const QualifiedName& table, const std::string& addition,
                          const std::string& label, bool constraint,
                          std::vector<std::pair<std::string, std::string>>& taken, int depth) {
    if (depth > 32) return;
    for (const schema::Table* partition : PartitionsOf(from_, table)) {
      taken.emplace_back(partition->name.schema,
                         ChooseName(partition->name, addition, label, constraint));
      if (partition->partitioned) {
        TakeInheritedNames(partition->name, addition, label, constraint, taken, depth + 1);
      }
    }
  }

  // The partitions' indexes of a partitioned table's index or key go with it when the plan
  // drops it (the steps come in order: a drop before a creation frees the names for it).
  void ReleaseInheritedNames(const QualifiedName& table, const std::string& name) {
    auto found = inherited_names_.find({table, name});
    if (found == inherited_names_.end()) return;
    for (const auto& key : found->second) {
      relation_names_.erase(key);
      constraint_names_.erase(key);
    }
    inherited_names_.erase(found);
  }

  static std::pair<std::string, std::string> Key(const QualifiedName& name) {
    return {name.schema, name.name};
  }

  // PostgreSQL's ChooseIndexName for an index it makes on `table` itself (ChooseRelationName):
  // <table>_<addition>_<label>, then _<label>1, _<label>2, ... past the names taken; a
  // constraint's ("pkey", "key") also past constraint names. `addition` "" for a primary key.
  std::string ChooseName(const QualifiedName& table, const std::string& addition,
                         const std::string& label, bool constraint) {
    for (int pass = 0;; ++pass) {
      std::string name =
          MakeObjectName(table.name, addition.empty() && label == "pkey" ? nullptr : &addition,
                         pass == 0 ? label : label + std::to_string(pass));
      std::pair<std::string, std::string> key{table.schema, name};
      if (relation_names_.count(key) || (constraint && constraint_names_.count(key))) continue;
      relation_names_.insert(key);
      if (constraint) constraint_names_.insert(key);
      return name;
    }
  }

  // An index of a partitioned table that exists: the index of the parent alone (ON ONLY, which
  // builds nothing), each partition's built CONCURRENTLY and attached; the last ATTACH makes
  // the parent's valid. A partition's own index of the same shape is attached instead of built,
  // as CREATE INDEX on the parent would.
  void PartitionedIndex(Step step) {
    auto& create = std::get<diff::CreateIndex>(step.change);
    const schema::Index index = create.index;
    // Kept ON ONLY by the renderer (an invalid index is created as written).
    create.index.valid = false;
    std::vector<RuleId> rules = {RuleId::kRequireConcurrentIndexCreation};
    if (index.unique) rules.push_back(RuleId::kAddingUniqueIndex);
    KeepPlain(std::move(step), rules,
              "PostgreSQL cannot build an index on a partitioned table CONCURRENTLY: the index "
              "of the parent alone (ON ONLY: builds nothing, invalid for now), then each "
              "partition's index built CONCURRENTLY and attached to it; the last ATTACH makes it "
              "valid.");
    std::string shape = diff::IndexShape(index.definition);
    std::string addition = NameAddition(IndexColumnNames(shape));
    AttachPartitionIndexes(index.name, index.table, index.unique, shape, addition, 0);
  }

  void AttachPartitionIndexes(const QualifiedName& parent_index, const QualifiedName& table,
                              bool unique, const std::string& shape, const std::string& addition,
                              int depth) {
    if (depth > 32) return;
    std::string create = unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
    for (const schema::Table* partition : PartitionsOf(from_, table)) {
      if (const schema::Index* own = AdoptableIndex(*partition, unique, shape)) {
        adopted_.insert(own->name);
        Step attach = Derived(diff::AttachIndex{parent_index, own->name});
        attach.mutable_details().comments.push_back(
            partition->name.Sql() + " has an index of this shape (" +
            QuoteIdentifier(own->name.name) + "): attached, not built again.");
        out_.push_back(std::move(attach));
        continue;
      }
      schema::Index child;
      child.name = {partition->name.schema, ChooseName(partition->name, addition, "idx", false)};
      child.table = partition->name;
      child.unique = unique;
      if (partition->partitioned) {
        child.definition =
            create + QuoteIdentifier(child.name.name) + " ON ONLY " + partition->name.Sql() + shape;
        child.valid = false;
        Step only = Derived(diff::CreateIndex{child});
        only.mutable_details().comments.push_back(
            "A partitioned partition: its own index ON ONLY, attached once "
            "its partitions' are.");
        only.mutable_details().lint_ignore.push_back(RuleId::kRequireConcurrentIndexCreation);
        if (unique) only.mutable_details().lint_ignore.push_back(RuleId::kAddingUniqueIndex);
        out_.push_back(std::move(only));
        AttachPartitionIndexes(child.name, partition->name, unique, shape, addition, depth + 1);
      } else {
        child.definition =
            create + QuoteIdentifier(child.name.name) + " ON " + partition->name.Sql() + shape;
        Step build = Derived(diff::CreateIndex{child, /*concurrently=*/true});
        build.transactional = false;
        if (unique) UniqueBuildFailsOnDuplicates(build, partition->name);
        out_.push_back(std::move(build));
      }
      out_.push_back(Derived(diff::AttachIndex{parent_index, child.name}));
    }
  }

  // A partition's own index that CREATE INDEX on its parent would attach: same shape, valid, not
  // kept as the partition's own in `to` (the diff counts on it being attached) and not dropped.
  const schema::Index* AdoptableIndex(const schema::Table& partition, bool unique,
                                      const std::string& shape) const {
    for (const schema::Index& index : from_.indexes) {
      if (index.table != partition.name || index.unique != unique || !index.valid ||
          diff::IndexShape(index.definition) != shape || adopted_.count(index.name) ||
          dropped_indexes_.count(index.name)) {
        continue;
      }
      bool kept = std::any_of(to_.indexes.begin(), to_.indexes.end(),
                              [&](const schema::Index& other) { return other.name == index.name; });
      if (!kept) return &index;
    }
    return nullptr;
  }

  // A primary key or unique constraint of a partitioned table that exists: PostgreSQL has no
  // USING INDEX there, but ADD CONSTRAINT on the parent attaches each partition's matching
  // constraint instead of building an index. So each partition gets its own first (its index
  // built CONCURRENTLY, then ADD CONSTRAINT ... USING INDEX), under the name PostgreSQL would
  // give it, and the parent's ADD CONSTRAINT builds nothing.
  void PartitionedKey(Step step, const KeyParts& parts) {
    const schema::Constraint constraint = std::get<diff::AddConstraint>(step.change).constraint;
    std::string addition = constraint.type == ConstraintType::kPrimaryKey
                               ? ""
                               : NameAddition(IndexColumnNames(parts.columns + parts.index_tail));
    AddPartitionKeys(constraint, constraint.table, parts, addition, 0);
    KeepPlain(std::move(step), {RuleId::kAddingUniqueConstraint},
              "Builds nothing: every partition has its matching constraint (above), which "
              "PostgreSQL attaches (ACCESS EXCLUSIVE on " +
                  constraint.table.Sql() + " briefly).");
  }

  void AddPartitionKeys(const schema::Constraint& parent, const QualifiedName& table,
                        const KeyParts& parts, const std::string& addition, int depth) {
    if (depth > 32) return;
    for (const schema::Table* partition : PartitionsOf(from_, table)) {
      schema::Constraint key = parent;
      key.table = partition->name;
      key.name = ChooseName(partition->name, addition,
                            parent.type == ConstraintType::kPrimaryKey ? "pkey" : "key", true);
      key.comment.reset();
      if (partition->partitioned) {
        AddPartitionKeys(parent, partition->name, parts, addition, depth + 1);
        KeepPlain(Derived(diff::AddConstraint{key}), {RuleId::kAddingUniqueConstraint},
                  "Builds nothing: its partitions' constraints (above) are attached.");
        continue;
      }
      BuildUniqueIndex(partition->name, key.name, parts);
      key.definition = parts.kind + " USING INDEX " + QuoteIdentifier(key.name) + parts.deferrable;
      out_.push_back(Derived(diff::AddConstraint{key}));
    }
  }

  // A CHECK name of the table not used on either side, for the NOT NULL recipe.
  std::string CheckName(const QualifiedName& table, const std::string& column) {
    std::string base = table.name + "_" + column + "_not_null";
    std::string name = base;
    for (int n = 1;; ++n) {
      if (name.size() > 63) {
        // NAMEDATALEN: cut on a UTF-8 character boundary, before the suffix.
        std::string suffix = n > 1 ? std::to_string(n) : "";
        name = ClipUtf8(base, 63 - suffix.size()) + suffix;
      }
      if (taken_constraint_names_.insert({table, name}).second) return name;
      name = base + std::to_string(n + 1);
    }
  }

  // CHECK (c IS NOT NULL) NOT VALID; VALIDATE (its own transaction, no ACCESS EXCLUSIVE during
  // the scan); SET NOT NULL (PostgreSQL 12+ sees the valid CHECK and skips its scan); DROP CHECK.
  void NotNullRecipe(const QualifiedName& table, const std::string& column, Step set_not_null) {
    schema::Constraint check;
    check.table = table;
    check.name = CheckName(table, column);
    check.type = ConstraintType::kCheck;
    check.definition = "CHECK (" + QuoteIdentifier(column) + " IS NOT NULL)";
    schema::Constraint not_valid = check;
    not_valid.definition += " NOT VALID";
    Step add = Derived(diff::AddConstraint{not_valid});
    add.mutable_details().comments.push_back(
        "NOT NULL without a scan under ACCESS EXCLUSIVE: a CHECK validated "
        "apart, which SET NOT NULL then relies on.");
    out_.push_back(std::move(add));
    Step validate = Derived(diff::ValidateConstraint{check});
    validate.commits_apart = true;
    out_.push_back(std::move(validate));
    set_not_null.mutable_details().hazards.clear();  // the validated CHECK spares the scan
    out_.push_back(std::move(set_not_null));
    out_.push_back(Derived(diff::DropConstraint{check}));
  }

  void SetNotNull(Step step) {
    const auto change = std::get<diff::SetNotNull>(step.change);
    if (!Exists(change.table)) {
      out_.push_back(std::move(step));
      return;
    }
    NotNullRecipe(change.table, change.column, std::move(step));
  }

  // A unique NOT NULL column of `table` (a one-column primary key, typically) that stays through
  // the plan: what a keyed backfill walks. "" when there is none.
  std::string BackfillKey(const QualifiedName& table) const {
    const schema::Table* model = nullptr;
    for (const schema::Table& candidate : from_.tables) {
      if (candidate.name == table) model = &candidate;
    }
    if (model == nullptr) return "";
    for (const schema::Constraint& constraint : from_.constraints) {
      if (constraint.table != table || !schema::IsKey(constraint.type)) {
        continue;
      }
      if (dropped_constraints_.count({table, constraint.name})) continue;
      bool kept = std::any_of(to_.constraints.begin(), to_.constraints.end(),
                              [&](const schema::Constraint& other) { return other == constraint; });
      std::string column = SingleKeyColumn(constraint.definition);
      if (!kept || column.empty()) continue;
      bool not_null = constraint.type == ConstraintType::kPrimaryKey;
      for (const schema::Column& candidate : model->columns) {
        if (QuoteIdentifier(candidate.name) == column && candidate.not_null) not_null = true;
      }
      if (not_null) return column;
    }
    return "";
  }

  void AddColumn(Step step) {
    const auto change = std::get<diff::AddColumn>(step.change);
    const schema::Column& column = change.column;
    if (!Exists(change.table)) {
      out_.push_back(std::move(step));
      return;
    }
    if (column.generated_expr()) {
      KeepPlain(std::move(step), {RuleId::kAddingGeneratedColumn},
                "Rewrites " + change.table.Sql() +
                    " under ACCESS EXCLUSIVE: a stored generated column has no online form. "
                    "Online: a plain column filled in batches and kept current by a trigger.");
      return;
    }
    if (column.identity) {
      KeepPlain(std::move(step), {RuleId::kVolatileDefault},
                "Rewrites " + change.table.Sql() +
                    " under ACCESS EXCLUSIVE: an identity column is filled row by row. Online: "
                    "a nullable column with a sequence default, a batched backfill, NOT NULL, "
                    "then ADD GENERATED ... AS IDENTITY (RESTART past the largest value).");
      return;
    }
    if (!column.default_expr || DefaultIsStoredOnce(*column.default_expr)) {
      out_.push_back(std::move(step));
      return;
    }
    std::string key = BackfillKey(change.table);
    if (key.empty()) {
      KeepPlain(std::move(step), {RuleId::kVolatileDefault},
                "Rewrites " + change.table.Sql() +
                    " under ACCESS EXCLUSIVE (the default is computed per row). No batched "
                    "backfill: the table has no one-column unique NOT NULL key to walk.");
      return;
    }
    schema::Column nullable = column;
    nullable.not_null = false;
    nullable.default_expr.reset();
    Step add = Derived(diff::AddColumn{change.table, nullable});
    add.mutable_details().comments.push_back(
        "The default is computed per row: added without it, set for new rows, "
        "existing rows filled in batches" +
        std::string(column.not_null ? ", then NOT NULL." : "."));
    out_.push_back(std::move(add));
    out_.push_back(
        Derived(diff::SetColumnDefault{change.table, column.name, *column.default_expr}));
    Step fill = Derived(diff::BackfillColumn{change.table, column.name, key});
    fill.commits_apart = true;
    fill.mutable_details().directives.push_back("batch size=10000 key=" + key);
    out_.push_back(std::move(fill));
    if (column.not_null) {
      NotNullRecipe(change.table, column.name,
                    Derived(diff::SetNotNull{change.table, column.name}));
    }
  }

  // A type (or collation) that columns use, replaced: each of those columns is converted by an
  // ALTER COLUMN ... TYPE of its own, which rewrites its table unless nothing but the catalog
  // changes. Kept as one unit, said so.
  void Swap(Step step, std::vector<QualifiedName> tables, const std::string& type) {
    std::vector<std::string> existing;
    for (const QualifiedName& table : tables) {
      if (Exists(table) &&
          std::find(existing.begin(), existing.end(), table.Sql()) == existing.end()) {
        existing.push_back(table.Sql());
      }
    }
    if (existing.empty()) {
      out_.push_back(std::move(step));
      return;
    }
    step.directives_on_every_alter_table = true;
    step.mutable_details().note =
        "replacing " + type + " converts columns of " + Join(existing, ", ") +
        " under ACCESS EXCLUSIVE (a rewrite unless the conversion is binary coercible)";
    KeepPlain(std::move(step), {RuleId::kChangingColumnType},
              "Converts the columns of " + Join(existing, ", ") + " that use " + type +
                  " under ACCESS EXCLUSIVE, a rewrite unless binary coercible. Online, over "
                  "several releases: a new column of the new type per column, kept in step by a "
                  "trigger and filled in batches, then switched to and the old one dropped.");
  }

  void AlterColumnType(Step step) {
    const auto change = std::get<diff::AlterColumnType>(step.change);
    if (!Exists(change.table)) {
      out_.push_back(std::move(step));
      return;
    }
    std::string column = change.table.Sql() + "." + QuoteIdentifier(change.to.name);
    step.mutable_details().comments.push_back(
        "Rewrites " + change.table.Sql() +
        " and rebuilds its indexes under ACCESS EXCLUSIVE "
        "(unless the types are binary coercible). Online, over several releases (expand and "
        "contract): add a column of type " +
        change.to.type +
        ", keep it in step with a trigger, "
        "backfill it in batches keyed by the primary key, move readers and writers to it, then "
        "drop the old column and rename the new one.");
    step.mutable_details().lint_ignore.push_back(RuleId::kChangingColumnType);
    step.mutable_details().note =
        "the type change of " + column +
        " rewrites the table under ACCESS EXCLUSIVE; the online expand/contract recipe is "
        "in the file as a comment";
    out_.push_back(std::move(step));
  }

  const Database& from_;
  const Database& to_;
  std::set<QualifiedName> existing_;
  std::set<QualifiedName> partitioned_;
  std::set<std::pair<QualifiedName, std::string>> dropped_constraints_;
  std::set<std::pair<QualifiedName, std::string>> taken_constraint_names_;
  std::set<QualifiedName> dropped_indexes_;
  std::set<QualifiedName> adopted_;
  std::set<std::pair<QualifiedName, std::string>> added_constraints_;
  std::set<QualifiedName> column_changed_tables_;
  // (schema, name) of every relation and every constraint: what generated names avoid.
  std::set<std::pair<std::string, std::string>> relation_names_;
  std::set<std::pair<std::string, std::string>> constraint_names_;
  // The names taken for the partitions' indexes of each partitioned table's index or key of
  // `from`, by (table, index or constraint name).
  std::map<std::pair<QualifiedName, std::string>, std::vector<std::pair<std::string, std::string>>>
      inherited_names_;
  std::vector<Step> out_;
};

}  // namespace

std::string DefaultIndexName(const std::string& table, const std::string& shape) {
  std::string addition = NameAddition(IndexColumnNames(shape));
  return MakeObjectName(table, &addition, "idx");
}

bool DefaultIsStoredOnce(const std::string& expression) {
  std::string_view text = expression;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'') {
      // E'' strings escape with a backslash; '' escapes in both.
      bool escaped = i > 0 && (text[i - 1] == 'E' || text[i - 1] == 'e');
      for (++i; i < text.size(); ++i) {
        if (escaped && text[i] == '\\') {
          ++i;
        } else if (text[i] == '\'') {
          if (i + 1 < text.size() && text[i + 1] == '\'') {
            ++i;
          } else {
            break;
          }
        }
      }
    } else if (c == '"') {
      size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      i = close;
      // A quoted name followed by `(` calls a function lint cannot vouch for.
      if (i + 1 < text.size() && text[i + 1] == '(') return false;
    } else if (c == ':' && i + 1 < text.size() && text[i + 1] == ':') {
      // A cast's type name, typmods included: `::numeric(10,2)`, `::character varying(5)[]`.
      i += 2;
      while (i < text.size()) {
        if (IsNameChar(text[i]) || text[i] == ' ' || text[i] == '[' || text[i] == ']') {
          ++i;
        } else if (text[i] == '(') {
          i = SkipParenthesized(text, i);
        } else {
          break;
        }
      }
      --i;
    } else if (IsNameChar(c) && (i == 0 || !IsNameChar(text[i - 1]))) {
      size_t end = i;
      while (end < text.size() && IsNameChar(text[end])) ++end;
      if (end < text.size() && text[end] == '(') {
        std::string name = ToLower(text.substr(i, end - i));
        if (StartsWith(name, "pg_catalog.")) name = name.substr(11);
        if (std::find(kStableBuiltinFunctions.begin(), kStableBuiltinFunctions.end(), name) ==
            kStableBuiltinFunctions.end()) {
          return false;
        }
      }
      i = end - 1;
    }
  }
  return true;
}

void MakeOnline(Plan& plan, const Database& from, const Database& to) {
  Onliner onliner(plan, from, to);
  for (Step& step : plan.steps) onliner.Add(std::move(step));
  plan.steps = onliner.Take();
}

}  // namespace retort::plan
