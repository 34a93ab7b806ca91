#include "schema/model.h"

#include <algorithm>
#include <tuple>

#include "base/strings.h"

namespace retort::schema {

std::string QualifiedName::Sql() const {
  return QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
}

std::string Function::Signature() const { return name.Sql() + "(" + arguments + ")"; }

namespace {

template <typename T, typename Key>
void SortBy(std::vector<T>& items, Key key) {
  std::sort(items.begin(), items.end(),
            [&key](const T& a, const T& b) { return key(a) < key(b); });
}

}  // namespace

void Database::Sort() {
  SortBy(schemas, [](const Schema& s) { return s.name; });
  SortBy(extensions, [](const Extension& e) { return e.name; });
  SortBy(enums, [](const EnumType& e) { return e.name; });
  SortBy(domains, [](const Domain& d) { return d.name; });
  for (Domain& domain : domains) {
    SortBy(domain.constraints, [](const DomainConstraint& c) { return c.name; });
  }
  SortBy(composite_types, [](const CompositeType& c) { return c.name; });
  SortBy(sequences, [](const Sequence& s) { return s.name; });
  SortBy(tables, [](const Table& t) { return t.name; });
  for (Table& table : tables) std::sort(table.grants.begin(), table.grants.end());
  SortBy(constraints, [](const Constraint& c) { return std::tie(c.table, c.name); });
  SortBy(indexes, [](const Index& i) { return i.name; });
  SortBy(views, [](const View& v) { return v.name; });
  for (View& view : views) std::sort(view.grants.begin(), view.grants.end());
  SortBy(functions, [](const Function& f) { return std::tie(f.name, f.arguments); });
  SortBy(triggers, [](const Trigger& t) { return std::tie(t.table, t.name); });
  SortBy(policies, [](const Policy& p) { return std::tie(p.table, p.name); });
  std::sort(dependencies.begin(), dependencies.end());
  dependencies.erase(std::unique(dependencies.begin(), dependencies.end()), dependencies.end());
}

}  // namespace retort::schema
