#include "plan/plan.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <stop_token>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "base/overloaded.h"
#include "base/strings.h"
#include "plan/online.h"

namespace retort::plan {

using diff::Change;
using schema::ConstraintType;
using schema::Database;
using schema::ObjectId;
using schema::QualifiedName;

namespace {

// Node keys name objects independently of the model side they come from.
std::string Key(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (std::string_view part : parts) {
    if (!key.empty()) key.push_back('\x1f');
    key.append(part);
  }
  return key;
}
std::string RelationKey(const QualifiedName& n) { return Key({"rel", n.schema, n.name}); }
std::string ColumnKey(const QualifiedName& t, const std::string& c) {
  return Key({"col", t.schema, t.name, c});
}
std::string TypeKey(const QualifiedName& n) { return Key({"type", n.schema, n.name}); }
std::string FunctionKey(const schema::Function& f) {
  return Key({"fn", f.name.schema, f.name.name, f.arguments});
}
std::string IndexKey(const QualifiedName& n) { return Key({"idx", n.schema, n.name}); }
std::string ConstraintKey(const QualifiedName& t, const std::string& n) {
  return Key({"con", t.schema, t.name, n});
}
std::string TriggerKey(const QualifiedName& t, const std::string& n) {
  return Key({"trg", t.schema, t.name, n});
}
std::string PolicyKey(const QualifiedName& t, const std::string& n) {
  return Key({"pol", t.schema, t.name, n});
}
std::string SequenceKey(const QualifiedName& n) { return Key({"seq", n.schema, n.name}); }
std::string RuleKey(const QualifiedName& t, const std::string& n) {
  return Key({"rule", t.schema, t.name, n});
}
std::string CollationKey(const QualifiedName& n) { return Key({"coll", n.schema, n.name}); }
std::string OperatorKey(const schema::Operator& o) {
  return Key({"op", o.name.schema, o.name.name, o.left_type, o.right_type});
}
std::string OperatorClassKey(const schema::OperatorClass& c) {
  return Key({"opc", c.name.schema, c.name.name, c.method});
}
std::string OperatorFamilyKey(const schema::OperatorFamily& f) {
  return Key({"opf", f.name.schema, f.name.name, f.method});
}
std::string KindOf(const std::string& key) { return key.substr(0, key.find('\x1f')); }

// The spellings a catalog may use for an identity: raw `schema.name` or quoted as needed.
struct Spelled {
  std::string raw;
  std::string quoted;  // empty when equal to raw
};
Spelled Spellings(const QualifiedName& name) {
  Spelled spelled;
  spelled.raw.reserve(name.schema.size() + name.name.size() + 1);
  spelled.raw.append(name.schema).push_back('.');
  spelled.raw.append(name.name);
  // Quoting changes a name or leaves it as it is; it always makes a changed one longer.
  std::string schema = QuoteIdentifier(name.schema);
  std::string relation = QuoteIdentifier(name.name);
  if (schema.size() != name.schema.size() || relation.size() != name.name.size()) {
    spelled.quoted.reserve(schema.size() + relation.size() + 1);
    spelled.quoted.append(schema).push_back('.');
    spelled.quoted.append(relation);
  }
  return spelled;
}
// `owner` (as Spellings gives it) with `.member` appended.
Spelled MemberSpellings(const Spelled& owner, const std::string& member) {
  Spelled spelled;
  spelled.raw.reserve(owner.raw.size() + member.size() + 1);
  spelled.raw.append(owner.raw).push_back('.');
  spelled.raw.append(member);
  std::string quoted_member = QuoteIdentifier(member);
  if (!owner.quoted.empty() || quoted_member != member) {
    const std::string& prefix = owner.quoted.empty() ? owner.raw : owner.quoted;
    spelled.quoted.reserve(prefix.size() + quoted_member.size() + 1);
    spelled.quoted.append(prefix).push_back('.');
    spelled.quoted.append(quoted_member);
  }
  return spelled;
}

// Hash and equality that find std::string keys by std::string_view without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

// Maps the model's ObjectIds (pg_depend edges) to node keys. Only the identities that the
// dependencies name are kept (Need them first): a large model has many more objects than edges.
class Registry {
 public:
  void Need(const Database& db) {
    for (const schema::Dependency& dependency : db.dependencies) {
      for (const ObjectId* id : {&dependency.dependent, &dependency.referenced}) {
        Needed(id->kind).emplace(id->identity, std::string());
        if (id->kind != ObjectId::Kind::kColumn) continue;
        column_identities_.insert(id->identity);
        size_t dot = id->identity.rfind('.');
        if (dot == std::string::npos) continue;
        std::string relation = id->identity.substr(0, dot);
        Needed(ObjectId::Kind::kTable).emplace(relation, std::string());
        Needed(ObjectId::Kind::kView).emplace(std::move(relation), std::string());
      }
    }
  }

  void Add(const Database& db) {
    using K = ObjectId::Kind;
    for (const auto& s : db.schemas) {
      auto key = [&] { return Key({"schema", s.name}); };
      Put(K::kSchema, s.name, key);
      Put(K::kSchema, QuoteIdentifier(s.name), key);
    }
    for (const auto& e : db.extensions) {
      Put(K::kExtension, e.name, [&] { return Key({"ext", e.name}); });
    }
    for (const auto& e : db.enums) {
      Put(K::kType, Spellings(e.name), [&] { return TypeKey(e.name); });
    }
    for (const auto& d : db.domains) {
      Put(K::kType, Spellings(d.name), [&] { return TypeKey(d.name); });
    }
    for (const auto& c : db.composite_types) {
      Put(K::kType, Spellings(c.name), [&] { return TypeKey(c.name); });
    }
    for (const auto& s : db.sequences) {
      Put(K::kSequence, Spellings(s.name), [&] { return SequenceKey(s.name); });
    }
    for (const auto& t : db.tables) {
      Spelled table = Spellings(t.name);
      auto relation = [&] { return RelationKey(t.name); };
      Put(K::kTable, table, relation);
      Put(K::kType, table, relation);  // the row type
      if (!NamesColumnOf(table)) continue;
      for (const auto& c : t.columns) {
        Put(K::kColumn, MemberSpellings(table, c.name), [&] { return ColumnKey(t.name, c.name); });
      }
    }
    for (const auto& v : db.views) {
      Spelled view = Spellings(v.name);
      auto relation = [&] { return RelationKey(v.name); };
      Put(K::kView, view, relation);
      Put(K::kTable, view, relation);
      Put(K::kType, view, relation);
    }
    for (const auto& f : db.functions) {
      auto key = [&] { return FunctionKey(f); };
      Put(K::kFunction, f.Signature(), key);
      Put(K::kFunction, f.name.schema + "." + f.name.name + "(" + f.arguments + ")", key);
    }
    for (const auto& i : Needed(K::kIndex).empty() ? kNone<schema::Index> : db.indexes) {
      Put(K::kIndex, Spellings(i.name), [&] { return IndexKey(i.name); });
    }
    for (const auto& c :
         Needed(K::kConstraint).empty() ? kNone<schema::Constraint> : db.constraints) {
      Put(K::kConstraint, MemberSpellings(Spellings(c.table), c.name),
          [&] { return ConstraintKey(c.table, c.name); });
    }
    for (const auto& t : Needed(K::kTrigger).empty() ? kNone<schema::Trigger> : db.triggers) {
      Put(K::kTrigger, MemberSpellings(Spellings(t.table), t.name),
          [&] { return TriggerKey(t.table, t.name); });
    }
    for (const auto& p : Needed(K::kPolicy).empty() ? kNone<schema::Policy> : db.policies) {
      Put(K::kPolicy, MemberSpellings(Spellings(p.table), p.name),
          [&] { return PolicyKey(p.table, p.name); });
    }
    for (const auto& r : db.rules) {
      Put(K::kRule, MemberSpellings(Spellings(r.table), r.name),
          [&] { return RuleKey(r.table, r.name); });
    }
    for (const auto& c : db.collations) {
      Put(K::kCollation, Spellings(c.name), [&] { return CollationKey(c.name); });
    }
    for (const auto& o : db.operators) {
      Put(K::kOperator, o.Signature(), [&] { return OperatorKey(o); });
    }
    for (const auto& c : db.operator_classes) {
      Put(K::kOperatorClass, c.Sql(), [&] { return OperatorClassKey(c); });
    }
    for (const auto& f : db.operator_families) {
      Put(K::kOperatorFamily, f.Sql(), [&] { return OperatorFamilyKey(f); });
    }
  }

  std::optional<std::string> Resolve(const ObjectId& id) const {
    if (const std::string* key = Find(id.kind, id.identity)) return *key;
    if (id.kind == ObjectId::Kind::kColumn) {
      // A column of a view (views keep no column list): stands for the view.
      return RelationOfColumn(id);
    }
    return std::nullopt;
  }

  // The table or view a column identity belongs to.
  std::optional<std::string> RelationOfColumn(const ObjectId& id) const {
    size_t dot = id.identity.rfind('.');
    if (dot == std::string::npos) return std::nullopt;
    std::string_view relation = std::string_view(id.identity).substr(0, dot);
    for (ObjectId::Kind kind : {ObjectId::Kind::kTable, ObjectId::Kind::kView}) {
      if (const std::string* key = Find(kind, relation)) return *key;
    }
    return std::nullopt;
  }

 private:
  // Stands for a model's list when no identity of its kind is needed.
  template <typename T>
  static inline const std::vector<T> kNone{};

  static constexpr size_t kKinds = static_cast<size_t>(ObjectId::Kind::kOperatorFamily) + 1;

  // identity -> node key, "" until an object of the model has the identity.
  StringMap<std::string>& Needed(ObjectId::Kind kind) { return keys_[static_cast<size_t>(kind)]; }

  // Whether a needed column identity starts with a spelling of `relation` and a dot.
  bool NamesColumnOf(const Spelled& relation) const {
    for (const std::string* spelling : {&relation.raw, &relation.quoted}) {
      if (spelling->empty()) continue;
      std::string prefix = *spelling + ".";
      auto it = column_identities_.lower_bound(prefix);
      if (it != column_identities_.end() && StartsWith(*it, prefix)) return true;
    }
    return false;
  }

