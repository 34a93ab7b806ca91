#include "schema/model.h"

#include <algorithm>
#include <tuple>

#include "base/strings.h"

namespace retort::schema {

std::string QualifiedName::Sql() const {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
}

std::string Function::Signature() const { return name.Sql() + "(" + arguments + ")"; }

// The symbol is never quoted: an operator name is not an identifier.
std::string Operator::Signature() const {
  return QuoteIdentifier(name.schema) + "." + name.name + "(" + left_type + ", " + right_type + ")";
}
std::string Operator::Sql() const {
  return QuoteIdentifier(name.schema) + "." + name.name + " (" + left_type + ", " + right_type +
         ")";
}
std::string OperatorFamily::Sql() const { return name.Sql() + " USING " + method; }
std::string OperatorClass::Sql() const { return name.Sql() + " USING " + method; }

// A large schema's model is mostly columns (see Column).
static_assert(sizeof(Column) <= 40);

const ColumnDetails& Column::Details() const {
  static const ColumnDetails kNone;
  return details_ ? *details_ : kNone;
}

bool operator==(const Column& a, const Column& b) {
  return a.name == b.name && a.type == b.type && a.default_expr == b.default_expr &&
         a.not_null == b.not_null && a.identity == b.identity && a.storage == b.storage &&
         a.type_storage == b.type_storage && a.compression == b.compression &&
         a.inherited_only == b.inherited_only && a.Details() == b.Details();
}

std::string_view StorageKeyword(char storage) {
  switch (storage) {
    case 'p':
      return "plain";
    case 'e':
      return "external";
    case 'x':
      return "extended";
    case 'm':
      return "main";
    default:
      return {};
  }
}

std::string_view CompressionMethod(char compression) {
  switch (compression) {
    case 'p':
      return "pglz";
    case 'l':
      return "lz4";
    default:
      return {};
  }
}

std::optional<ConstraintType> ConstraintTypeFromContype(char contype) {
  switch (contype) {
    case 'p':
      return ConstraintType::kPrimaryKey;
    case 'u':
      return ConstraintType::kUnique;
    case 'c':
      return ConstraintType::kCheck;
    case 'f':
      return ConstraintType::kForeignKey;
    case 'x':
      return ConstraintType::kExclusion;
    default:
      return std::nullopt;
  }
}

bool IsKey(ConstraintType type) {
  switch (type) {
    case ConstraintType::kPrimaryKey:
    case ConstraintType::kUnique:
      return true;
    case ConstraintType::kCheck:
    case ConstraintType::kForeignKey:
    case ConstraintType::kExclusion:
      return false;
  }
  return false;
}

bool HasIndex(ConstraintType type) {
  switch (type) {
    case ConstraintType::kPrimaryKey:
    case ConstraintType::kUnique:
    case ConstraintType::kExclusion:
      return true;
    case ConstraintType::kCheck:
    case ConstraintType::kForeignKey:
      return false;
  }
  return false;
}

namespace {

std::string MemberIdentity(const QualifiedName& owner, std::string_view member) {
  return owner.Sql() + "." + QuoteIdentifier(member);
}

}  // namespace

ObjectId ObjectId::ForTable(const QualifiedName& table) { return {Kind::kTable, table.Sql()}; }
ObjectId ObjectId::ForColumn(const QualifiedName& table_or_view, std::string_view column) {
  return {Kind::kColumn, MemberIdentity(table_or_view, column)};
}
ObjectId ObjectId::ForView(const QualifiedName& view) { return {Kind::kView, view.Sql()}; }
ObjectId ObjectId::ForFunction(const Function& function) {
  return {Kind::kFunction, function.Signature()};
}
ObjectId ObjectId::ForType(const QualifiedName& type) { return {Kind::kType, type.Sql()}; }
ObjectId ObjectId::ForSequence(const QualifiedName& sequence) {
  return {Kind::kSequence, sequence.Sql()};
}
ObjectId ObjectId::ForIndex(const QualifiedName& index) { return {Kind::kIndex, index.Sql()}; }
ObjectId ObjectId::ForConstraint(const QualifiedName& table, std::string_view name) {
  return {Kind::kConstraint, MemberIdentity(table, name)};
}
ObjectId ObjectId::ForTrigger(const QualifiedName& table, std::string_view name) {
  return {Kind::kTrigger, MemberIdentity(table, name)};
}
ObjectId ObjectId::ForPolicy(const QualifiedName& table, std::string_view name) {
  return {Kind::kPolicy, MemberIdentity(table, name)};
}
ObjectId ObjectId::ForRule(const QualifiedName& table, std::string_view name) {
  return {Kind::kRule, MemberIdentity(table, name)};
}
ObjectId ObjectId::ForCollation(const QualifiedName& collation) {
  return {Kind::kCollation, collation.Sql()};
}
ObjectId ObjectId::ForOperator(const Operator& op) { return {Kind::kOperator, op.Signature()}; }
ObjectId ObjectId::ForOperatorClass(const OperatorClass& opclass) {
  return {Kind::kOperatorClass, opclass.Sql()};
}
ObjectId ObjectId::ForOperatorFamily(const OperatorFamily& family) {
  return {Kind::kOperatorFamily, family.Sql()};
}

namespace {

// Identities are unique, so the order is fully determined by the key. The catalog mostly hands
// items over in order already; otherwise an order of indices is sorted and applied, which moves
// each (large) item once instead of swapping it around.
template <typename T, typename Key>
void SortBy(std::vector<T>& items, Key key) {
  auto less = [&key](const T& a, const T& b) { return key(a) < key(b); };
  if (std::is_sorted(items.begin(), items.end(), less)) return;
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return less(items[a], items[b]); });
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (size_t i : order) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
}

}  // namespace

