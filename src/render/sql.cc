#include "render/sql.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "base/overloaded.h"
#include "base/strings.h"

namespace retort::render {

using schema::Column;
using schema::QualifiedName;
using schema::SequenceOptions;

namespace {

std::string ColumnName(const QualifiedName& table, const std::string& column) {
  return Name(table) + "." + Ident(column);
}

std::string AlterTable(const QualifiedName& table) { return "ALTER TABLE " + Name(table); }

std::string AlterColumn(const QualifiedName& table, const std::string& column) {
  return AlterTable(table) + " ALTER COLUMN " + Ident(column);
}

// An operator's symbol is never quoted: `public.~~~`.
std::string OperatorName(const QualifiedName& name) {
  return QuoteIdentifier(name.schema) + "." + name.name;
}

// The model keeps collations SQL-ready (`"C"`, `myschema."de_DE"`).
std::string Collation(const std::string& collation) { return collation; }

std::string Role(const std::string& role) {
  if (role == "PUBLIC" || role == "public") return "PUBLIC";
  return Ident(role);
}

std::string Parenthesized(const std::string& expression) { return "(" + expression + ")"; }

// "SELECT, UPDATE", or for column privileges "SELECT (c), UPDATE (c)".
std::string Privileges(const std::vector<std::string>& privileges, const std::string& column) {
  if (column.empty()) return Join(privileges, ", ");
  std::vector<std::string> items;
  for (const std::string& privilege : privileges) {
    items.push_back(privilege + " (" + Ident(column) + ")");
  }
  return Join(items, ", ");
}

std::string GrantedObject(diff::GrantObject object, const QualifiedName& name,
                          const std::string& arguments) {
  switch (object) {
    case diff::GrantObject::kTable:
      return "TABLE " + Name(name);
    case diff::GrantObject::kSequence:
      return "SEQUENCE " + Name(name);
    case diff::GrantObject::kFunction:
      return "FUNCTION " + Name(name) + "(" + arguments + ")";
    case diff::GrantObject::kProcedure:
      return "PROCEDURE " + Name(name) + "(" + arguments + ")";
    case diff::GrantObject::kRoutine:
      return "ROUTINE " + Name(name) + "(" + arguments + ")";
    case diff::GrantObject::kSchema:
      return "SCHEMA " + Ident(name.name);
  }
  return "";
}

// Without trailing whitespace and semicolons: the catalog's definitions are statements.
std::string Statement(std::string_view text) {
  size_t end = text.size();
  while (end > 0 &&
         (std::isspace(static_cast<unsigned char>(text[end - 1])) || text[end - 1] == ';')) {
    --end;
  }
  return std::string(text.substr(0, end));
}

struct TypeRange {
  int64_t min;
  int64_t max;
};

TypeRange RangeOf(const std::string& data_type) {
  if (data_type == "smallint") return {-32768, 32767};
  if (data_type == "integer")
    return {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()};
  return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
}

// The options CREATE SEQUENCE would pick for `data_type` and `increment` when none is given.
SequenceOptions DefaultOptions(const std::string& data_type, int64_t increment) {
  SequenceOptions defaults;
  defaults.data_type = data_type;
  defaults.increment = increment;
  TypeRange range = RangeOf(data_type);
  if (increment > 0) {
    defaults.min_value = 1;
    defaults.max_value = range.max;
    defaults.start = 1;
  } else {
    defaults.min_value = range.min;
    defaults.max_value = -1;
    defaults.start = -1;
  }
  return defaults;
}

// Option clauses of `options` that differ from `base` (every one when `base` is null).
// `prefix` is "SET " inside ALTER COLUMN ... SET GENERATED.
std::vector<std::string> OptionClauses(const SequenceOptions& options, const SequenceOptions& base,
                                       const std::string& prefix) {
  std::vector<std::string> clauses;
  if (options.increment != base.increment) {
    clauses.push_back(prefix + "INCREMENT BY " + std::to_string(options.increment));
  }
  if (options.min_value != base.min_value) {
    clauses.push_back(prefix + "MINVALUE " + std::to_string(options.min_value));
  }
  if (options.max_value != base.max_value) {
    clauses.push_back(prefix + "MAXVALUE " + std::to_string(options.max_value));
  }
  if (options.start != base.start) {
    clauses.push_back(prefix + "START WITH " + std::to_string(options.start));
  }
  if (options.cache != base.cache) {
    clauses.push_back(prefix + "CACHE " + std::to_string(options.cache));
  }
  if (options.cycle != base.cycle)
    clauses.push_back(prefix + (options.cycle ? "CYCLE" : "NO CYCLE"));
  return clauses;
}

// The clauses CREATE SEQUENCE (or an identity column) needs beyond the defaults.
std::vector<std::string> CreationClauses(const SequenceOptions& options) {
  SequenceOptions defaults = DefaultOptions(options.data_type, options.increment);
  defaults.increment = 1;
  return OptionClauses(options, defaults, "");
}

std::string IdentityClause(const Column& column) {
  std::string clause =
      column.identity == 'a' ? "GENERATED ALWAYS AS IDENTITY" : "GENERATED BY DEFAULT AS IDENTITY";
  if (column.identity_options()) {
    auto clauses = CreationClauses(*column.identity_options());
    if (!clauses.empty()) clause += " (" + Join(clauses, " ") + ")";
  }
  return clause;
}

// Appends the column's definition to `out` (one CREATE TABLE holds many: no temporaries).
void AppendColumnDefinition(const Column& column, std::string* out) {
  std::string& sql = *out;
  sql += Ident(column.name);
  sql += ' ';
  sql += column.type;
  if (column.collation()) {
    sql += " COLLATE ";
    sql += Collation(*column.collation());
  }
  if (column.generated_expr()) {
    sql += " GENERATED ALWAYS AS (";
    sql += *column.generated_expr();
    sql += ") STORED";
  } else if (column.identity) {
    sql += ' ';
    sql += IdentityClause(column);
  } else if (column.default_expr) {
    sql += " DEFAULT ";
    sql += *column.default_expr;
  }
  if (column.not_null) sql += " NOT NULL";
}

std::string ColumnDefinition(const Column& column) {
  std::string sql;
  AppendColumnDefinition(column, &sql);
  return sql;
}

std::string ReplicaIdentity(const diff::SetReplicaIdentity& change) {
  switch (change.identity) {
    case 'f':
      return "FULL";
    case 'n':
      return "NOTHING";
    case 'i':
      return "USING INDEX " + Ident(change.index);
    default:
      return "DEFAULT";
  }
}

// EXTENDED, the storage most types have, for a code without a name.
std::string StorageName(char storage) {
  std::string_view keyword = schema::StorageKeyword(storage);
  return ToUpper(keyword.empty() ? "extended" : keyword);
}

// DEFAULT: the server's default_toast_compression.
std::string CompressionName(char compression) {
  std::string_view method = schema::CompressionMethod(compression);
  return method.empty() ? "default" : std::string(method);
}

std::string CreateTable(const schema::Table& table) {
  std::string sql = table.unlogged ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ";
  sql += Name(table.name);
  if (table.partition_of) {
    sql += " PARTITION OF " + Name(*table.partition_of);
    std::vector<std::string> overrides;
    for (const Column& column : table.columns) {
      std::string item = Ident(column.name) + " WITH OPTIONS";
      size_t bare = item.size();
      if (column.default_expr) item += " DEFAULT " + *column.default_expr;
      if (column.not_null) item += " NOT NULL";
      if (item.size() > bare) overrides.push_back(item);
    }
    if (!overrides.empty()) sql += " (\n    " + Join(overrides, ",\n    ") + "\n)";
    sql += " " + table.partition_bound.value_or("DEFAULT");
  } else {
    // A column the child has only from its parents is not listed (that would make it the
    // child's own): the diff sets what differs from the parent's column by ALTER afterwards.
    size_t size = sql.size() + 8;
    size_t listed = 0;
    for (const Column& column : table.columns) {
      if (column.inherited_only) continue;
      ++listed;
      size += column.name.size() + column.type.size() + 16 +
              (column.default_expr ? column.default_expr->size() + 9 : 0) +
              (column.generated_expr() ? column.generated_expr()->size() + 32 : 0);
    }
    if (listed == 0) {
      sql += " ()";
    } else {
      sql.reserve(size);
      sql += " (\n    ";
      bool first = true;
      for (const Column& column : table.columns) {
        if (column.inherited_only) continue;
        if (!first) sql += ",\n    ";
        first = false;
        AppendColumnDefinition(column, &sql);
      }
      sql += "\n)";
    }
    if (!table.inherits.empty()) {
      std::vector<std::string> parents;
      for (const auto& parent : table.inherits) parents.push_back(Name(parent));
      sql += " INHERITS (" + Join(parents, ", ") + ")";
    }
  }
  if (table.partition_key) sql += " PARTITION BY " + *table.partition_key;
  if (!table.options.empty()) sql += " WITH (" + Join(table.options, ", ") + ")";
  return sql;
}

std::vector<std::string> Labels(const std::vector<std::string>& labels) {
  std::vector<std::string> quoted;
  for (const auto& label : labels) quoted.push_back(QuoteLiteral(label));
  return quoted;
}

std::string CreateEnum(const QualifiedName& name, const std::vector<std::string>& labels) {
  return "CREATE TYPE " + Name(name) + " AS ENUM (" + Join(Labels(labels), ", ") + ")";
}

std::string CreateDomain(const QualifiedName& name, const schema::Domain& domain) {
  std::string sql = "CREATE DOMAIN " + Name(name) + " AS " + domain.base_type;
  if (domain.collation) sql += " COLLATE " + Collation(*domain.collation);
  if (domain.default_expr) sql += " DEFAULT " + *domain.default_expr;
  if (domain.not_null) sql += " NOT NULL";
  for (const auto& constraint : domain.constraints) {
    sql += "\n    CONSTRAINT " + Ident(constraint.name) + " " + constraint.definition;
  }
  return sql;
}

// Create the new type under a temporary name, move the columns, drop the old, rename.
std::vector<std::string> Swap(const QualifiedName& name, const std::string& create_temporary,
                              const std::vector<diff::ColumnUse>& uses, bool through_text,
                              const std::string& drop_keyword) {
  QualifiedName temporary = SwapName(name);
  std::vector<std::string> statements{create_temporary};
  for (const auto& use : uses) {
    if (use.default_expr) {
      statements.push_back(AlterColumn(use.table, use.column) + " DROP DEFAULT");
    }
  }
  for (const auto& use : uses) {
    std::string suffix = use.array ? "[]" : "";
    std::string via = through_text ? "::text" + suffix : "";
    statements.push_back(AlterColumn(use.table, use.column) + " TYPE " + Name(temporary) + suffix +
                         " USING " + Ident(use.column) + via + "::" + Name(temporary) + suffix);
  }
  statements.push_back("DROP " + drop_keyword + " " + Name(name));
  statements.push_back("ALTER " + drop_keyword + " " + Name(temporary) + " RENAME TO " +
                       Ident(name.name));
  return statements;
}

// The name an enum (or a domain over it) has while its replacement is created.
QualifiedName OldName(const QualifiedName& name) {
  static const std::string kSuffix = "__retort_old";
  return {name.schema, name.name.substr(0, 63 - kSuffix.size()) + kSuffix};
}

// ALTER COLUMN ... TYPE `type` USING col::text::type for each use (arrays: ::text[]::type[]).
void ConvertThroughText(const std::vector<diff::ColumnUse>& uses, const QualifiedName& type,
                        std::vector<std::string>& statements) {
  for (const auto& use : uses) {
    if (use.default_expr) {
      statements.push_back(AlterColumn(use.table, use.column) + " DROP DEFAULT");
    }
  }
  for (const auto& use : uses) {
    std::string suffix = use.array ? "[]" : "";
    statements.push_back(AlterColumn(use.table, use.column) + " TYPE " + Name(type) + suffix +
                         " USING " + Ident(use.column) + "::text" + suffix + "::" + Name(type) +
                         suffix);
  }
}

// Renames the old enum out of the way first, so that the new type, and the domains created
// again over it, are created under their final names: their defaults and checks, printed
// against the final name ('a'::mood), then name the new type.
std::vector<std::string> SwapEnumStatements(const diff::SwapEnum& change) {
  const QualifiedName& name = change.to->name;
  std::vector<std::string> statements{"ALTER TYPE " + Name(name) + " RENAME TO " +
                                      Ident(OldName(name).name)};
  statements.push_back(CreateEnum(name, change.to->labels));
  ConvertThroughText(change.uses, name, statements);
  for (const diff::RebasedDomain& domain : change.domains) {
    const QualifiedName& domain_name = domain.to.name;
    statements.push_back("ALTER DOMAIN " + Name(domain_name) + " RENAME TO " +
                         Ident(OldName(domain_name).name));
    statements.push_back(CreateDomain(domain_name, domain.to));
    ConvertThroughText(domain.uses, domain_name, statements);
    statements.push_back("DROP DOMAIN " + Name(OldName(domain_name)));
  }
  statements.push_back("DROP TYPE " + Name(OldName(name)));
  return statements;
}

std::string CommentTarget(const diff::CommentTarget& target) {
  using Kind = diff::CommentTarget::Kind;
  switch (target.kind) {
    case Kind::kSchema:
      return "SCHEMA " + Ident(target.name.name);
    case Kind::kType:
      return "TYPE " + Name(target.name);
    case Kind::kDomain:
      return "DOMAIN " + Name(target.name);
    case Kind::kSequence:
      return "SEQUENCE " + Name(target.name);
    case Kind::kTable:
      return "TABLE " + Name(target.name);
    case Kind::kView:
      return "VIEW " + Name(target.name);
    case Kind::kMaterializedView:
      return "MATERIALIZED VIEW " + Name(target.name);
    case Kind::kColumn:
      return "COLUMN " + ColumnName(target.name, target.member);
    case Kind::kConstraint:
      return "CONSTRAINT " + Ident(target.member) + " ON " + Name(target.name);
    case Kind::kDomainConstraint:
      return "CONSTRAINT " + Ident(target.member) + " ON DOMAIN " + Name(target.name);
    case Kind::kIndex:
      return "INDEX " + Name(target.name);
    case Kind::kFunction:
      return "FUNCTION " + Name(target.name) + "(" + target.arguments + ")";
    case Kind::kProcedure:
      return "PROCEDURE " + Name(target.name) + "(" + target.arguments + ")";
    case Kind::kAggregate:
      return "AGGREGATE " + Name(target.name) + "(" + target.arguments + ")";
    case Kind::kTrigger:
      return "TRIGGER " + Ident(target.member) + " ON " + Name(target.name);
    case Kind::kPolicy:
      return "POLICY " + Ident(target.member) + " ON " + Name(target.name);
    case Kind::kRule:
      return "RULE " + Ident(target.member) + " ON " + Name(target.name);
    case Kind::kCollation:
      return "COLLATION " + Name(target.name);
    case Kind::kOperator:
      return "OPERATOR " + OperatorName(target.name) + " (" + target.arguments + ")";
    case Kind::kOperatorClass:
      return "OPERATOR CLASS " + Name(target.name) + " USING " + Ident(target.member);
    case Kind::kOperatorFamily:
      return "OPERATOR FAMILY " + Name(target.name) + " USING " + Ident(target.member);
  }
  return "";
}

std::string FunctionKeyword(char kind) {
  if (kind == 'p') return "PROCEDURE";
  if (kind == 'a') return "AGGREGATE";
  return "FUNCTION";
}

std::string Roles(const std::vector<std::string>& roles) {
  std::vector<std::string> names;
  for (const auto& role : roles) names.push_back(Role(role));
  return Join(names, ", ");
}

bool EveryoneOnly(const std::vector<std::string>& roles) {
  return roles.empty() || (roles.size() == 1 && Role(roles[0]) == "PUBLIC");
}

std::string CreatePolicy(const schema::Policy& policy) {
  std::string sql = "CREATE POLICY " + Ident(policy.name) + " ON " + Name(policy.table);
  if (!policy.permissive) sql += " AS RESTRICTIVE";
  if (!policy.command.empty() && policy.command != "ALL") sql += " FOR " + policy.command;
  if (!EveryoneOnly(policy.roles)) sql += " TO " + Roles(policy.roles);
  if (policy.using_expr) sql += " USING " + Parenthesized(*policy.using_expr);
  if (policy.check_expr) sql += " WITH CHECK " + Parenthesized(*policy.check_expr);
  return sql;
}

std::string CreateIndex(const schema::Index& index) {
  // pg_get_indexdef says ON ONLY for a partitioned table's index: that form would not cascade
  // to the partitions. An invalid one was made ON ONLY and is waiting for its partitions'
  // indexes to be attached: kept so, since CREATE INDEX would make it valid.
  std::string sql = Statement(index.definition);
  if (!index.valid) return sql;
  size_t only = sql.find(" ON ONLY ");
  size_t using_at = sql.find(" USING ");
  if (only != std::string::npos && (using_at == std::string::npos || only < using_at)) {
    sql.replace(only, 9, " ON ");
  }
  return sql;
}

std::string CreateView(const schema::View& view) {
  std::string sql = view.materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ";
  sql += Name(view.name);
  if (!view.options.empty()) sql += " WITH (" + Join(view.options, ", ") + ")";
  // pg_dump's layout: the query on the next line, indented by one space.
  sql += " AS\n " + std::string(Trim(Statement(view.definition)));
  return sql;
}

std::vector<std::string> AlterDomain(const diff::AlterDomain& change) {
  std::vector<std::string> statements;
  std::string prefix = "ALTER DOMAIN " + Name(change.to->name);
  const schema::Domain& from = *change.from;
  const schema::Domain& to = *change.to;
  std::map<std::string, std::string> old_constraints;
  for (const auto& c : from.constraints) old_constraints[c.name] = c.definition;
  std::map<std::string, std::string> new_constraints;
  for (const auto& c : to.constraints) new_constraints[c.name] = c.definition;
  for (const auto& c : from.constraints) {
    auto it = new_constraints.find(c.name);
    if (it == new_constraints.end() || it->second != c.definition) {
      statements.push_back(prefix + " DROP CONSTRAINT " + Ident(c.name));
    }
  }
  if (from.default_expr != to.default_expr) {
    statements.push_back(prefix +
                         (to.default_expr ? " SET DEFAULT " + *to.default_expr : " DROP DEFAULT"));
  }
  if (from.not_null != to.not_null) {
    statements.push_back(prefix + (to.not_null ? " SET NOT NULL" : " DROP NOT NULL"));
  }
  for (const auto& c : to.constraints) {
    auto it = old_constraints.find(c.name);
    if (it == old_constraints.end() || it->second != c.definition) {
      statements.push_back(prefix + " ADD CONSTRAINT " + Ident(c.name) + " " + c.definition);
    }
  }
  return statements;
}

std::string AlterComposite(const diff::AlterCompositeType& change) {
  std::vector<std::string> actions;
  std::map<std::string, const schema::CompositeAttribute*> old_attributes;
  for (const auto& a : change.from->attributes) old_attributes[a.name] = &a;
  std::set<std::string> new_names;
  for (const auto& a : change.to->attributes) new_names.insert(a.name);
  for (const auto& a : change.from->attributes) {
    if (!new_names.count(a.name)) actions.push_back("DROP ATTRIBUTE " + Ident(a.name));
  }
  for (const auto& a : change.to->attributes) {
    std::string collate = a.collation ? " COLLATE " + Collation(*a.collation) : "";
    auto it = old_attributes.find(a.name);
    if (it == old_attributes.end()) {
      actions.push_back("ADD ATTRIBUTE " + Ident(a.name) + " " + a.type + collate);
    } else if (!(*it->second == a)) {
      actions.push_back("ALTER ATTRIBUTE " + Ident(a.name) + " TYPE " + a.type + collate);
    }
  }
  return "ALTER TYPE " + Name(change.to->name) + "\n    " + Join(actions, ",\n    ");
}

std::string AlterSequence(const diff::AlterSequence& change) {
  const SequenceOptions& from = change.from->options;
  const SequenceOptions& to = change.to->options;
  std::vector<std::string> clauses;
  if (from.data_type != to.data_type) clauses.push_back("AS " + to.data_type);
  for (auto& clause : OptionClauses(to, from, "")) clauses.push_back(std::move(clause));
  return "ALTER SEQUENCE " + Name(change.to->name) + " " + Join(clauses, " ");
}

std::string CreateSequence(const schema::Sequence& sequence) {
  const SequenceOptions& options = sequence.options;
  std::string sql = "CREATE SEQUENCE " + Name(sequence.name);
  if (options.data_type != "bigint") sql += " AS " + options.data_type;
  auto clauses = CreationClauses(options);
  if (!clauses.empty()) sql += " " + Join(clauses, " ");
  return sql;
}

std::string AlterIdentity(const diff::AlterIdentity& change) {
  std::vector<std::string> clauses;
  if (change.from.identity != change.to.identity) {
    clauses.push_back(change.to.identity == 'a' ? "SET GENERATED ALWAYS"
                                                : "SET GENERATED BY DEFAULT");
  }
  if (change.to.identity_options()) {
    SequenceOptions base = change.from.identity_options().value_or(DefaultOptions(
        change.to.identity_options()->data_type, change.to.identity_options()->increment));
    for (auto& clause : OptionClauses(*change.to.identity_options(), base, "SET ")) {
      clauses.push_back(std::move(clause));
    }
  }
  return AlterColumn(change.table, change.to.name) + " " + Join(clauses, " ");
}

std::string AlterColumnType(const diff::AlterColumnType& change) {
  std::string sql = AlterColumn(change.table, change.to.name) + " TYPE " + change.to.type;
  if (change.to.collation()) {
    sql += " COLLATE " + Collation(*change.to.collation());
  } else if (change.from.collation()) {
    sql += " COLLATE \"default\"";
  }
  if (change.using_expr) {
    sql += " USING " + *change.using_expr;
  } else if (change.from.type != change.to.type && !change.to.generated_expr()) {
    sql += " USING " + Ident(change.to.name) + "::" + change.to.type;
  }
  return sql;
}

std::string TriggerEnabled(const schema::Trigger& trigger) {
  std::string action;
  switch (trigger.enabled) {
    case 'D':
      action = "DISABLE TRIGGER ";
      break;
    case 'R':
      action = "ENABLE REPLICA TRIGGER ";
      break;
    case 'A':
      action = "ENABLE ALWAYS TRIGGER ";
      break;
    default:
      action = "ENABLE TRIGGER ";
  }
  return AlterTable(trigger.table) + " " + action + Ident(trigger.name);
}

std::string RuleEnabled(const schema::Rule& rule) {
  std::string action;
  switch (rule.enabled) {
    case 'D':
      action = "DISABLE RULE ";
      break;
    case 'R':
      action = "ENABLE REPLICA RULE ";
      break;
    case 'A':
      action = "ENABLE ALWAYS RULE ";
      break;
    default:
      action = "ENABLE RULE ";
  }
  // ALTER TABLE takes views too (ALTER VIEW has no ENABLE RULE).
  return AlterTable(rule.table) + " " + action + Ident(rule.name);
}

// ALTER OPERATOR ... SET (RESTRICT = ..., JOIN = ...); NONE removes an estimator.
std::string AlterOperator(const diff::AlterOperator& change) {
  std::vector<std::string> options;
  if (change.from->restrict_estimator != change.to->restrict_estimator) {
    options.push_back("RESTRICT = " + change.to->restrict_estimator.value_or("NONE"));
  }
  if (change.from->join_estimator != change.to->join_estimator) {
    options.push_back("JOIN = " + change.to->join_estimator.value_or("NONE"));
  }
  return "ALTER OPERATOR " + change.to->Sql() + " SET (" + Join(options, ", ") + ")";
}

std::string CreateOperator(const schema::Operator& op) {
  std::string sql = "CREATE OPERATOR " + OperatorName(op.name) + " (" + op.definition;
  if (op.restrict_estimator) sql += ", RESTRICT = " + *op.restrict_estimator;
  if (op.join_estimator) sql += ", JOIN = " + *op.join_estimator;
  return sql + ")";
}

std::string AlterPolicy(const diff::AlterPolicy& change) {
  std::string sql = "ALTER POLICY " + Ident(change.to->name) + " ON " + Name(change.to->table);
  if (change.from->roles != change.to->roles) {
    sql +=
        " TO " + (EveryoneOnly(change.to->roles) ? std::string("PUBLIC") : Roles(change.to->roles));
  }
  if (change.from->using_expr != change.to->using_expr && change.to->using_expr) {
    sql += " USING " + Parenthesized(*change.to->using_expr);
  }
  if (change.from->check_expr != change.to->check_expr && change.to->check_expr) {
    sql += " WITH CHECK " + Parenthesized(*change.to->check_expr);
  }
  return sql;
}

}  // namespace

// One quoting rule for the whole tool (base), so rendered DDL and QualifiedName::Sql() agree.
std::string Ident(std::string_view name) { return QuoteIdentifier(name); }

std::string Name(const QualifiedName& name) { return Ident(name.schema) + "." + Ident(name.name); }

QualifiedName SwapName(const QualifiedName& name) {
  static const std::string kSuffix = "__retort_new";
  std::string base = name.name.substr(0, 63 - kSuffix.size());
  return {name.schema, base + kSuffix};
}

std::vector<std::string> Statements(const diff::Change& change) {
  using S = std::vector<std::string>;
  return std::visit(
      Overloaded{
          [](const diff::CreateSchema& c) -> S {
            return {"CREATE SCHEMA " + Ident(c.schema.name)};
          },
          [](const diff::DropSchema& c) -> S { return {"DROP SCHEMA " + Ident(c.schema.name)}; },
          [](const diff::CreateExtension& c) -> S {
            return {"CREATE EXTENSION " + Ident(c.extension.name) + " WITH SCHEMA " +
                    Ident(c.extension.schema) + " VERSION " + QuoteLiteral(c.extension.version)};
          },
          [](const diff::DropExtension& c) -> S {
            return {"DROP EXTENSION " + Ident(c.extension.name)};
          },
          [](const diff::AlterExtension& c) -> S {
            S statements;
            if (c.from.schema != c.to.schema) {
              statements.push_back("ALTER EXTENSION " + Ident(c.to.name) + " SET SCHEMA " +
                                   Ident(c.to.schema));
            }
            if (c.from.version != c.to.version) {
              statements.push_back("ALTER EXTENSION " + Ident(c.to.name) + " UPDATE TO " +
                                   QuoteLiteral(c.to.version));
            }
            return statements;
          },
          [](const diff::CreateEnum& c) -> S { return {CreateEnum(c.type.name, c.type.labels)}; },
          [](const diff::DropEnum& c) -> S { return {"DROP TYPE " + Name(c.type.name)}; },
          [](const diff::AddEnumValue& c) -> S {
            return {"ALTER TYPE " + Name(c.type) + " ADD VALUE " + QuoteLiteral(c.value) +
                    (c.before ? " BEFORE " : " AFTER ") + QuoteLiteral(c.neighbour)};
          },
          [](const diff::SwapEnum& c) -> S { return SwapEnumStatements(c); },
          [](const diff::CreateDomain& c) -> S { return {CreateDomain(c.domain.name, c.domain)}; },
          [](const diff::DropDomain& c) -> S { return {"DROP DOMAIN " + Name(c.domain.name)}; },
          [](const diff::AlterDomain& c) -> S { return AlterDomain(c); },
          [](const diff::SwapDomain& c) -> S {
            return Swap(c.to->name, CreateDomain(SwapName(c.to->name), *c.to), c.uses, false,
                        "DOMAIN");
          },
          [](const diff::CreateCompositeType& c) -> S {
            std::vector<std::string> attributes;
            for (const auto& a : c.type.attributes) {
              attributes.push_back(Ident(a.name) + " " + a.type +
                                   (a.collation ? " COLLATE " + Collation(*a.collation) : ""));
            }
            return {"CREATE TYPE " + Name(c.type.name) + " AS (\n    " +
                    Join(attributes, ",\n    ") + "\n)"};
          },
          [](const diff::DropCompositeType& c) -> S { return {"DROP TYPE " + Name(c.type.name)}; },
          [](const diff::AlterCompositeType& c) -> S { return {AlterComposite(c)}; },
          [](const diff::CreateSequence& c) -> S { return {CreateSequence(c.sequence)}; },
          [](const diff::DropSequence& c) -> S {
            return {"DROP SEQUENCE " + Name(c.sequence.name)};
          },
          [](const diff::AlterSequence& c) -> S { return {AlterSequence(c)}; },
          [](const diff::SetSequenceOwner& c) -> S {
            std::string owner = "NONE";
            if (c.sequence.owned_by_table && c.sequence.owned_by_column) {
              owner = ColumnName(*c.sequence.owned_by_table, *c.sequence.owned_by_column);
            }
            return {"ALTER SEQUENCE " + Name(c.sequence.name) + " OWNED BY " + owner};
          },
          [](const diff::CreateTable& c) -> S { return {CreateTable(*c.table)}; },
          [](const diff::DropTable& c) -> S { return {"DROP TABLE " + Name(c.table->name)}; },
          [](const diff::AddColumn& c) -> S {
            return {AlterTable(c.table) + " ADD COLUMN " + ColumnDefinition(c.column)};
          },
          [](const diff::DropColumn& c) -> S {
            return {AlterTable(c.table) + " DROP COLUMN " + Ident(c.column.name)};
          },
          [](const diff::RecreateColumn& c) -> S {
            return {AlterTable(c.table) + " DROP COLUMN " + Ident(c.from.name),
                    AlterTable(c.table) + " ADD COLUMN " + ColumnDefinition(c.to)};
          },
          [](const diff::AlterColumnType& c) -> S { return {AlterColumnType(c)}; },
          [](const diff::SetColumnDefault& c) -> S {
            return {AlterColumn(c.table, c.column) + " SET DEFAULT " + c.expression};
          },
          [](const diff::DropColumnDefault& c) -> S {
            return {AlterColumn(c.table, c.column) + " DROP DEFAULT"};
          },
          [](const diff::SetNotNull& c) -> S {
            return {AlterColumn(c.table, c.column) + " SET NOT NULL"};
          },
          [](const diff::DropNotNull& c) -> S {
            return {AlterColumn(c.table, c.column) + " DROP NOT NULL"};
          },
          [](const diff::AddIdentity& c) -> S {
            return {AlterColumn(c.table, c.column.name) + " ADD " + IdentityClause(c.column)};
          },
          [](const diff::DropIdentity& c) -> S {
            return {AlterColumn(c.table, c.column) + " DROP IDENTITY"};
          },
          [](const diff::AlterIdentity& c) -> S { return {AlterIdentity(c)}; },
          [](const diff::DropExpression& c) -> S {
            return {AlterColumn(c.table, c.column) + " DROP EXPRESSION"};
          },
          [](const diff::AttachPartition& c) -> S {
            return {AlterTable(*c.table->partition_of) + " ATTACH PARTITION " +
                    Name(c.table->name) + " " + c.table->partition_bound.value_or("DEFAULT")};
          },
          [](const diff::DetachPartition& c) -> S {
            return {AlterTable(*c.table->partition_of) + " DETACH PARTITION " +
                    Name(c.table->name)};
          },
          [](const diff::SetInherit& c) -> S {
            return {AlterTable(c.table) + (c.inherit ? " INHERIT " : " NO INHERIT ") +
                    Name(c.parent)};
          },
          [](const diff::SetReplicaIdentity& c) -> S {
            return {AlterTable(c.table) + " REPLICA IDENTITY " + ReplicaIdentity(c)};
          },
          [](const diff::SetColumnStorage& c) -> S {
            return {AlterColumn(c.table, c.column) + " SET STORAGE " + StorageName(c.storage)};
          },
          [](const diff::SetColumnCompression& c) -> S {
            return {AlterColumn(c.table, c.column) + " SET COMPRESSION " +
                    CompressionName(c.compression)};
          },
          [](const diff::SetLogged& c) -> S {
            return {AlterTable(c.table) + (c.unlogged ? " SET UNLOGGED" : " SET LOGGED")};
          },
          [](const diff::SetStorageOptions& c) -> S {
            std::string prefix =
                (c.materialized_view ? "ALTER MATERIALIZED VIEW " : "ALTER TABLE ") + Name(c.table);
            S statements;
            if (!c.reset.empty())
              statements.push_back(prefix + " RESET (" + Join(c.reset, ", ") + ")");
            if (!c.set.empty()) statements.push_back(prefix + " SET (" + Join(c.set, ", ") + ")");
            return statements;
          },
          [](const diff::SetRowSecurity& c) -> S {
            return {AlterTable(c.table) +
                    (c.enabled ? " ENABLE ROW LEVEL SECURITY" : " DISABLE ROW LEVEL SECURITY")};
          },
          [](const diff::SetForceRowSecurity& c) -> S {
            return {AlterTable(c.table) +
                    (c.force ? " FORCE ROW LEVEL SECURITY" : " NO FORCE ROW LEVEL SECURITY")};
          },
          [](const diff::AddConstraint& c) -> S {
            return {AlterTable(c.constraint.table) + " ADD CONSTRAINT " + Ident(c.constraint.name) +
                    " " + c.constraint.definition};
          },
          [](const diff::DropConstraint& c) -> S {
            return {AlterTable(c.constraint.table) + " DROP CONSTRAINT " +
                    Ident(c.constraint.name)};
          },
          [](const diff::ValidateConstraint& c) -> S {
            return {AlterTable(c.constraint.table) + " VALIDATE CONSTRAINT " +
                    Ident(c.constraint.name)};
          },
          [](const diff::CreateIndex& c) -> S {
            std::string sql = CreateIndex(c.index);
            // pg_get_indexdef: "CREATE [UNIQUE] INDEX name ON ...".
            if (c.concurrently) sql.insert(sql.find(" INDEX ") + 6, " CONCURRENTLY");
            return {sql};
          },
          [](const diff::DropIndex& c) -> S {
            return {std::string(c.concurrently ? "DROP INDEX CONCURRENTLY " : "DROP INDEX ") +
                    Name(c.index.name)};
          },
          [](const diff::AttachIndex& c) -> S {
            return {"ALTER INDEX " + Name(c.parent) + " ATTACH PARTITION " + Name(c.child)};
          },
          [](const diff::ReplaceKey& c) -> S {
            return {AlterTable(c.dropped->table) + " DROP CONSTRAINT " + Ident(c.dropped->name) +
                    ", ADD CONSTRAINT " + Ident(c.added->name) + " " + c.added->definition};
          },
          [](const diff::BackfillColumn& c) -> S {
            // Only the rows still NULL: a batch that runs again after a failure changes nothing
            // twice.
            return {"UPDATE " + Name(c.table) + " SET " + Ident(c.column) + " = DEFAULT WHERE " +
                    c.key + " BETWEEN :batch_start AND :batch_end AND " + Ident(c.column) +
                    " IS NULL"};
          },
          [](const diff::CreateView& c) -> S { return {CreateView(*c.view)}; },
          [](const diff::DropView& c) -> S {
            return {(c.view->materialized ? "DROP MATERIALIZED VIEW " : "DROP VIEW ") +
                    Name(c.view->name)};
          },
          [](const diff::CreateFunction& c) -> S { return {Statement(c.function->definition)}; },
          [](const diff::DropFunction& c) -> S {
            return {"DROP " + FunctionKeyword(c.function->kind) + " " + Name(c.function->name) +
                    "(" + c.function->arguments + ")"};
          },
          [](const diff::CreateTrigger& c) -> S { return {Statement(c.trigger.definition)}; },
          [](const diff::DropTrigger& c) -> S {
            return {"DROP TRIGGER " + Ident(c.trigger.name) + " ON " + Name(c.trigger.table)};
          },
          [](const diff::SetTriggerEnabled& c) -> S { return {TriggerEnabled(c.trigger)}; },
          [](const diff::CreatePolicy& c) -> S { return {CreatePolicy(c.policy)}; },
          [](const diff::DropPolicy& c) -> S {
            return {"DROP POLICY " + Ident(c.policy.name) + " ON " + Name(c.policy.table)};
          },
          [](const diff::AlterPolicy& c) -> S { return {AlterPolicy(c)}; },
          [](const diff::CreateRule& c) -> S { return {Statement(c.rule.definition)}; },
          [](const diff::DropRule& c) -> S {
            return {"DROP RULE " + Ident(c.rule.name) + " ON " + Name(c.rule.table)};
          },
          [](const diff::SetRuleEnabled& c) -> S { return {RuleEnabled(c.rule)}; },
          [](const diff::CreateCollation& c) -> S {
            return {"CREATE COLLATION " + Name(c.collation.name) + " (" + c.collation.definition +
                    ")"};
          },
          [](const diff::DropCollation& c) -> S {
            return {"DROP COLLATION " + Name(c.collation.name)};
          },
          [](const diff::SwapCollation& c) -> S {
            S statements{"ALTER COLLATION " + Name(c.from->name) + " RENAME TO " +
                             Ident(diff::ReplacedCollationName(c.from->name).name),
                         "CREATE COLLATION " + Name(c.to->name) + " (" + c.to->definition + ")"};
            for (const auto& use : c.uses) {
              statements.push_back(AlterColumn(use.table, use.column) + " TYPE " + use.type +
                                   " COLLATE " + Name(c.to->name));
            }
            return statements;
          },
          [](const diff::CreateOperator& c) -> S { return {CreateOperator(*c.op)}; },
          [](const diff::DropOperator& c) -> S { return {"DROP OPERATOR " + c.op->Sql()}; },
          [](const diff::AlterOperator& c) -> S { return {AlterOperator(c)}; },
          [](const diff::CreateOperatorFamily& c) -> S {
            return {"CREATE OPERATOR FAMILY " + c.family.Sql()};
          },
          [](const diff::DropOperatorFamily& c) -> S {
            return {"DROP OPERATOR FAMILY " + c.family.Sql()};
          },
          [](const diff::AlterOperatorFamily& c) -> S {
            S statements;
            std::string head = "ALTER OPERATOR FAMILY " + c.family->Sql();
            std::vector<std::string> dropped;
            for (const auto& member : c.dropped) dropped.push_back(member.identity);
            std::vector<std::string> added;
            for (const auto& member : c.added) added.push_back(member.definition);
            if (!dropped.empty()) statements.push_back(head + " DROP " + Join(dropped, ", "));
            if (!added.empty()) statements.push_back(head + " ADD " + Join(added, ", "));
            return statements;
          },
          [](const diff::CreateOperatorClass& c) -> S {
            return {"CREATE OPERATOR CLASS " + Name(c.opclass.name) + " " + c.opclass.definition};
          },
          [](const diff::DropOperatorClass& c) -> S {
            return {"DROP OPERATOR CLASS " + c.opclass.Sql()};
          },
          [](const diff::SetComment& c) -> S {
            return {"COMMENT ON " + CommentTarget(c.target) + " IS " +
                    (c.comment ? QuoteLiteral(*c.comment) : std::string("NULL"))};
          },
          [](const diff::GrantPrivileges& c) -> S {
            return {"GRANT " + Privileges(c.privileges, c.column) + " ON " +
                    GrantedObject(c.object, c.relation, c.arguments) + " TO " + Role(c.grantee) +
                    (c.grantable ? " WITH GRANT OPTION" : "")};
          },
          [](const diff::RevokePrivileges& c) -> S {
            return {"REVOKE " + Privileges(c.privileges, c.column) + " ON " +
                    GrantedObject(c.object, c.relation, c.arguments) + " FROM " + Role(c.grantee)};
          },
          [](const diff::Rename& c) -> S {
            using Kind = diff::Rename::Kind;
            switch (c.kind) {
              case Kind::kTable:
                return {"ALTER TABLE " + Name(c.object) + " RENAME TO " + Ident(c.new_name)};
              case Kind::kColumn:
                return {"ALTER TABLE " + Name(c.object) + " RENAME COLUMN " + Ident(c.member) +
                        " TO " + Ident(c.new_name)};
              case Kind::kConstraint:
                return {"ALTER TABLE " + Name(c.object) + " RENAME CONSTRAINT " + Ident(c.member) +
                        " TO " + Ident(c.new_name)};
              case Kind::kIndex:
                return {"ALTER INDEX " + Name(c.object) + " RENAME TO " + Ident(c.new_name)};
              case Kind::kSequence:
                return {"ALTER SEQUENCE " + Name(c.object) + " RENAME TO " + Ident(c.new_name)};
            }
            return {};
          },
      },
      change);
}

}  // namespace retort::render