  const std::string* Find(ObjectId::Kind kind, std::string_view identity) const {
    const auto& keys = keys_[static_cast<size_t>(kind)];
    auto it = keys.find(identity);
    if (it == keys.end() || it->second.empty()) return nullptr;
    return &it->second;
  }

  // The first object to claim an identity keeps it. `make_key` is called only when needed.
  template <typename MakeKey>
  void Put(ObjectId::Kind kind, std::string_view identity, MakeKey&& make_key) {
    auto& keys = Needed(kind);
    auto it = keys.find(identity);
    if (it != keys.end() && it->second.empty()) it->second = make_key();
  }
  template <typename MakeKey>
  void Put(ObjectId::Kind kind, const Spelled& spelled, MakeKey&& make_key) {
    Put(kind, spelled.raw, make_key);
    if (!spelled.quoted.empty()) Put(kind, spelled.quoted, make_key);
  }

  std::array<StringMap<std::string>, kKinds> keys_;
  std::set<std::string, std::less<>> column_identities_;
};

// referenced node -> the nodes that depend on it (and the reverse), from one model's edges.
struct Graph {
  // Looked up, never iterated: hashed. The sets keep their order (plans depend on it).
  std::unordered_map<std::string, std::set<std::string>> dependents;
  std::unordered_map<std::string, std::set<std::string>> references;

  void Build(const Database& db, const Registry& registry) {
    for (const schema::Dependency& dependency : db.dependencies) {
      auto dependent = registry.Resolve(dependency.dependent);
      if (!dependent) continue;
      std::vector<std::string> referenced;
      if (auto key = registry.Resolve(dependency.referenced)) referenced.push_back(*key);
      if (dependency.referenced.kind == ObjectId::Kind::kColumn) {
        if (auto relation = registry.RelationOfColumn(dependency.referenced)) {
          referenced.push_back(*relation);
        }
      }
      for (const std::string& key : referenced) {
        if (key == *dependent) continue;
        dependents[key].insert(*dependent);
        references[*dependent].insert(key);
      }
    }
  }
};

// The node a change creates (for ordering creations) and the node it drops.
std::optional<std::string> CreatedNode(const Change& change) {
  return std::visit(
      Overloaded{
          [](const diff::CreateTable& c) -> std::optional<std::string> {
            return RelationKey(c.table->name);
          },
          [](const diff::CreateView& c) -> std::optional<std::string> {
            return RelationKey(c.view->name);
          },
          [](const diff::CreateFunction& c) -> std::optional<std::string> {
            return FunctionKey(*c.function);
          },
          [](const diff::CreateEnum& c) -> std::optional<std::string> {
            return TypeKey(c.type.name);
          },
          [](const diff::CreateDomain& c) -> std::optional<std::string> {
            return TypeKey(c.domain.name);
          },
          [](const diff::CreateCompositeType& c) -> std::optional<std::string> {
            return TypeKey(c.type.name);
          },
          [](const diff::CreateSequence& c) -> std::optional<std::string> {
            return SequenceKey(c.sequence.name);
          },
          [](const diff::CreateIndex& c) -> std::optional<std::string> {
            return IndexKey(c.index.name);
          },
          [](const diff::AddConstraint& c) -> std::optional<std::string> {
            return ConstraintKey(c.constraint.table, c.constraint.name);
          },
          [](const diff::CreateTrigger& c) -> std::optional<std::string> {
            return TriggerKey(c.trigger.table, c.trigger.name);
          },
          [](const diff::CreatePolicy& c) -> std::optional<std::string> {
            return PolicyKey(c.policy.table, c.policy.name);
          },
          [](const diff::CreateRule& c) -> std::optional<std::string> {
            return RuleKey(c.rule.table, c.rule.name);
          },
          [](const diff::CreateCollation& c) -> std::optional<std::string> {
            return CollationKey(c.collation.name);
          },
          [](const diff::CreateOperator& c) -> std::optional<std::string> {
            return OperatorKey(*c.op);
          },
          [](const diff::CreateOperatorClass& c) -> std::optional<std::string> {
            return OperatorClassKey(c.opclass);
          },
          [](const diff::CreateOperatorFamily& c) -> std::optional<std::string> {
            return OperatorFamilyKey(c.family);
          },
          [](const diff::AlterOperatorFamily& c) -> std::optional<std::string> {
            return OperatorFamilyKey(*c.family);
          },
          NothingFor<
              std::optional<std::string>, diff::CreateSchema, diff::DropSchema,
              diff::CreateExtension, diff::DropExtension, diff::AlterExtension, diff::DropEnum,
              diff::AddEnumValue, diff::SwapEnum, diff::DropDomain, diff::AlterDomain,
              diff::SwapDomain, diff::DropCompositeType, diff::AlterCompositeType,
              diff::DropSequence, diff::AlterSequence, diff::SetSequenceOwner, diff::DropTable,
              diff::AddColumn, diff::DropColumn, diff::RecreateColumn, diff::AlterColumnType,
              diff::SetColumnDefault, diff::DropColumnDefault, diff::SetNotNull, diff::DropNotNull,
              diff::AddIdentity, diff::DropIdentity, diff::AlterIdentity, diff::SetColumnStorage,
              diff::SetColumnCompression, diff::DropExpression, diff::AttachPartition,
              diff::DetachPartition, diff::SetInherit, diff::SetReplicaIdentity, diff::SetLogged,
              diff::SetStorageOptions, diff::SetRowSecurity, diff::SetForceRowSecurity,
              diff::DropConstraint, diff::ValidateConstraint, diff::DropIndex, diff::BackfillColumn,
              diff::AttachIndex, diff::ReplaceKey, diff::DropView, diff::DropFunction,
              diff::DropTrigger, diff::SetTriggerEnabled, diff::DropPolicy, diff::AlterPolicy,
              diff::DropRule, diff::SetRuleEnabled, diff::DropCollation, diff::SwapCollation,
              diff::DropOperator, diff::AlterOperator, diff::DropOperatorFamily,
              diff::DropOperatorClass, diff::SetComment, diff::GrantPrivileges,
              diff::RevokePrivileges, diff::Rename>{},
      },
      change);
}

std::optional<std::string> DroppedNode(const Change& change) {
  return std::visit(
      Overloaded{
          [](const diff::DropTable& c) -> std::optional<std::string> {
            return RelationKey(c.table->name);
          },
          [](const diff::DropView& c) -> std::optional<std::string> {
            return RelationKey(c.view->name);
          },
          [](const diff::DropFunction& c) -> std::optional<std::string> {
            return FunctionKey(*c.function);
          },
          [](const diff::DropEnum& c) -> std::optional<std::string> {
            return TypeKey(c.type.name);
          },
          [](const diff::DropDomain& c) -> std::optional<std::string> {
            return TypeKey(c.domain.name);
          },
          [](const diff::DropCompositeType& c) -> std::optional<std::string> {
            return TypeKey(c.type.name);
          },
          [](const diff::DropSequence& c) -> std::optional<std::string> {
            return SequenceKey(c.sequence.name);
          },
          [](const diff::DropIndex& c) -> std::optional<std::string> {
            return IndexKey(c.index.name);
          },
          [](const diff::DropConstraint& c) -> std::optional<std::string> {
            return ConstraintKey(c.constraint.table, c.constraint.name);
          },
          [](const diff::DropTrigger& c) -> std::optional<std::string> {
            return TriggerKey(c.trigger.table, c.trigger.name);
          },
          [](const diff::DropPolicy& c) -> std::optional<std::string> {
            return PolicyKey(c.policy.table, c.policy.name);
          },
          [](const diff::DropRule& c) -> std::optional<std::string> {
            return RuleKey(c.rule.table, c.rule.name);
          },
          [](const diff::DropCollation& c) -> std::optional<std::string> {
            return CollationKey(c.collation.name);
          },
          [](const diff::DropOperator& c) -> std::optional<std::string> {
            return OperatorKey(*c.op);
          },
          [](const diff::DropOperatorClass& c) -> std::optional<std::string> {
            return OperatorClassKey(c.opclass);
          },
          [](const diff::DropOperatorFamily& c) -> std::optional<std::string> {
            return OperatorFamilyKey(c.family);
          },
          NothingFor<
              std::optional<std::string>, diff::CreateSchema, diff::DropSchema,
              diff::CreateExtension, diff::DropExtension, diff::AlterExtension, diff::CreateEnum,
              diff::AddEnumValue, diff::SwapEnum, diff::CreateDomain, diff::AlterDomain,
              diff::SwapDomain, diff::CreateCompositeType, diff::AlterCompositeType,
              diff::CreateSequence, diff::AlterSequence, diff::SetSequenceOwner, diff::CreateTable,
              diff::AddColumn, diff::DropColumn, diff::RecreateColumn, diff::AlterColumnType,
              diff::SetColumnDefault, diff::DropColumnDefault, diff::SetNotNull, diff::DropNotNull,
              diff::AddIdentity, diff::DropIdentity, diff::AlterIdentity, diff::SetColumnStorage,
              diff::SetColumnCompression, diff::DropExpression, diff::AttachPartition,
              diff::DetachPartition, diff::SetInherit, diff::SetReplicaIdentity, diff::SetLogged,
              diff::SetStorageOptions, diff::SetRowSecurity, diff::SetForceRowSecurity,
              diff::AddConstraint, diff::ValidateConstraint, diff::CreateIndex,
              diff::BackfillColumn, diff::AttachIndex, diff::ReplaceKey, diff::CreateView,
              diff::CreateFunction, diff::CreateTrigger, diff::SetTriggerEnabled,
              diff::CreatePolicy, diff::AlterPolicy, diff::CreateRule, diff::SetRuleEnabled,
              diff::CreateCollation, diff::SwapCollation, diff::CreateOperator, diff::AlterOperator,
              diff::CreateOperatorFamily, diff::AlterOperatorFamily, diff::CreateOperatorClass,
              diff::SetComment, diff::GrantPrivileges, diff::RevokePrivileges, diff::Rename>{},
      },
      change);
}

// Columns the diff drops and adds again (generated columns over a column whose type changes):
// the drop belongs with the column alterations, and what is on the column is rebuilt.
std::set<std::pair<QualifiedName, std::string>> ReaddedColumns(const std::vector<Change>& changes) {
  std::set<std::pair<QualifiedName, std::string>> added;
  std::set<std::pair<QualifiedName, std::string>> readded;
  for (const Change& change : changes) {
    if (const auto* add = std::get_if<diff::AddColumn>(&change)) {
      added.emplace(add->table, add->column.name);
    }
  }
  for (const Change& change : changes) {
    if (const auto* drop = std::get_if<diff::DropColumn>(&change)) {
      if (added.count({drop->table, drop->column.name})) {
        readded.emplace(drop->table, drop->column.name);
      }
    }
  }
  return readded;
}

// The objects of one model that can be dropped and created again around a change.
struct Rebuildable {
  std::map<std::string, const schema::View*> views;
  std::map<std::string, const schema::Function*> functions;
  std::map<std::string, const schema::Trigger*> triggers;
  std::map<std::string, const schema::Policy*> policies;
  std::map<std::string, const schema::Index*> indexes;
  std::map<std::string, const schema::Constraint*> constraints;
  std::map<std::string, const schema::Rule*> rules;