void Database::Sort() {
  std::sort(unmodelled.begin(), unmodelled.end());
  // Keys are references (or tuples of them): sorting thousands of tables must not copy names.
  SortBy(
      schemas, [](const Schema& s) -> const auto& { return s.name; });
  SortBy(
      extensions, [](const Extension& e) -> const auto& { return e.name; });
  SortBy(
      enums, [](const EnumType& e) -> const auto& { return e.name; });
  SortBy(
      domains, [](const Domain& d) -> const auto& { return d.name; });
  for (Domain& domain : domains) {
    SortBy(
        domain.constraints, [](const DomainConstraint& c) -> const auto& { return c.name; });
  }
  SortBy(
      composite_types, [](const CompositeType& c) -> const auto& { return c.name; });
  SortBy(
      sequences, [](const Sequence& s) -> const auto& { return s.name; });
  SortBy(
      tables, [](const Table& t) -> const auto& { return t.name; });
  for (Table& table : tables) {
    std::sort(table.grants.begin(), table.grants.end());
    std::sort(table.options.begin(), table.options.end());
    for (Column& column : table.columns) {
      if (column.grants().empty()) continue;
      std::vector<Grant>& grants = column.mutable_details().grants;
      std::sort(grants.begin(), grants.end());
    }
  }
  for (Schema& schema : schemas) std::sort(schema.grants.begin(), schema.grants.end());
  for (Sequence& sequence : sequences) {
    std::sort(sequence.grants.begin(), sequence.grants.end());
  }
  SortBy(constraints, [](const Constraint& c) { return std::tie(c.table, c.name); });
  SortBy(
      indexes, [](const Index& i) -> const auto& { return i.name; });
  SortBy(
      views, [](const View& v) -> const auto& { return v.name; });
  for (View& view : views) {
    std::sort(view.grants.begin(), view.grants.end());
    std::sort(view.options.begin(), view.options.end());
  }
  SortBy(functions, [](const Function& f) { return std::tie(f.name, f.arguments); });
  for (Function& function : functions) {
    std::sort(function.grants.begin(), function.grants.end());
  }
  SortBy(triggers, [](const Trigger& t) { return std::tie(t.table, t.name); });
  SortBy(policies, [](const Policy& p) { return std::tie(p.table, p.name); });
  for (Policy& policy : policies) std::sort(policy.roles.begin(), policy.roles.end());
  SortBy(rules, [](const Rule& r) { return std::tie(r.table, r.name); });
  SortBy(
      collations, [](const Collation& c) -> const auto& { return c.name; });
  SortBy(operators, [](const Operator& o) { return std::tie(o.name, o.left_type, o.right_type); });
  SortBy(operator_families, [](const OperatorFamily& f) { return std::tie(f.name, f.method); });
  for (OperatorFamily& family : operator_families) {
    std::sort(family.members.begin(), family.members.end());
  }
  SortBy(operator_classes, [](const OperatorClass& c) { return std::tie(c.name, c.method); });
  std::sort(dependencies.begin(), dependencies.end());
  dependencies.erase(std::unique(dependencies.begin(), dependencies.end()), dependencies.end());
}

}  // namespace retort::schema