  explicit Rebuildable(const Database& db) {
    for (const auto& v : db.views) views[RelationKey(v.name)] = &v;
    for (const auto& f : db.functions) functions[FunctionKey(f)] = &f;
    for (const auto& t : db.triggers) triggers[TriggerKey(t.table, t.name)] = &t;
    for (const auto& p : db.policies) policies[PolicyKey(p.table, p.name)] = &p;
    for (const auto& i : db.indexes) indexes[IndexKey(i.name)] = &i;
    for (const auto& c : db.constraints) constraints[ConstraintKey(c.table, c.name)] = &c;
    for (const auto& r : db.rules) rules[RuleKey(r.table, r.name)] = &r;
  }

  bool Has(const std::string& key) const {
    return views.count(key) || functions.count(key) || triggers.count(key) || policies.count(key) ||
           indexes.count(key) || constraints.count(key) || rules.count(key);
  }
  // The table or view an index, constraint, trigger or policy lives on.
  std::optional<QualifiedName> OwnerOf(const std::string& key) const {
    if (auto it = triggers.find(key); it != triggers.end()) return it->second->table;
    if (auto it = policies.find(key); it != policies.end()) return it->second->table;
    if (auto it = indexes.find(key); it != indexes.end()) return it->second->table;
    if (auto it = constraints.find(key); it != constraints.end()) return it->second->table;
    if (auto it = rules.find(key); it != rules.end()) return it->second->table;
    return std::nullopt;
  }
  std::vector<Change> Drop(const std::string& key) const {
    if (auto it = views.find(key); it != views.end()) return {diff::DropView{*it->second}};
    if (auto it = functions.find(key); it != functions.end()) {
      return {diff::DropFunction{*it->second}};
    }
    if (auto it = triggers.find(key); it != triggers.end()) {
      return {diff::DropTrigger{*it->second}};
    }
    if (auto it = policies.find(key); it != policies.end()) {
      return {diff::DropPolicy{*it->second}};
    }
    if (auto it = indexes.find(key); it != indexes.end()) return {diff::DropIndex{*it->second}};
    if (auto it = constraints.find(key); it != constraints.end()) {
      return {diff::DropConstraint{*it->second}};
    }
    if (auto it = rules.find(key); it != rules.end()) return {diff::DropRule{*it->second}};
    return {};
  }
  std::vector<Change> Create(const std::string& key) const {
    if (auto it = views.find(key); it != views.end()) {
      return diff::CreationChanges(*it->second);
    }
    if (auto it = functions.find(key); it != functions.end()) {
      return diff::CreationChanges(*it->second);
    }
    if (auto it = triggers.find(key); it != triggers.end()) {
      return diff::CreationChanges(*it->second);
    }
    if (auto it = policies.find(key); it != policies.end()) {
      return diff::CreationChanges(*it->second);
    }
    if (auto it = indexes.find(key); it != indexes.end()) {
      return diff::CreationChanges(*it->second);
    }
    if (auto it = constraints.find(key); it != constraints.end()) {
      return diff::CreationChanges(*it->second);
    }
    if (auto it = rules.find(key); it != rules.end()) return diff::CreationChanges(*it->second);
    return {};
  }
};

// Adds the drop and re-creation of every object that depends on something the changes drop
// or alter, so that PostgreSQL lets the change through.
class Rebuilder {
 public:
  Rebuilder(const Database& from, const Database& to, const Graph& from_graph)
      : from_(from), to_(to), from_graph_(from_graph), old_(from) {}

  void Run(std::vector<Change>& changes) {
    std::vector<std::pair<std::string, bool>> seeds;
    std::set<QualifiedName> key_tables;  // tables whose keys foreign keys may rest on
    std::vector<std::pair<QualifiedName, std::string>> rewritten_columns;
    std::set<std::pair<QualifiedName, std::string>> readded = ReaddedColumns(changes);
    for (const Change& change : changes) {
      std::visit(
          Overloaded{
              [&](const diff::DropColumn& c) {
                bool added_again = readded.count({c.table, c.column.name}) > 0;
                seeds.emplace_back(ColumnKey(c.table, c.column.name), added_again);
                if (added_again) rewritten_columns.emplace_back(c.table, c.column.name);
              },
              [&](const diff::RecreateColumn& c) {
                seeds.emplace_back(ColumnKey(c.table, c.from.name), true);
                rewritten_columns.emplace_back(c.table, c.from.name);
              },
              [&](const diff::AlterColumnType& c) {
                // PostgreSQL rebuilds the column's indexes and constraints by itself.
                seeds.emplace_back(ColumnKey(c.table, c.from.name), false);
              },
              [&](const diff::DropTable& c) {
                seeds.emplace_back(RelationKey(c.table->name), true);
                key_tables.insert(c.table->name);
              },
              [&](const diff::DropView& c) { seeds.emplace_back(RelationKey(c.view->name), true); },
              [&](const diff::DropFunction& c) {
                seeds.emplace_back(FunctionKey(*c.function), true);
              },
              [&](const diff::SwapEnum& c) {
                seeds.emplace_back(TypeKey(c.from->name), true);
                for (const auto& use : c.uses) {
                  seeds.emplace_back(ColumnKey(use.table, use.column), true);
                  if (MentionedInAnyIndexOrCheck(use, c.from->name)) {
                    rewritten_columns.emplace_back(use.table, use.column);
                  }
                }
                // Domains over the enum are replaced along with it.
                for (const auto& domain : c.domains) {
                  seeds.emplace_back(TypeKey(domain.from.name), true);
                  for (const auto& use : domain.uses) {
                    seeds.emplace_back(ColumnKey(use.table, use.column), true);
                    if (MentionedInAnyIndexOrCheck(use, c.from->name) ||
                        MentionedInAnyIndexOrCheck(use, domain.from.name)) {
                      rewritten_columns.emplace_back(use.table, use.column);
                    }
                  }
                }
              },
              [&](const diff::SwapDomain& c) {
                seeds.emplace_back(TypeKey(c.from->name), true);
                for (const auto& use : c.uses) {
                  seeds.emplace_back(ColumnKey(use.table, use.column), true);
                  if (MentionedInAnyIndexOrCheck(use, c.from->name)) {
                    rewritten_columns.emplace_back(use.table, use.column);
                  }
                }
              },
              [&](const diff::DropEnum& c) { seeds.emplace_back(TypeKey(c.type.name), true); },
              [&](const diff::DropDomain& c) { seeds.emplace_back(TypeKey(c.domain.name), true); },
              [&](const diff::DropCompositeType& c) {
                seeds.emplace_back(TypeKey(c.type.name), true);
              },
              // What names the collation is built again around the swap, and views on the
              // columns it moves.
              [&](const diff::SwapCollation& c) {
                seeds.emplace_back(CollationKey(c.from->name), true);
                for (const auto& use : c.uses) {
                  seeds.emplace_back(ColumnKey(use.table, use.column), true);
                }
              },
              // Views, indexes, constraints, triggers, policies, rules and functions using an
              // operator that is replaced are dropped before and created again after.
              [&](const diff::DropOperator& c) { seeds.emplace_back(OperatorKey(*c.op), true); },
              // Indexes using a replaced operator class are dropped and built again.
              [&](const diff::DropOperatorClass& c) {
                seeds.emplace_back(OperatorClassKey(c.opclass), true);
              },
              [&](const diff::DropConstraint& c) {
                if (schema::IsKey(c.constraint.type)) {
                  key_tables.insert(c.constraint.table);
                }
              },
              [&](const diff::DropIndex& c) {
                if (c.index.unique) key_tables.insert(c.index.table);
              },
              NothingFor<
                  void, diff::CreateSchema, diff::DropSchema, diff::CreateExtension,
                  diff::DropExtension, diff::AlterExtension, diff::CreateEnum, diff::AddEnumValue,
                  diff::CreateDomain, diff::AlterDomain, diff::CreateCompositeType,
                  diff::AlterCompositeType, diff::CreateSequence, diff::DropSequence,
                  diff::AlterSequence, diff::SetSequenceOwner, diff::CreateTable, diff::AddColumn,
                  diff::SetColumnDefault, diff::DropColumnDefault, diff::SetNotNull,
                  diff::DropNotNull, diff::AddIdentity, diff::DropIdentity, diff::AlterIdentity,
                  diff::SetColumnStorage, diff::SetColumnCompression, diff::DropExpression,
                  diff::AttachPartition, diff::DetachPartition, diff::SetInherit,
                  diff::SetReplicaIdentity, diff::SetLogged, diff::SetStorageOptions,
                  diff::SetRowSecurity, diff::SetForceRowSecurity, diff::AddConstraint,
                  diff::ValidateConstraint, diff::CreateIndex, diff::BackfillColumn,
                  diff::AttachIndex, diff::ReplaceKey, diff::CreateView, diff::CreateFunction,
                  diff::CreateTrigger, diff::DropTrigger, diff::SetTriggerEnabled,
                  diff::CreatePolicy, diff::DropPolicy, diff::AlterPolicy, diff::CreateRule,
                  diff::DropRule, diff::SetRuleEnabled, diff::CreateCollation, diff::DropCollation,
                  diff::CreateOperator, diff::AlterOperator, diff::CreateOperatorFamily,
                  diff::DropOperatorFamily, diff::AlterOperatorFamily, diff::CreateOperatorClass,
                  diff::SetComment, diff::GrantPrivileges, diff::RevokePrivileges, diff::Rename>{},
          },
          change);
    }

    std::set<std::string> visited;
    std::queue<std::pair<std::string, bool>> queue;
    for (const auto& seed : seeds) queue.push(seed);
    std::vector<std::string> rebuild;
    while (!queue.empty()) {
      auto [node, with_indexes] = queue.front();
      queue.pop();
      auto it = from_graph_.dependents.find(node);
      if (it == from_graph_.dependents.end()) continue;
      for (const std::string& dependent : it->second) {
        std::string kind = KindOf(dependent);
        bool rebuildable = kind == "rel" || kind == "fn" || kind == "trg" || kind == "pol" ||
                           kind == "rule" || (with_indexes && (kind == "idx" || kind == "con"));
        if (!rebuildable || !old_.Has(dependent) || !visited.insert(dependent).second) continue;
        rebuild.push_back(dependent);
        queue.emplace(dependent, true);
      }
    }
    // Indexes and constraints on a column that is dropped and added again, or converted to a
    // swapped type: pg_depend has them as automatic dependencies, which the model leaves out,
    // so find them by the column's name in their definition.
    for (const auto& [table, column] : rewritten_columns) {
      for (const schema::Index* index_ptr : IndexesOn(table)) {
        const schema::Index& index = *index_ptr;
        if (!MentionsIdentifier(index.definition, column)) continue;
        std::string key = IndexKey(index.name);
        if (visited.insert(key).second) rebuild.push_back(key);
      }
      for (const schema::Constraint* constraint_ptr : ConstraintsOn(table)) {
        const schema::Constraint& constraint = *constraint_ptr;
        if (!MentionsIdentifier(constraint.definition, column)) continue;
        std::string key = ConstraintKey(constraint.table, constraint.name);
        if (visited.insert(key).second) rebuild.push_back(key);
      }
    }
    // Foreign keys resting on a primary key, unique constraint or unique index that is dropped.
    for (const schema::Constraint& constraint : from_.constraints) {
      if (constraint.type != ConstraintType::kForeignKey || !constraint.referenced_table ||
          !key_tables.count(*constraint.referenced_table)) {
        continue;
      }
      std::string key = ConstraintKey(constraint.table, constraint.name);
      if (visited.insert(key).second) rebuild.push_back(key);
    }

    // Most plans (every create script) rebuild nothing: the indexes below are not needed then.
    if (rebuild.empty()) return;
    new_.emplace(to_);
    for (const Change& change : changes) {
      if (auto node = DroppedNode(change)) dropped_.insert(*node);
      if (auto node = CreatedNode(change)) created_.insert(*node);
      if (const auto* drop = std::get_if<diff::DropTable>(&change)) {
        gone_relations_.insert(drop->table->name);
      }
      if (const auto* drop = std::get_if<diff::DropView>(&change)) {
        gone_relations_.insert(drop->view->name);
      }
    }
    for (const std::string& key : rebuild) Rebuild(key, changes);
  }

 private:
  // An index or constraint on the table that names the type (a predicate like
  // `status = 'a'::status`): PostgreSQL would rebuild it from its text against the old type,
  // so it is rebuilt around the swap. Indexes that just cover the column convert by themselves.
  bool MentionedInAnyIndexOrCheck(const diff::ColumnUse& use, const QualifiedName& type) {
    std::string bare = QuoteIdentifier(type.name);
    auto names_type = [&](const std::string& definition) {
      return MentionsIdentifier(definition, use.column) &&
             (definition.find("::" + bare) != std::string::npos ||
              definition.find("::" + QuoteIdentifier(type.schema) + "." + bare) !=
                  std::string::npos);
    };
    for (const schema::Index* index : IndexesOn(use.table)) {
      if (names_type(index->definition)) return true;
    }
    for (const schema::Constraint* constraint : ConstraintsOn(use.table)) {
      if (names_type(constraint->definition)) return true;
    }
    return false;
  }

  const std::vector<const schema::Index*>& IndexesOn(const QualifiedName& table) {
    if (indexes_by_table_.empty()) {
      for (const schema::Index& index : from_.indexes) {
        indexes_by_table_[index.table].push_back(&index);
      }
    }
    return indexes_by_table_[table];
  }
  const std::vector<const schema::Constraint*>& ConstraintsOn(const QualifiedName& table) {
    if (constraints_by_table_.empty()) {
      for (const schema::Constraint& constraint : from_.constraints) {
        constraints_by_table_[constraint.table].push_back(&constraint);
      }
    }
    return constraints_by_table_[table];
  }

  void Rebuild(const std::string& key, std::vector<Change>& changes) {
    if (auto owner = old_.OwnerOf(key); owner && gone_relations_.count(*owner)) return;
    if (!dropped_.count(key)) {
      for (Change& change : old_.Drop(key)) changes.push_back(std::move(change));
      dropped_.insert(key);
    }
    if (!new_->Has(key)) return;
    if (created_.count(key)) {
      // CREATE OR REPLACE still works after the drop; say it is a plain create now.
      for (Change& change : changes) {
        if (auto* create = std::get_if<diff::CreateFunction>(&change)) {
          if (FunctionKey(*create->function) == key) create->replace = false;
        }
      }
      return;
    }
    for (Change& change : new_->Create(key)) changes.push_back(std::move(change));
    created_.insert(key);
    // An index made again is not the table's replica identity until that is said again.
    if (auto owner = new_->OwnerOf(key); owner && (KindOf(key) == "idx" || KindOf(key) == "con")) {
      for (const schema::Table& table : to_.tables) {
        if (table.name != *owner || table.replica_identity != 'i') continue;
        bool names_it = KindOf(key) == "idx"
                            ? IndexKey({owner->schema, table.replica_identity_index}) == key
                            : ConstraintKey(*owner, table.replica_identity_index) == key;
        if (names_it) {
          changes.push_back(
              diff::SetReplicaIdentity{table.name, 'i', table.replica_identity_index});
        }
      }
    }
    // A view takes its triggers and rules along, and a materialized view its indexes.
    if (auto it = new_->views.find(key); it != new_->views.end()) {
      for (const schema::Index& index : to_.indexes) {
        if (index.table != it->second->name) continue;
        std::string index_key = IndexKey(index.name);
        if (created_.count(index_key)) continue;
        for (Change& change : diff::CreationChanges(index)) changes.push_back(std::move(change));
        created_.insert(index_key);
      }
      for (const schema::Trigger& trigger : to_.triggers) {
        if (trigger.table != it->second->name) continue;
        std::string trigger_key = TriggerKey(trigger.table, trigger.name);
        if (created_.count(trigger_key)) continue;
        for (Change& change : diff::CreationChanges(trigger)) {
          changes.push_back(std::move(change));
        }
        created_.insert(trigger_key);
      }
      for (const schema::Rule& rule : to_.rules) {
        if (rule.table != it->second->name) continue;
        std::string rule_key = RuleKey(rule.table, rule.name);
        if (created_.count(rule_key)) continue;
        for (Change& change : diff::CreationChanges(rule)) changes.push_back(std::move(change));
        created_.insert(rule_key);
      }
    }
  }

  const Database& from_;
  const Database& to_;
  const Graph& from_graph_;
  Rebuildable old_;
  std::optional<Rebuildable> new_;  // built once something is rebuilt
  std::set<std::string> dropped_;
  std::set<std::string> created_;
  std::set<QualifiedName> gone_relations_;
  std::map<QualifiedName, std::vector<const schema::Index*>> indexes_by_table_;
  std::map<QualifiedName, std::vector<const schema::Constraint*>> constraints_by_table_;
};

// Removes changes made redundant by a re-creation: repeats of what the diff said already
// (only the changes the rebuild appended, from `first_added` on, can repeat one) and alters of
// objects that are created from scratch.
void Simplify(std::vector<Change>& changes, size_t first_added) {
  // What is created matters only to policy alters and constraint validations.
  bool alters = std::any_of(changes.begin(), changes.end(), [](const Change& change) {
    return std::holds_alternative<diff::AlterPolicy>(change) ||
           std::holds_alternative<diff::ValidateConstraint>(change);
  });
  if (!alters && first_added == changes.size()) return;
  std::set<std::string> created;
  for (const Change& change : changes) {
    if (!alters) break;
    if (auto node = CreatedNode(change)) created.insert(*node);
  }
  std::vector<Change> kept;
  kept.reserve(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    Change& change = changes[i];
    if (i >= first_added && std::find(kept.begin(), kept.end(), change) != kept.end()) continue;
    if (const auto* alter = std::get_if<diff::AlterPolicy>(&change)) {
      if (created.count(PolicyKey(alter->to->table, alter->to->name))) continue;
    }
    if (const auto* validate = std::get_if<diff::ValidateConstraint>(&change)) {
      if (created.count(ConstraintKey(validate->constraint.table, validate->constraint.name))) {
        continue;
      }
    }
    kept.push_back(std::move(change));
  }
  changes = std::move(kept);
}

enum class Phase {
  kSchemas,
  kExtensions,
  kDropReplacedCollations,  // unused (diff::Unsupported refuses the others)
  kCollations,
  kDropTriggers,
  kDropRules,
  kDropPolicies,
  kDropViews,
  kDropReplacedFunctions,
  kDropForeignKeys,
  kDropConstraints,
  kDropIndexes,
  kDropReplacedTables,
  kDropReplacedTypes,
  kDropReplacedOperators,  // and operator classes whose definition changes
  kTypes,
  kSequences,
  kFunctions,
  kOperators,  // and operator families and classes
  kTables,
  kDetach,
  kColumns,
  kAttach,
  kSequenceOwners,
  kConstraints,
  kIndexes,
  kForeignKeys,
  kViews,  // and functions whose signature needs a relation created in this plan
  kViewIndexes,
  kTriggers,
  kPolicies,
  kRules,
  kComments,
  kRevokes,
  kGrants,
  kDropColumns,
  kDropTables,
  kDropOperatorClasses,
  kDropOperatorFamilies,
  kDropOperators,
  kDropFunctions,
  kDropTypes,
  kDropCollations,
  kDropSequences,
  kDropExtensions,
  kDropSchemas,
};

struct Placement {
  Phase phase;
  int sub = 0;
  bool creates = true;  // ordered by the `to` edges (creations) or the `from` edges (drops)
};

class Placer {
 public:
  Placer(const Database& from, const Database& to, const Graph& to_graph,
         const std::vector<Change>& changes)
      : to_graph_(to_graph), readded_columns_(ReaddedColumns(changes)) {
    for (const auto& view : to.views) views_.insert(view.name);
    for (const auto& table : to.tables) {
      if (table.partition_of || !table.inherits.empty()) children_.emplace(table.name, &table);
    }
    std::set<QualifiedName> claimed;  // relation names (tables, views, indexes) created
    for (const Change& change : changes) {
      if (const auto* c = std::get_if<diff::CreateTable>(&change)) claimed.insert(c->table->name);
      if (const auto* c = std::get_if<diff::CreateView>(&change)) claimed.insert(c->view->name);
      if (const auto* c = std::get_if<diff::CreateIndex>(&change)) claimed.insert(c->index.name);
      if (const auto* c = std::get_if<diff::AddConstraint>(&change)) {
        if (schema::HasIndex(c->constraint.type)) {
          claimed.insert({c->constraint.table.schema, c->constraint.name});
        }
      }
      if (const auto* c = std::get_if<diff::AttachPartition>(&change)) {
        if (c->table->partition_of) parents_gaining_children_.insert(*c->table->partition_of);
      }
      if (const auto* c = std::get_if<diff::SetInherit>(&change)) {
        if (c->inherit) parents_gaining_children_.insert(c->parent);
      }
    }
    // A dropped table whose name, or the name of one of its indexes, is taken by a new table,
    // view or index (a table that becomes a view, an index moved to a table that replaces it)
    // must be gone before the new object is created.
    std::map<QualifiedName, std::vector<QualifiedName>> names_of_table;
    for (const auto& table : from.tables) names_of_table[table.name].push_back(table.name);
    for (const auto& index : from.indexes) names_of_table[index.table].push_back(index.name);
    for (const auto& constraint : from.constraints) {
      if (schema::HasIndex(constraint.type)) {
        names_of_table[constraint.table].push_back({constraint.table.schema, constraint.name});
      }
    }
    for (const auto& [table, names] : names_of_table) {
      if (std::any_of(names.begin(), names.end(),
                      [&](const QualifiedName& name) { return claimed.count(name) > 0; })) {
        name_taken_tables_.insert(table);
      }
    }
    for (const Change& change : changes) {
      if (const auto* c = std::get_if<diff::CreateTable>(&change)) {
        created_tables_.insert(c->table->name);
        created_relation_names_.push_back(c->table->name);
      }
      if (const auto* c = std::get_if<diff::CreateView>(&change)) {
        created_relation_names_.push_back(c->view->name);
      }
      if (const auto* c = std::get_if<diff::DropTable>(&change)) {
        dropped_tables_[c->table->name] = c->table->partition_of;
        dropped_table_names_.push_back(c->table->name);
      }
      if (const auto* c = std::get_if<diff::DropView>(&change)) {
        dropped_table_names_.push_back(c->view->name);
      }
      if (const auto* c = std::get_if<diff::CreateFunction>(&change)) {
        created_functions_.insert(c->function->name);
      }
      if (const auto* c = std::get_if<diff::CreateCompositeType>(&change)) {
        created_types_.insert(c->type.name);
      }
      if (const auto* c = std::get_if<diff::SetInherit>(&change); c && !c->inherit) {
        leaving_parents_.insert(c->table);
      }
      if (auto node = CreatedNode(change)) {
        std::string kind = KindOf(*node);
        if (kind == "coll" || kind == "op" || kind == "opc") created_nodes_.insert(*node);
      }
    }
  }

  Placement Place(const Change& change) const {
    return std::visit(
        Overloaded{
            [](const diff::CreateSchema&) { return Placement{Phase::kSchemas}; },
            [](const diff::DropSchema&) {
              return Placement{Phase::kDropSchemas, 0, false};
            },
            [](const diff::CreateExtension&) { return Placement{Phase::kExtensions}; },
            [](const diff::AlterExtension&) { return Placement{Phase::kExtensions}; },
            [](const diff::DropExtension&) {
              return Placement{Phase::kDropExtensions, 0, false};
            },
            [](const diff::CreateEnum&) {
              return Placement{Phase::kTypes, 0};
            },
            [](const diff::AddEnumValue&) {
              return Placement{Phase::kTypes, 1};
            },
            [](const diff::SwapEnum&) {
              return Placement{Phase::kTypes, 2};
            },
            [](const diff::CreateDomain&) {
              return Placement{Phase::kTypes, 3};
            },
            [](const diff::AlterDomain&) {
              return Placement{Phase::kTypes, 3};
            },
            [](const diff::SwapDomain&) {
              return Placement{Phase::kTypes, 3};
            },
            [](const diff::CreateCompositeType&) {
              return Placement{Phase::kTypes, 4};
            },
            [](const diff::AlterCompositeType&) {
              return Placement{Phase::kTypes, 4};
            },
            [](const diff::DropEnum&) {
              return Placement{Phase::kDropTypes, 2, false};
            },
            [](const diff::DropDomain&) {
              return Placement{Phase::kDropTypes, 1, false};
            },
            [this](const diff::DropCompositeType& c) {
              if (created_types_.count(c.type.name)) {
                return Placement{Phase::kDropReplacedTypes, 0, false};
              }
              return Placement{Phase::kDropTypes, 0, false};
            },
            [](const diff::CreateSequence&) { return Placement{Phase::kSequences}; },
            [](const diff::AlterSequence&) { return Placement{Phase::kSequences}; },
            [](const diff::SetSequenceOwner&) { return Placement{Phase::kSequenceOwners}; },
            [](const diff::DropSequence&) {
              return Placement{Phase::kDropSequences, 0, false};
            },
            [](const diff::CreateTable&) { return Placement{Phase::kTables}; },
            [this](const diff::DropTable& c) {
              if (Replaced(c.table->name) || name_taken_tables_.count(c.table->name)) {
                return Placement{Phase::kDropReplacedTables, 0, false};
              }
              return Placement{Phase::kDropTables, 0, false};
            },
            [this](const diff::DropColumn& c) {
              // A generated column dropped to be added again goes with the type change it
              // makes way for; a parent's column goes before a partition or child that lacks
              // it is attached.
              if (readded_columns_.count({c.table, c.column.name}) ||
                  parents_gaining_children_.count(c.table)) {
                return Placement{Phase::kColumns};
              }
              return Placement{Phase::kDropColumns, 0, false};
            },
            [](const diff::DetachPartition&) { return Placement{Phase::kDetach}; },
            [](const diff::AttachPartition&) { return Placement{Phase::kAttach}; },
            // A new child must have the parent's columns and CHECK constraints first.
            [](const diff::SetInherit& c) {
              return c.inherit ? Placement{Phase::kIndexes, -1} : Placement{Phase::kDetach};
            },
            // SET STORAGE reaches the children: a parent's goes first, so that a child's own
            // is the last word.
            [this](const diff::SetColumnStorage& c) {
              return Placement{Phase::kColumns, kStorageSub + InheritanceDepth(c.table)};
            },
            [](const diff::SetColumnCompression&) {
              return Placement{Phase::kColumns, kStorageSub};
            },
            // USING INDEX once the index (or the key behind it) exists; the others before
            // the old identity index is dropped, or once a new table exists.
            [this](const diff::SetReplicaIdentity& c) {
              if (c.identity == 'i') return Placement{Phase::kIndexes, 1};
              if (created_tables_.count(c.table)) return Placement{Phase::kColumns};
              return Placement{Phase::kDropForeignKeys, -1};
            },
            [](const diff::SetStorageOptions& c) {
              return Placement{c.materialized_view ? Phase::kViewIndexes : Phase::kColumns};
            },
            // A child's own CHECK before its parent's of the same name, which then merges
            // with it instead of failing on it.
            [this](const diff::AddConstraint& c) {
              if (c.constraint.type == ConstraintType::kForeignKey)
                return Placement{Phase::kForeignKeys};
              return Placement{Phase::kConstraints, -InheritanceDepth(c.constraint.table)};
            },
            [](const diff::ValidateConstraint&) {
              return Placement{Phase::kForeignKeys, 1};
            },
            // A table leaving its parent can drop what it inherited only once it has left.
            [this](const diff::DropConstraint& c) {
              if (c.constraint.type == ConstraintType::kCheck &&
                  leaving_parents_.count(c.constraint.table)) {
                return Placement{Phase::kColumns, -1, false};
              }
              return Placement{c.constraint.type == ConstraintType::kForeignKey
                                   ? Phase::kDropForeignKeys
                                   : Phase::kDropConstraints,
                               0, false};
            },
            [this](const diff::CreateIndex& c) {
              return Placement{views_.count(c.index.table) ? Phase::kViewIndexes : Phase::kIndexes};
            },
            [](const diff::DropIndex&) {
              return Placement{Phase::kDropIndexes, 0, false};
            },
            [](const diff::CreateView&) { return Placement{Phase::kViews}; },
            [](const diff::DropView&) {
              return Placement{Phase::kDropViews, 0, false};
            },
            [this](const diff::CreateFunction& c) {
              return Placement{NeedsNewRelation(*c.function) ? Phase::kViews : Phase::kFunctions};
            },
            [this](const diff::DropFunction& c) {
              // Before a table whose row type it returns or takes goes away.
              if (created_functions_.count(c.function->name) ||
                  SignatureUses(*c.function, dropped_table_names_)) {
                return Placement{Phase::kDropReplacedFunctions, 0, false};
              }
              return Placement{Phase::kDropFunctions, 0, false};
            },
            [](const diff::CreateTrigger&) { return Placement{Phase::kTriggers}; },
            [](const diff::SetTriggerEnabled&) {
              return Placement{Phase::kTriggers, 1};
            },
            [](const diff::DropTrigger&) {
              return Placement{Phase::kDropTriggers, 0, false};
            },
            [](const diff::CreatePolicy&) { return Placement{Phase::kPolicies}; },
            [](const diff::AlterPolicy&) { return Placement{Phase::kPolicies}; },
            [](const diff::DropPolicy&) {
              return Placement{Phase::kDropPolicies, 0, false};
            },
            [](const diff::CreateRule&) { return Placement{Phase::kRules}; },
            [](const diff::SetRuleEnabled&) {
              return Placement{Phase::kRules, 1};
            },
            [](const diff::DropRule&) {
              return Placement{Phase::kDropRules, 0, false};
            },
            [](const diff::CreateCollation&) { return Placement{Phase::kCollations}; },
            // After the drops of what names the old collation, before the types and columns
            // that may use the new one.
            [](const diff::SwapCollation&) {
              return Placement{Phase::kTypes, 0};
            },
            [this](const diff::DropCollation& c) {
              if (created_nodes_.count(CollationKey(c.collation.name))) {
                return Placement{Phase::kDropReplacedCollations, 0, false};
              }
              return Placement{Phase::kDropCollations, 0, false};
            },
            [](const diff::CreateOperator&) {
              return Placement{Phase::kOperators, 0};
            },
            [](const diff::AlterOperator&) {
              return Placement{Phase::kOperators, 0};
            },
            [this](const diff::DropOperator& c) {
              if (created_nodes_.count(OperatorKey(*c.op))) {
                return Placement{Phase::kDropReplacedOperators, 1, false};
              }
              return Placement{Phase::kDropOperators, 0, false};
            },
            [](const diff::CreateOperatorFamily&) {
              return Placement{Phase::kOperators, 1};
            },
            // After the operators and functions it adds, before the classes that may need
            // them (a class's members may not repeat a family's).
            [](const diff::AlterOperatorFamily&) {
              return Placement{Phase::kOperators, 2};
            },
            [](const diff::DropOperatorFamily&) {
              return Placement{Phase::kDropOperatorFamilies, 0, false};
            },
            [](const diff::CreateOperatorClass&) {
              return Placement{Phase::kOperators, 3};
            },
            [this](const diff::DropOperatorClass& c) {
              if (created_nodes_.count(OperatorClassKey(c.opclass))) {
                return Placement{Phase::kDropReplacedOperators, 0, false};
              }
              return Placement{Phase::kDropOperatorClasses, 0, false};
            },
            [](const diff::SetComment&) { return Placement{Phase::kComments}; },
            [](const diff::RevokePrivileges&) { return Placement{Phase::kRevokes}; },
            [](const diff::GrantPrivileges&) { return Placement{Phase::kGrants}; },
            // Column and table alterations keep the diff's order, which is already right
            // for each column (identity and defaults off, type, defaults and NOT NULL on). A
            // child's come after its parents': what a parent's ALTER passes on to it (ADD
            // COLUMN, SET DEFAULT, TYPE) is there before the child's own word on it.
            [this](const auto& c) {
              if constexpr (requires { QualifiedName(c.table); }) {
                return Placement{Phase::kColumns, InheritanceDepth(c.table)};
              } else {
                return Placement{Phase::kColumns};
              }
            },
        },
        change);
  }

 private:
  // Dropped before it is created again: a table recreated, or a partition of a recreated
  // parent (the parent's DROP TABLE takes it along).
  bool Replaced(const QualifiedName& table, int depth = 0) const {
    if (created_tables_.count(table)) return true;
    auto it = dropped_tables_.find(table);
    if (it == dropped_tables_.end() || !it->second || depth > 32) return false;
    return dropped_tables_.count(*it->second) && Replaced(*it->second, depth + 1);
  }

  // How many levels of parents `table` has in `to` (0 for a table without any).
  int InheritanceDepth(const QualifiedName& table, int limit = 32) const {
    auto it = children_.find(table);
    if (it == children_.end() || limit == 0) return 0;
    const schema::Table& child = *it->second;
    std::vector<QualifiedName> parents = child.inherits;
    if (child.partition_of) parents.push_back(*child.partition_of);
    int depth = 0;
    for (const QualifiedName& parent : parents) {
      depth = std::max(depth, 1 + InheritanceDepth(parent, limit - 1));
    }
    return depth;
  }

  // A function whose signature or body needs tables and views in their final shape: a
  // BEGIN ATOMIC body (its pg_depend edges name relations and columns, which may be created or
  // altered by this plan), RETURNS SETOF t or an argument of a row type this plan creates.
  bool NeedsNewRelation(const schema::Function& function) const {
    auto it = to_graph_.references.find(FunctionKey(function));
    if (it != to_graph_.references.end()) {
      for (const std::string& referenced : it->second) {
        std::string kind = KindOf(referenced);
        if (kind == "rel" || kind == "col") return true;
      }
    }
    return SignatureUses(function, created_relation_names_);
  }

  // Whether the result or an argument of `function` is the row type of one of `relations`.
  static bool SignatureUses(const schema::Function& function,
                            const std::vector<QualifiedName>& relations) {
    std::vector<std::string> types;
    std::string result = function.result;
    if (StartsWith(result, "SETOF ")) result = result.substr(6);
    types.push_back(result);
    for (const std::string& argument : Split(function.arguments, ',')) {
      std::string piece(Trim(argument));
      types.push_back(piece);
      size_t space = piece.rfind(' ');
      if (space != std::string::npos) types.push_back(piece.substr(space + 1));
    }
    for (const QualifiedName& relation : relations) {
      for (const std::string& type : types) {
        if (diff::TypeNames(type, relation, nullptr)) return true;
      }
    }
    return false;
  }

  const Graph& to_graph_;
  std::set<std::pair<QualifiedName, std::string>> readded_columns_;
  std::set<QualifiedName> parents_gaining_children_;
  std::set<QualifiedName> name_taken_tables_;
  std::set<QualifiedName> views_;
  std::map<QualifiedName, const schema::Table*> children_;  // tables with a parent, in `to`
  std::set<QualifiedName> leaving_parents_;  // tables with an ALTER TABLE ... NO INHERIT
  // Storage and compression after every other column change (a type change resets them).
  static constexpr int kStorageSub = 100;
  std::set<QualifiedName> created_tables_;
  std::vector<QualifiedName> created_relation_names_;
  std::map<QualifiedName, std::optional<QualifiedName>> dropped_tables_;  // -> partition_of
  std::vector<QualifiedName> dropped_table_names_;                        // tables and views
  std::set<QualifiedName> created_functions_;
  std::set<QualifiedName> created_types_;
  std::set<std::string> created_nodes_;  // collations, operators and classes created
};

// Structural edges the catalog's pg_depend rows may not carry: a partition or inheritance
// child needs its parent.
void AddTableEdges(const Database& db, Graph& graph) {
  for (const schema::Table& table : db.tables) {
    std::vector<QualifiedName> parents = table.inherits;
    if (table.partition_of) parents.push_back(*table.partition_of);
    for (const QualifiedName& parent : parents) {
      graph.dependents[RelationKey(parent)].insert(RelationKey(table.name));
      graph.references[RelationKey(table.name)].insert(RelationKey(parent));
    }
  }
  // A rule's tie to its own table or view is automatic (deptype 'a'), which the catalog's
  // dependencies leave out.
  for (const schema::Rule& rule : db.rules) {
    graph.dependents[RelationKey(rule.table)].insert(RuleKey(rule.table, rule.name));
    graph.references[RuleKey(rule.table, rule.name)].insert(RelationKey(rule.table));
  }
}

// Kahn's algorithm over `members` (indices into `nodes`), ties broken by position, so equal
// inputs give equal plans. A cycle (which PostgreSQL would refuse too) keeps the input order.
std::vector<size_t> TopologicalOrder(const std::vector<size_t>& members,
                                     const std::vector<std::optional<std::string>>& nodes,
                                     const Graph& graph, bool creates) {
  // Positions in `members` (ascending, like the members themselves) index the work arrays.
  std::unordered_map<std::string_view, std::vector<size_t>> by_node;
  by_node.reserve(members.size());
  for (size_t at = 0; at < members.size(); ++at) {
    if (nodes[members[at]]) by_node[*nodes[members[at]]].push_back(at);
  }
  // position -> positions that must come after it. A pair is found once at most: each position
  // belongs to one node, and a member's edges name each node once.
  std::vector<std::vector<size_t>> after(members.size());
  std::vector<int> blockers(members.size(), 0);
  const auto& edges = creates ? graph.references : graph.dependents;
  for (size_t at = 0; at < members.size(); ++at) {
    const auto& node = nodes[members[at]];
    if (!node) continue;
    // creates: a member goes after the members whose objects it references;
    // drops: a member goes after the members whose objects depend on it.
    auto it = edges.find(*node);
    if (it == edges.end()) continue;
    for (const std::string& other : it->second) {
      auto found = by_node.find(other);
      if (found == by_node.end()) continue;
      for (size_t first : found->second) {
        if (first == at) continue;
        after[first].push_back(at);
        ++blockers[at];
      }
    }
  }
  std::set<size_t> ready;
  for (size_t at = 0; at < members.size(); ++at) {
    if (blockers[at] == 0) ready.insert(ready.end(), at);
  }
  std::vector<size_t> order;
  order.reserve(members.size());
  std::vector<bool> placed(members.size(), false);
  size_t first_unplaced = 0;
  while (order.size() < members.size()) {
    if (ready.empty()) {
      // A cycle: take the earliest remaining member.
      while (placed[first_unplaced]) ++first_unplaced;
      ready.insert(first_unplaced);
    }
    size_t next = *ready.begin();
    ready.erase(ready.begin());
    if (placed[next]) continue;
    placed[next] = true;
    order.push_back(members[next]);
    for (size_t successor : after[next]) {
      if (--blockers[successor] == 0 && !placed[successor]) ready.insert(successor);
    }
  }
  return order;
}

// Whether ALTER COLUMN ... TYPE `type` may change only the catalog (varchar(n) to a longer one
// or text, numeric to a wider one): lint's changing-column-type is a warning then, not an error.
bool MayBeBinaryCoercible(const std::string& type) {
  std::string base = type.substr(0, type.find('('));
  for (const char* name :
       {"text", "character varying", "numeric", "bit varying", "citext", "character"}) {
    if (base == name) return true;
  }
  return false;
}

// The step's hazards, as lint reports its statements: a change to a relation the plan creates
// (or creates again) hurts nobody, so only `existing` relations count.
void Flag(Step& step, const std::set<QualifiedName>& new_tables,
          const std::set<std::pair<QualifiedName, std::string>>& readded,
          const std::set<QualifiedName>& existing) {
  auto add = [&step](RuleId rule, std::string message) {
    step.mutable_details().hazards.push_back({rule, std::move(message)});
  };
  auto exists = [&existing](const QualifiedName& table) { return existing.count(table) > 0; };
  std::visit(
      Overloaded{
          [&](const diff::DropSchema& c) {
            add(RuleId::kDropSchema, "drops schema " + QuoteIdentifier(c.schema.name));
          },
          [&](const diff::DropTable& c) {
            step.destructive = true;
            bool again = new_tables.count(c.table->name) > 0;
            // Its partitions go with it (the diff drops none of them on its own).
            step.mutable_details().destructive_note =
                std::string(c.table->partition_of ? "drops partition " : "drops table ") +
                c.table->name.Sql() +
                (c.table->partitioned ? ", its partitions and their data" : " and its data") +
                (again ? " to create it again (its partitioning changes)" : "");
            add(RuleId::kDropTable, step.destructive_note());
          },
          [&](const diff::DropColumn& c) {
            if (readded.count({c.table, c.column.name})) {
              add(RuleId::kDropColumn, "drops generated column " + c.table.Sql() + "." +
                                           QuoteIdentifier(c.column.name) +
                                           " to add it again after the type change it reads "
                                           "(values are computed again)");
              return;
            }
            step.destructive = true;
            step.mutable_details().destructive_note = "drops column " + c.table.Sql() + "." +
                                                      QuoteIdentifier(c.column.name) +
                                                      " and its data";
            add(RuleId::kDropColumn, step.destructive_note());
          },
          [&](const diff::RecreateColumn& c) {
            step.destructive = true;
            step.mutable_details().destructive_note =
                "drops column " + c.table.Sql() + "." + QuoteIdentifier(c.from.name) +
                " and adds it again as a generated column (PostgreSQL 15 "
                "cannot change a generation expression)";
            add(RuleId::kDropColumn, step.destructive_note());
            if (exists(c.table)) {
              add(RuleId::kAddingGeneratedColumn, "rewrites table " + c.table.Sql());
            }
          },
          [&](const diff::SwapEnum& c) {
            if (!c.removed_values.empty()) {
              step.destructive = true;
              std::vector<std::string> quoted;
              for (const auto& value : c.removed_values) quoted.push_back(QuoteLiteral(value));
              bool several = quoted.size() > 1;
              step.mutable_details().destructive_note =
                  std::string(several ? "removes values " : "removes value ") + Join(quoted, ", ") +
                  " from enum " + c.from->name.Sql() +
                  (several ? ": rows holding them" : ": rows holding it") + " fail to convert";
            }
            bool converts =
                std::any_of(c.uses.begin(), c.uses.end(),
                            [&](const diff::ColumnUse& use) { return exists(use.table); });
            for (const diff::RebasedDomain& domain : c.domains) {
              for (const diff::ColumnUse& use : domain.uses) {
                converts = converts || exists(use.table);
              }
            }
            if (converts) {
              add(RuleId::kChangingColumnType,
                  "rewrites every table with a column of type " + c.from->name.Sql());
            }
          },
          [&](const diff::SwapDomain& c) {
            if (std::any_of(c.uses.begin(), c.uses.end(),
                            [&](const diff::ColumnUse& use) { return exists(use.table); })) {
              add(RuleId::kChangingColumnType,
                  "rewrites every table with a column of type " + c.from->name.Sql());
            }
          },
          [&](const diff::SwapCollation& c) {
            if (std::any_of(c.uses.begin(), c.uses.end(),
                            [&](const diff::CollatedColumn& use) { return exists(use.table); })) {
              add(RuleId::kChangingColumnType,
                  "rebuilds the indexes of every column using collation " + c.from->name.Sql());
            }
          },
          [&](const diff::AlterColumnType& c) {
            if (!exists(c.table)) return;
            std::string message = "rewrites table " + c.table.Sql() + " and rebuilds its indexes";
            // An explicit cast (USING col::type) cuts strings and rounds numbers to fit
            // silently, where an assignment would fail.
            for (const char* sized : {"character varying(", "character(", "bit(", "numeric("}) {
              if (StartsWith(c.to.type, sized) && c.from.type != c.to.type) {
                message += "; the cast truncates or rounds values that do not fit " + c.to.type;
              }
            }
            // Without a USING clause (the render writes one whenever the type changes) the
            // server may find the types binary-coercible and skip the rewrite.
            bool has_using = c.using_expr || (c.from.type != c.to.type && !c.to.generated_expr());
            step.mutable_details().hazards.push_back(
                {RuleId::kChangingColumnType, std::move(message),
                 /*uncertain=*/!has_using && MayBeBinaryCoercible(c.to.type)});
          },
          [&](const diff::SetNotNull& c) {
            if (!exists(c.table)) return;
            add(RuleId::kSettingNotNull,
                "scans table " + c.table.Sql() + "; fails if " + c.column + " holds NULLs");
          },
          [&](const diff::DropNotNull& c) {
            if (!exists(c.table)) return;
            add(RuleId::kDroppingNotNull,
                "lets NULLs into " + c.table.Sql() + "." + QuoteIdentifier(c.column));
          },
          [&](const diff::AddColumn& c) {
            if (!exists(c.table)) return;
            const schema::Column& column = c.column;
            if (column.generated_expr()) {
              add(RuleId::kAddingGeneratedColumn, "rewrites table " + c.table.Sql());
            } else if (column.identity) {
              add(RuleId::kVolatileDefault,
                  "rewrites table " + c.table.Sql() + ": an identity column is filled row by row");
            } else if (column.default_expr && !DefaultIsStoredOnce(*column.default_expr)) {
              add(RuleId::kVolatileDefault, "rewrites table " + c.table.Sql() + ": the default " +
                                                *column.default_expr + " is computed per row");
            } else if (column.not_null && !column.default_expr) {
              add(RuleId::kAddingRequiredField, "fails if table " + c.table.Sql() + " has rows");
            }
          },
          [&](const diff::AddConstraint& c) {
            if (!exists(c.constraint.table)) return;
            const std::string& definition = c.constraint.definition;
            bool not_valid = definition != diff::WithoutNotValid(definition);
            std::string table = c.constraint.table.Sql();
            switch (c.constraint.type) {
              case ConstraintType::kCheck:
                if (!not_valid)
                  add(RuleId::kConstraintMissingNotValid, "scans table " + table + " under lock");
                break;
              case ConstraintType::kForeignKey:
                if (!not_valid) {
                  add(RuleId::kAddingForeignKeyConstraint,
                      "scans table " + table +
                          " while blocking writes to it and the referenced table");
                }
                break;
              case ConstraintType::kPrimaryKey:
              case ConstraintType::kUnique:
              case ConstraintType::kExclusion:
                // USING INDEX takes over a built index: nothing to build.
                if (definition.find(" USING INDEX ") == std::string::npos) {
                  add(RuleId::kAddingUniqueConstraint,
                      "builds the constraint's index on " + table + " under ACCESS EXCLUSIVE");
                }
                break;
            }
          },
          [&](const diff::CreateIndex& c) {
            if (!exists(c.index.table)) return;
            if (!c.concurrently) {
              add(RuleId::kRequireConcurrentIndexCreation,
                  "blocks writes to " + c.index.table.Sql() + " while the index builds");
            }
            if (c.index.unique) {
              add(RuleId::kAddingUniqueIndex,
                  "fails if " + c.index.table.Sql() + " holds duplicates");
            }
          },
          [&](const diff::DropIndex& c) {
            if (!c.concurrently) {
              add(RuleId::kRequireConcurrentIndexDeletion,
                  "takes ACCESS EXCLUSIVE on " + c.index.table.Sql() + " to drop index " +
                      c.index.name.Sql());
            }
          },
          [&](const diff::SetLogged& c) {
            if (exists(c.table))
              add(RuleId::kChangingTablePersistence, "rewrites table " + c.table.Sql());
          },
          [&](const diff::DropSequence& c) {
            add(RuleId::kDropSequence,
                "loses the current value of sequence " + c.sequence.name.Sql());
          },
          // Lowering a sequence's or an identity's MAXVALUE, dropping a composite type and
          // attaching a partition can fail or scan too, but lint has no rule for them: they are
          // PostgreSQL's to refuse, with its own message.
          NothingFor<
              void, diff::CreateSchema, diff::CreateExtension, diff::DropExtension,
              diff::AlterExtension, diff::CreateEnum, diff::DropEnum, diff::AddEnumValue,
              diff::CreateDomain, diff::DropDomain, diff::AlterDomain, diff::CreateCompositeType,
              diff::DropCompositeType, diff::AlterCompositeType, diff::CreateSequence,
              diff::AlterSequence, diff::SetSequenceOwner, diff::CreateTable,
              diff::SetColumnDefault, diff::DropColumnDefault, diff::AddIdentity,
              diff::DropIdentity, diff::AlterIdentity, diff::SetColumnStorage,
              diff::SetColumnCompression, diff::DropExpression, diff::AttachPartition,
              diff::DetachPartition, diff::SetInherit, diff::SetReplicaIdentity,
              diff::SetStorageOptions, diff::SetRowSecurity, diff::SetForceRowSecurity,
              diff::DropConstraint, diff::ValidateConstraint, diff::BackfillColumn,
              diff::AttachIndex, diff::ReplaceKey, diff::CreateView, diff::DropView,
              diff::CreateFunction, diff::DropFunction, diff::CreateTrigger, diff::DropTrigger,
              diff::SetTriggerEnabled, diff::CreatePolicy, diff::DropPolicy, diff::AlterPolicy,
              diff::CreateRule, diff::DropRule, diff::SetRuleEnabled, diff::CreateCollation,
              diff::DropCollation, diff::CreateOperator, diff::DropOperator, diff::AlterOperator,
              diff::CreateOperatorFamily, diff::DropOperatorFamily, diff::AlterOperatorFamily,
              diff::CreateOperatorClass, diff::DropOperatorClass, diff::SetComment,
              diff::GrantPrivileges, diff::RevokePrivileges, diff::Rename>{},
      },
      step.change);
}

}  // namespace

// What Order needs of the two models besides the changes: their dependency graphs.
struct Dependencies::Graphs {
  Graph from;
  Graph to;
};

Dependencies::Dependencies(std::unique_ptr<const Graphs> graphs) : graphs_(std::move(graphs)) {}
Dependencies::Dependencies(Dependencies&&) noexcept = default;
Dependencies& Dependencies::operator=(Dependencies&&) noexcept = default;
Dependencies::~Dependencies() = default;

namespace {

// Builds the graphs; gives up (returns nothing) once `stop` is requested, checking between steps.
std::optional<Dependencies> BuildGraphs(const Database& from, const Database& to,
                                        const std::stop_token& stop) {
  Registry registry;
  auto graphs = std::make_unique<Dependencies::Graphs>();
  const std::function<void()> steps[] = {
      [&] { registry.Need(from); },
      [&] { registry.Need(to); },
      [&] { registry.Add(from); },
      [&] { registry.Add(to); },
      [&] { graphs->from.Build(from, registry); },
      [&] { AddTableEdges(from, graphs->from); },
      [&] { graphs->to.Build(to, registry); },
      [&] { AddTableEdges(to, graphs->to); },
  };
  for (const auto& step : steps) {
    if (stop.stop_requested()) return std::nullopt;
    step();
  }
  return Dependencies(std::move(graphs));
}

Plan OrderWithGraphs(const Database& from, const Database& to, std::vector<Change> changes,
                     const Dependencies::Graphs& graphs) {
  const Graph& from_graph = graphs.from;
  const Graph& to_graph = graphs.to;
  size_t diff_changes = changes.size();
  Rebuilder(from, to, from_graph).Run(changes);
  Simplify(changes, diff_changes);

  Placer placer(from, to, to_graph, changes);
  std::vector<Placement> placements;
  placements.reserve(changes.size());
  for (const Change& change : changes) placements.push_back(placer.Place(change));

  // Group by (phase, sub), keeping the diff's order inside a group, then sort each group by
  // dependencies.
  std::map<std::pair<int, int>, std::vector<size_t>> groups;
  for (size_t i = 0; i < changes.size(); ++i) {
    groups[{static_cast<int>(placements[i].phase), placements[i].sub}].push_back(i);
  }
  std::vector<std::optional<std::string>> nodes(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    nodes[i] = placements[i].creates ? CreatedNode(changes[i]) : DroppedNode(changes[i]);
  }
  std::vector<size_t> order;
  order.reserve(changes.size());
  for (const auto& [group, members] : groups) {
    bool creates = placements[members.front()].creates;
    for (size_t index :
         TopologicalOrder(members, nodes, creates ? to_graph : from_graph, creates)) {
      order.push_back(index);
    }
  }
  // Gone before the steps are made: a 10,000-table create script has 100,000 of each.
  std::vector<std::optional<std::string>>().swap(nodes);
  std::vector<Placement>().swap(placements);
  groups.clear();
  std::set<QualifiedName> new_tables;
  for (const schema::Table& table : to.tables) new_tables.insert(table.name);
  std::set<std::pair<QualifiedName, std::string>> readded = ReaddedColumns(changes);
  Plan plan;
  plan.steps.reserve(changes.size());
  for (size_t index : order) plan.steps.emplace_back().change = std::move(changes[index]);
  std::set<QualifiedName> existing = ExistingRelations(from, plan.steps);
  for (Step& step : plan.steps) Flag(step, new_tables, readded, existing);
  return plan;
}

}  // namespace

namespace {

Plan BuildWithoutRenames(const Database& from, const Database& to, bool online,
                         const DependencySource& dependencies) {
  std::vector<Change> changes = diff::Diff(from, to);
  // Equal models need no graphs: a caller building them elsewhere stops them.
  if (changes.empty()) return {};
  Dependencies graphs = dependencies ? dependencies() : *BuildGraphs(from, to, {});
  Plan plan = OrderWithGraphs(from, to, std::move(changes), graphs.graphs());
  if (online) MakeOnline(plan, from, to);
  return plan;
}

// A rename the author asked for keeps the data but breaks the application code still using the
// old name, which lint reports (renaming-table, renaming-column): the file says it was decided.
Step RenameStep(const diff::Rename& rename) {
  Step step;
  step.change = rename;
  bool column = rename.kind == diff::Rename::Kind::kColumn;
  std::string old_name =
      column ? rename.object.Sql() + "." + QuoteIdentifier(rename.member) : rename.object.Sql();
  if (column || rename.kind == diff::Rename::Kind::kTable) {
    step.mutable_details().hazards.push_back(
        {column ? RuleId::kRenamingColumn : RuleId::kRenamingTable,
         "renames " + old_name + " to " + QuoteIdentifier(rename.new_name)});
  }
  if (!rename.asked) return step;
  step.mutable_details().comments.push_back(
      "Renamed as the author asked (--rename, or yes at the prompt), which keeps the data. "
      "Application code that still names " +
      old_name +
      " fails from the moment this commits: deploy the code that uses the new name with it, "
      "or expand and contract instead (see `retort lint --rules`).");
  step.mutable_details().lint_ignore = {column ? RuleId::kRenamingColumn : RuleId::kRenamingTable};
  return step;
}

// The comment (and note) on the DROP of a likely rename's old column or table.
void AddRenameHints(Plan& plan, const std::vector<RenameHint>& hints,
                    const std::map<QualifiedName, QualifiedName>& renamed_tables) {
  for (const RenameHint& hint : hints) {
    const diff::RenameSpec& likely = hint.likely;
    QualifiedName table = likely.table;
    // A column hint names the table as it is after this plan's table renames.
    for (const auto& [old_name, new_name] : renamed_tables) {
      if (old_name == table) table = new_name;
    }
    for (Step& step : plan.steps) {
      bool drops = false;
      if (const auto* column = std::get_if<diff::DropColumn>(&step.change)) {
        drops = !likely.column.empty() && column->table == table &&
                column->column.name == likely.column;
      } else if (const auto* dropped = std::get_if<diff::DropTable>(&step.change)) {
        drops = likely.column.empty() && dropped->table->name == table;
      }
      if (!drops) continue;
      std::string old_name =
          likely.column.empty() ? table.Sql() : table.Sql() + "." + QuoteIdentifier(likely.column);
      std::string new_name = likely.column.empty()
                                 ? QualifiedName{table.schema, likely.new_name}.Sql()
                                 : table.Sql() + "." + QuoteIdentifier(likely.new_name);
      std::string same = likely.column.empty()
                             ? "the same columns and constraints"
                             : "the same type, collation, NOT NULL, default and identity";
      // The flag on a line of its own: a comment is wrapped at spaces.
      step.mutable_details().comments.push_back(
          "Probably a rename: " + new_name + ", which this migration " +
          (likely.column.empty() ? "creates" : "adds") + ", has " + same +
          ". If it is, autogenerate again with the flag below: ALTER TABLE "
          "... RENAME keeps the data this DROP destroys.");
      step.mutable_details().comments.push_back("--rename " + hint.flag);
      if (hint.note) {
        step.mutable_details().note = old_name + " is dropped and " + new_name + " " +
                                      (likely.column.empty() ? "created" : "added") + " with " +
                                      same + ": if it is a rename, --rename " + hint.flag +
                                      " keeps the data (the file says so above the DROP)";
      }
    }
  }
}

}  // namespace

std::optional<Dependencies> BuildDependencies(const Database& from, const Database& to,
                                              const Options& options, std::stop_token stop) {
  if (options.renames.empty()) return BuildGraphs(from, to, stop);
  // Build plans from the model as it is after the renames (ApplyRenames is a function of the
  // models and the specs, so this is the model Build makes too).
  return BuildGraphs(diff::ApplyRenames(from, to, options.renames).database, to, stop);
}

Plan Build(const Database& from, const Database& to, const Options& options,
           const DependencySource& dependencies) {
  if (options.renames.empty()) {
    Plan plan = BuildWithoutRenames(from, to, options.online, dependencies);
    AddRenameHints(plan, options.rename_hints, {});
    return plan;
  }
  diff::Renamed renamed = diff::ApplyRenames(from, to, options.renames);
  Plan rest = BuildWithoutRenames(renamed.database, to, options.online, dependencies);
  Plan plan;
  std::map<QualifiedName, QualifiedName> renamed_tables;
  for (const Change& change : renamed.changes) {
    const auto& rename = std::get<diff::Rename>(change);
    if (rename.kind == diff::Rename::Kind::kTable) {
      renamed_tables[rename.object] = {rename.object.schema, rename.new_name};
    }
    plan.steps.push_back(RenameStep(rename));
  }
  for (Step& step : rest.steps) plan.steps.push_back(std::move(step));
  AddRenameHints(plan, options.rename_hints, renamed_tables);
  return plan;
}

// A create script has a step per object: only the change itself and the flags stay inline.
static_assert(sizeof(Step) <= sizeof(diff::Change) + 16);

const StepDetails& Step::Details() const {
  static const StepDetails kNone;
  return details_ ? *details_ : kNone;
}

std::vector<Hazard> ReportedHazards(const Step& step) {
  std::vector<Hazard> reported;
  for (const Hazard& hazard : step.hazards()) {
    if (std::find(step.lint_ignore().begin(), step.lint_ignore().end(), hazard.rule) ==
        step.lint_ignore().end()) {
      reported.push_back(hazard);
    }
  }
  return reported;
}

}  // namespace retort::plan
