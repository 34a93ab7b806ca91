#include "diff/diff.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "base/strings.h"

namespace retort::diff {

using schema::Column;
using schema::Constraint;
using schema::ConstraintType;
using schema::Database;
using schema::EnumType;
using schema::Function;
using schema::Grant;
using schema::Index;
using schema::Policy;
using schema::Table;
using schema::Trigger;
using schema::View;

namespace {

using Kind = CommentTarget::Kind;

SetComment Comment(Kind kind, const QualifiedName& name, std::optional<std::string> comment,
                   std::string member = "", std::string arguments = "") {
  return SetComment{CommentTarget{kind, name, std::move(member), std::move(arguments)},
                    std::move(comment)};
}

// A child's column as inherited from its parent's: comments and column privileges are not.
void ForgetUninherited(Column& column) {
  if (!column.comment() && column.grants().empty()) return;
  schema::ColumnDetails& details = column.mutable_details();
  details.comment.reset();
  details.grants.clear();
  column.CompactDetails();
}

Kind FunctionCommentKind(char kind) {
  if (kind == 'p') return Kind::kProcedure;
  if (kind == 'a') return Kind::kAggregate;
  return Kind::kFunction;
}

GrantObject FunctionGrantObject(char kind) {
  if (kind == 'p') return GrantObject::kProcedure;
  if (kind == 'a') return GrantObject::kRoutine;
  return GrantObject::kFunction;
}

// What CREATE FUNCTION gives a new function: EXECUTE for everyone.
const std::vector<Grant>& DefaultFunctionGrants() {
  static const std::vector<Grant> kDefault{Grant{"PUBLIC", "EXECUTE", false}};
  return kDefault;
}

// Index of `items` by `key`; later duplicates are ignored (the catalog never makes them).
template <typename T, typename KeyFn>
auto IndexBy(const std::vector<T>& items, KeyFn key) {
  std::map<decltype(key(items.front())), const T*> index;
  for (const T& item : items) index.emplace(key(item), &item);
  return index;
}

// Grants grouped for GRANT/REVOKE statements: one per (grantee, grantable) in model order.
// `column` and `arguments` narrow the object to a column of a table or to a function.
void DiffGrants(const QualifiedName& relation, const std::vector<Grant>& from,
                const std::vector<Grant>& to, std::vector<Change>& out,
                GrantObject object = GrantObject::kTable, const std::string& column = "",
                const std::string& arguments = "") {
  std::set<Grant> from_set(from.begin(), from.end());
  std::set<Grant> to_set(to.begin(), to.end());
  std::map<std::string, std::vector<std::string>> revoked;
  std::vector<std::string> revoke_order;
  for (const Grant& grant : from) {
    if (to_set.count(grant)) continue;
    if (!revoked.count(grant.grantee)) revoke_order.push_back(grant.grantee);
    revoked[grant.grantee].push_back(grant.privilege);
  }
  for (const std::string& grantee : revoke_order) {
    out.push_back(RevokePrivileges{relation, grantee, revoked[grantee], object, column, arguments});
  }
  std::map<std::pair<std::string, bool>, std::vector<std::string>> granted;
  std::vector<std::pair<std::string, bool>> grant_order;
  for (const Grant& grant : to) {
    if (from_set.count(grant)) continue;
    auto key = std::make_pair(grant.grantee, grant.grantable);
    if (!granted.count(key)) grant_order.push_back(key);
    granted[key].push_back(grant.privilege);
  }
  for (const auto& key : grant_order) {
    out.push_back(
        GrantPrivileges{relation, key.first, granted[key], key.second, object, column, arguments});
  }
}

void DiffComment(const CommentTarget& target, const std::optional<std::string>& from,
                 const std::optional<std::string>& to, std::vector<Change>& out) {
  if (from != to) out.push_back(SetComment{target, to});
}

bool IsSubsequence(const std::vector<std::string>& small, const std::vector<std::string>& big) {
  size_t at = 0;
  for (const std::string& item : big) {
    if (at < small.size() && small[at] == item) ++at;
  }
  return at == small.size();
}

// The NOT VALID CHECK constraint of a partition's parent that `constraint` is the validated
// copy of (constraints.sql keeps such a copy, which a partition gets with ALTER TABLE partition
// VALIDATE CONSTRAINT), or null when `constraint` is the partition's own.
const Constraint* ValidatedPartitionCopy(const Database& db, const Constraint& constraint) {
  if (constraint.type != ConstraintType::kCheck ||
      constraint.definition != WithoutNotValid(constraint.definition)) {
    return nullptr;
  }
  auto table = std::find_if(db.tables.begin(), db.tables.end(),
                            [&](const Table& t) { return t.name == constraint.table; });
  if (table == db.tables.end() || !table->partition_of) return nullptr;
  for (const Constraint& parent : db.constraints) {
    if (parent.table == *table->partition_of && parent.name == constraint.name &&
        parent.type == ConstraintType::kCheck &&
        parent.definition != WithoutNotValid(parent.definition)) {
      return &parent;
    }
  }
  return nullptr;
}

class Differ {
 public:
  Differ(const Database& from, const Database& to) : from_(from), to_(to) {
    for (const Table& table : from.tables) from_tables_.emplace(table.name, &table);
    for (const Table& table : to.tables) to_tables_.emplace(table.name, &table);
  }

 private:
  // Tables that exist on both sides but must be dropped and created again (partitioning
  // changed), and every table that is gone in `to`.
  void FindTableFates() {
    auto to_tables = IndexBy(to_.tables, [](const Table& t) { return t.name; });
    for (const Table& table : from_.tables) {
      auto it = to_tables.find(table.name);
      if (it == to_tables.end()) {
        dropped_tables_.insert(table.name);
        continue;
      }
      const Table& next = *it->second;
      if (table.partitioned != next.partitioned || table.partition_key != next.partition_key) {
        recreated_tables_.insert(table.name);
      }
    }
    // A partition goes down with its parent: recreating a parent recreates its partitions.
    bool grew = true;
    while (grew) {
      grew = false;
      for (const Table& table : from_.tables) {
        if (table.partition_of && recreated_tables_.count(*table.partition_of) &&
            !dropped_tables_.count(table.name) && !recreated_tables_.count(table.name)) {
          recreated_tables_.insert(table.name);
          grew = true;
        }
      }
    }
    std::set<QualifiedName> kept_views;
    for (const View& view : to_.views) kept_views.insert(view.name);
    for (const View& view : from_.views) {
      if (!kept_views.count(view.name)) dropped_views_.insert(view.name);
    }
  }

  // The table (or view) goes away with everything on it, so its members need no drops.
  bool GoneWithRelation(const QualifiedName& relation) const {
    return dropped_tables_.count(relation) || recreated_tables_.count(relation) ||
           dropped_views_.count(relation);
  }
  bool Recreated(const QualifiedName& table) const { return recreated_tables_.count(table) > 0; }

  void Schemas() {
    auto from = IndexBy(from_.schemas, [](const schema::Schema& s) { return s.name; });
    auto to = IndexBy(to_.schemas, [](const schema::Schema& s) { return s.name; });
    for (const auto& [name, schema] : to) {
      auto it = from.find(name);
      if (it == from.end()) {
        out_.push_back(CreateSchema{*schema});
        if (schema->comment) out_.push_back(Comment(Kind::kSchema, {"", name}, schema->comment));
        DiffGrants({"", name}, {}, schema->grants, out_, GrantObject::kSchema);
      } else {
        DiffComment({Kind::kSchema, {"", name}, "", ""}, it->second->comment, schema->comment,
                    out_);
        DiffGrants({"", name}, it->second->grants, schema->grants, out_, GrantObject::kSchema);
      }
    }
    for (const auto& [name, schema] : from) {
      if (!to.count(name)) out_.push_back(DropSchema{*schema});
    }
  }

  void Extensions() {
    auto from = IndexBy(from_.extensions, [](const schema::Extension& e) { return e.name; });
    auto to = IndexBy(to_.extensions, [](const schema::Extension& e) { return e.name; });
    for (const auto& [name, extension] : to) {
      auto it = from.find(name);
      if (it == from.end()) {
        out_.push_back(CreateExtension{*extension});
      } else if (!(*it->second == *extension)) {
        out_.push_back(AlterExtension{*it->second, *extension});
      }
    }
    for (const auto& [name, extension] : from) {
      if (!to.count(name)) out_.push_back(DropExtension{*extension});
    }
  }

  // Columns (of tables in `from`) whose type is `name` or an array of it.
  std::vector<ColumnUse> ColumnsUsing(const QualifiedName& name) const {
    std::vector<ColumnUse> uses;
    for (const Table& table : from_.tables) {
      // An inherited column follows its parent's ALTER; it cannot be altered by itself.
      std::set<std::string> inherited = InheritedNames(from_, table);
      for (const Column& column : table.columns) {
        if (inherited.count(column.name)) continue;
        bool array = false;
        if (TypeNames(column.type, name, &array)) {
          uses.push_back(ColumnUse{table.name, column.name, array, column.default_expr});
        }
      }
    }
    return uses;
  }

  // After a swap the columns have no default; put back the one `to` wants.
  void RestoreDefaults(const std::vector<ColumnUse>& uses) {
    for (const ColumnUse& use : uses) {
      if (!use.default_expr) continue;
      swapped_defaults_.insert({use.table, use.column});
    }
  }

  void Enums() {
    auto from = IndexBy(from_.enums, [](const schema::EnumType& e) { return e.name; });
    auto to = IndexBy(to_.enums, [](const schema::EnumType& e) { return e.name; });
    for (const auto& [name, type] : to) {
      auto it = from.find(name);
      if (it == from.end()) {
        out_.push_back(CreateEnum{*type});
        if (type->comment) out_.push_back(Comment(Kind::kType, name, type->comment));
        continue;
      }
      const schema::EnumType& old = *it->second;
      if (old.labels != type->labels) {
        if (IsSubsequence(old.labels, type->labels)) {
          AddEnumValues(old, *type);
        } else {
          SwapEnum swap{old, *type, ColumnsUsing(name), {}};
          for (const std::string& label : old.labels) {
            if (std::find(type->labels.begin(), type->labels.end(), label) == type->labels.end()) {
              swap.removed_values.push_back(label);
            }
          }
          RestoreDefaults(swap.uses);
          swap.domains = DomainsOver(name);
          out_.push_back(std::move(swap));
          // The renamed type is a new object: its comment went with the old one.
          if (type->comment) out_.push_back(Comment(Kind::kType, name, type->comment));
          continue;
        }
      }
      DiffComment({Kind::kType, name, "", ""}, old.comment, type->comment, out_);
    }
    for (const auto& [name, type] : from) {
      if (!to.count(name)) out_.push_back(DropEnum{*type});
    }
  }

  // Domains over `type` (or an array of it) that exist on both sides: an enum swap takes them
  // along, and Domains() leaves them alone but for their comments.
  std::vector<RebasedDomain> DomainsOver(const QualifiedName& type) {
    std::vector<RebasedDomain> rebased;
    auto to = IndexBy(to_.domains, [](const schema::Domain& d) { return d.name; });
    for (const schema::Domain& domain : from_.domains) {
      if (!TypeNames(domain.base_type, type, nullptr)) continue;
      auto it = to.find(domain.name);
      if (it == to.end()) continue;  // Unsupported() reports it
      RebasedDomain item{WithoutComments(domain), WithoutComments(*it->second),
                         ColumnsUsing(domain.name)};
      RestoreDefaults(item.uses);
      rebased_domains_.insert(domain.name);
      rebased.push_back(std::move(item));
    }
    return rebased;
  }

  // `to` keeps every old label in order: each new label goes right after its predecessor, and
  // a leading run of new labels goes before its successor (added back to front).
  void AddEnumValues(const schema::EnumType& from, const schema::EnumType& to) {
    std::set<std::string> old(from.labels.begin(), from.labels.end());
    const std::vector<std::string>& labels = to.labels;
    size_t first_old = 0;
    while (first_old < labels.size() && !old.count(labels[first_old])) ++first_old;
    for (size_t i = first_old; i-- > 0;) {
      out_.push_back(AddEnumValue{to.name, labels[i], labels[i + 1], true});
    }
    for (size_t i = first_old + 1; i < labels.size(); ++i) {
      if (old.count(labels[i])) continue;
      out_.push_back(AddEnumValue{to.name, labels[i], labels[i - 1], false});
    }
  }

  static schema::Domain WithoutComments(schema::Domain domain) {
    domain.comment.reset();
    for (auto& constraint : domain.constraints) constraint.comment.reset();
    return domain;
  }

  // Comments of a domain's constraints; `from` null for a domain created from scratch. A
  // constraint whose definition changes is dropped and added again, losing its comment.
  void DomainConstraintComments(const schema::Domain* from, const schema::Domain& to) {
    for (const auto& constraint : to.constraints) {
      const schema::DomainConstraint* old = nullptr;
      if (from != nullptr) {
        for (const auto& c : from->constraints) {
          if (c.name == constraint.name && c.definition == constraint.definition) old = &c;
        }
      }
      std::optional<std::string> before = old ? old->comment : std::nullopt;
      DiffComment({Kind::kDomainConstraint, to.name, constraint.name, ""}, before,
                  constraint.comment, out_);
    }
  }

  void Domains() {
    auto from = IndexBy(from_.domains, [](const schema::Domain& d) { return d.name; });
    auto to = IndexBy(to_.domains, [](const schema::Domain& d) { return d.name; });
    for (const auto& [name, domain] : to) {
      auto it = from.find(name);
      if (it == from.end()) {
        out_.push_back(CreateDomain{WithoutComments(*domain)});
        if (domain->comment) out_.push_back(Comment(Kind::kDomain, name, domain->comment));
        DomainConstraintComments(nullptr, *domain);
        continue;
      }
      const schema::Domain& old = *it->second;
      if (rebased_domains_.count(name)) {
        // Created again by the enum swap: only its comments remain to be set.
        if (domain->comment) out_.push_back(Comment(Kind::kDomain, name, domain->comment));
        DomainConstraintComments(nullptr, *domain);
        continue;
      }
      if (old.base_type != domain->base_type || old.collation != domain->collation) {
        SwapDomain swap{WithoutComments(old), WithoutComments(*domain), ColumnsUsing(name)};
        RestoreDefaults(swap.uses);
        out_.push_back(std::move(swap));
        if (domain->comment) out_.push_back(Comment(Kind::kDomain, name, domain->comment));
        DomainConstraintComments(nullptr, *domain);
        continue;
      }
      if (!(WithoutComments(old) == WithoutComments(*domain))) {
        out_.push_back(AlterDomain{WithoutComments(old), WithoutComments(*domain)});
      }
      DiffComment({Kind::kDomain, name, "", ""}, old.comment, domain->comment, out_);
      DomainConstraintComments(&old, *domain);
    }
    for (const auto& [name, domain] : from) {
      if (!to.count(name)) out_.push_back(DropDomain{WithoutComments(*domain)});
    }
  }

  static bool CanAlterInPlace(const schema::CompositeType& from, const schema::CompositeType& to) {
    std::vector<std::string> kept_in_from;
    std::set<std::string> to_names;
    for (const auto& attribute : to.attributes) to_names.insert(attribute.name);
    for (const auto& attribute : from.attributes) {
      if (to_names.count(attribute.name)) kept_in_from.push_back(attribute.name);
    }
    // In `to`, the kept attributes must come first, in the same order.
    for (size_t i = 0; i < to.attributes.size(); ++i) {
      if (i < kept_in_from.size()) {
        if (to.attributes[i].name != kept_in_from[i]) return false;
      }
    }
    return true;
  }

  static schema::CompositeType WithoutComments(schema::CompositeType type) {
    type.comment.reset();
    for (auto& attribute : type.attributes) attribute.comment.reset();
    return type;
  }

  // Attribute comments (COMMENT ON COLUMN type.attribute); `from` null for a new type.
  void AttributeComments(const schema::CompositeType* from, const schema::CompositeType& to) {
    for (const auto& attribute : to.attributes) {
      std::optional<std::string> before;
      if (from != nullptr) {
        for (const auto& a : from->attributes) {
          if (a.name == attribute.name) before = a.comment;
        }
      }
      DiffComment({Kind::kColumn, to.name, attribute.name, ""}, before, attribute.comment, out_);
    }
  }

  void CompositeTypes() {
    auto from =
        IndexBy(from_.composite_types, [](const schema::CompositeType& c) { return c.name; });
    auto to = IndexBy(to_.composite_types, [](const schema::CompositeType& c) { return c.name; });
    for (const auto& [name, type] : to) {
      auto it = from.find(name);
      if (it == from.end()) {
        out_.push_back(CreateCompositeType{WithoutComments(*type)});
        if (type->comment) out_.push_back(Comment(Kind::kType, name, type->comment));
        AttributeComments(nullptr, *type);
        continue;
      }
      const schema::CompositeType& old = *it->second;
      schema::CompositeType old_bare = WithoutComments(old);
      schema::CompositeType new_bare = WithoutComments(*type);
      if (old_bare.attributes != new_bare.attributes) {
        if (CanAlterInPlace(old_bare, new_bare)) {
          out_.push_back(AlterCompositeType{old_bare, new_bare});
        } else {
          out_.push_back(DropCompositeType{old_bare});
          out_.push_back(CreateCompositeType{new_bare});
          if (type->comment) out_.push_back(Comment(Kind::kType, name, type->comment));
          AttributeComments(nullptr, *type);
          continue;
        }
      }
      DiffComment({Kind::kType, name, "", ""}, old.comment, type->comment, out_);
      AttributeComments(&old, *type);
    }
    for (const auto& [name, type] : from) {
      if (!to.count(name)) out_.push_back(DropCompositeType{WithoutComments(*type)});
    }
  }

  // A sequence owned by a column disappears with that column or its table.
  bool DroppedWithOwner(const schema::Sequence& sequence) const {
    if (!sequence.owned_by_table) return false;
    const QualifiedName& table = *sequence.owned_by_table;
    if (dropped_tables_.count(table) || recreated_tables_.count(table)) return true;
    if (!sequence.owned_by_column) return false;
    for (const Table& t : to_.tables) {
      if (t.name != table) continue;
      for (const Column& column : t.columns) {
        if (column.name == *sequence.owned_by_column) return false;
      }
      return true;
    }
    return true;
  }

  void Sequences() {
    auto from = IndexBy(from_.sequences, [](const schema::Sequence& s) { return s.name; });
    auto to = IndexBy(to_.sequences, [](const schema::Sequence& s) { return s.name; });
    for (const auto& [name, sequence] : to) {
      auto it = from.find(name);
      // The old sequence goes down with a recreated owner table: create it again.
      bool gone =
          it != from.end() && it->second->owned_by_table && Recreated(*it->second->owned_by_table);
      if (it == from.end() || gone) {
        schema::Sequence bare = *sequence;
        bare.owned_by_table.reset();
        bare.owned_by_column.reset();
        out_.push_back(CreateSequence{bare});
        if (sequence->owned_by_table) out_.push_back(SetSequenceOwner{*sequence});
        if (sequence->comment) out_.push_back(Comment(Kind::kSequence, name, sequence->comment));
        DiffGrants(name, {}, sequence->grants, out_, GrantObject::kSequence);
        continue;
      }
      const schema::Sequence& old = *it->second;
      if (!(old.options == sequence->options)) out_.push_back(AlterSequence{old, *sequence});
      if (old.owned_by_table != sequence->owned_by_table ||
          old.owned_by_column != sequence->owned_by_column) {
        out_.push_back(SetSequenceOwner{*sequence});
      }
      DiffComment({Kind::kSequence, name, "", ""}, old.comment, sequence->comment, out_);
      DiffGrants(name, old.grants, sequence->grants, out_, GrantObject::kSequence);
    }
    for (const auto& [name, sequence] : from) {
      if (!to.count(name) && !DroppedWithOwner(*sequence)) {
        out_.push_back(DropSequence{*sequence});
      }
    }
  }

  void CreateTableWithExtras(const Table& table) {
    out_.push_back(CreateTable{table});
    // A child entry without a default where the parent has one: CREATE TABLE copied it.
    for (const Column& column : table.columns) {
      const Column* parent = ParentColumn(to_, table, column.name);
      if (parent && parent->default_expr && !column.default_expr && !column.generated_expr()) {
        out_.push_back(DropColumnDefault{table.name, column.name});
      }
      // A column the child has only from its parents is not in its CREATE TABLE: it gets the
      // parent's default and NOT NULL there, and its own by ALTER.
      if (parent && column.inherited_only) {
        if (column.default_expr && column.default_expr != parent->default_expr) {
          out_.push_back(SetColumnDefault{table.name, column.name, *column.default_expr});
        }
        if (column.not_null && !parent->not_null) {
          out_.push_back(SetNotNull{table.name, column.name});
        }
      }
    }
    // CREATE TABLE cannot say a column's storage (before PostgreSQL 16) and retort leaves
    // compression to ALTER as well: a child gets both from its parent as they are then (the
    // parent's SET STORAGE reaches it afterwards; SET COMPRESSION does not).
    for (const Column& column : EffectiveColumns(to_, table)) {
      Column created = column;
      created.storage = '\0';
      created.compression = '\0';
      if (const Column* parent = ParentColumn(to_, table, column.name)) {
        created.storage = parent->storage;
        created.compression = CompressionCopiedFromParent(table, column.name);
      }
      DiffStorage(table.name, created, column);
    }
    if (table.replica_identity != 'd') {
      out_.push_back(
          SetReplicaIdentity{table.name, table.replica_identity, table.replica_identity_index});
    }
    if (table.row_security) out_.push_back(SetRowSecurity{table.name, true});
    if (table.force_row_security) out_.push_back(SetForceRowSecurity{table.name, true});
    if (table.comment) out_.push_back(Comment(Kind::kTable, table.name, table.comment));
    for (const Column& column : table.columns) {
      if (column.comment()) {
        out_.push_back(Comment(Kind::kColumn, table.name, column.comment(), column.name));
      }
    }
    DiffGrants(table.name, {}, table.grants, out_);
    for (const Column& column : table.columns) {
      DiffGrants(table.name, {}, column.grants(), out_, GrantObject::kTable, column.name);
    }
  }

  // The compression a new child's column `name` gets from its parent at CREATE TABLE: the
  // parent's as `from` has it, when the parent and its column exist already; a column the
  // parent gets in this migration comes by ADD COLUMN, with the default.
  char CompressionCopiedFromParent(const Table& table, const std::string& name) {
    for (const QualifiedName& parent_name : Parents(table)) {
      const Table* parent = FindTable(from_, parent_name);
      if (parent == nullptr || Recreated(parent_name)) continue;
      for (const Column& column : EffectiveColumns(from_, *parent)) {
        if (column.name == name) return column.compression;
      }
    }
    return '\0';
  }

  // SET STORAGE / SET COMPRESSION for what `after` (the column as earlier statements leave
  // it) lacks of `to`.
  void DiffStorage(const QualifiedName& table, const Column& after, const Column& to) {
    if (after.storage != to.storage) {
      char storage = to.storage != '\0' ? to.storage : to.type_storage;
      if (storage != '\0') out_.push_back(SetColumnStorage{table, to.name, storage});
    }
    if (after.compression != to.compression) {
      out_.push_back(SetColumnCompression{table, to.name, to.compression});
    }
  }

  // The replica identity index of `to` is created again in this migration (a new index under
  // the old name, or its table's re-creation): the new index is not marked until said again.
  bool ReplicaIdentityIndexReplaced(const Table& from, const Table& to) const {
    if (to.replica_identity != 'i' || to.replica_identity_index.empty()) return false;
    if (from.replica_identity != 'i' || from.replica_identity_index != to.replica_identity_index) {
      return false;  // set anyway
    }
    QualifiedName index_name{to.name.schema, to.replica_identity_index};
    auto find_index = [&](const Database& db) -> const Index* {
      for (const Index& index : db.indexes) {
        if (index.name == index_name) return &index;
      }
      return nullptr;
    };
    auto find_key = [&](const Database& db) -> const Constraint* {
      for (const Constraint& constraint : db.constraints) {
        if (constraint.table == to.name && constraint.name == to.replica_identity_index) {
          return &constraint;
        }
      }
      return nullptr;
    };
    const Index* old_index = find_index(from_);
    const Index* new_index = find_index(to_);
    if (new_index != nullptr) {
      return old_index == nullptr || old_index->definition != new_index->definition ||
             old_index->table != new_index->table || old_index->unique != new_index->unique ||
             old_index->valid != new_index->valid;
    }
    const Constraint* old_key = find_key(from_);
    const Constraint* new_key = find_key(to_);
    if (new_key != nullptr) {
      return old_key == nullptr || old_key->type != new_key->type ||
             old_key->definition != new_key->definition;
    }
    return false;
  }

  void Tables() {
    auto from = IndexBy(from_.tables, [](const Table& t) { return t.name; });
    for (const Table& table : to_.tables) {
      auto it = from.find(table.name);
      if (it == from.end()) {
        CreateTableWithExtras(table);
      } else if (Recreated(table.name)) {
        // A partition of a recreated parent goes with the parent's DROP TABLE (see below).
        const std::optional<QualifiedName>& parent = it->second->partition_of;
        if (!parent || !GoneWithRelation(*parent)) out_.push_back(DropTable{*it->second});
        CreateTableWithExtras(table);
      } else {
        AlterTable(*it->second, table);
      }
    }
    for (const Table& table : from_.tables) {
      // DROP TABLE of a partitioned table takes its partitions along; dropping one of them on
      // its own first would fail when a foreign key of the parent refers to the parent (its
      // per-partition copies depend on the partitions).
      if (table.partition_of && GoneWithRelation(*table.partition_of)) continue;
      if (dropped_tables_.count(table.name)) out_.push_back(DropTable{table});
    }
  }

  void AlterTable(const Table& from, const Table& to) {
    const QualifiedName& name = to.name;
    if (from.partition_of != to.partition_of || from.partition_bound != to.partition_bound) {
      if (from.partition_of) out_.push_back(DetachPartition{from});
      if (to.partition_of) out_.push_back(AttachPartition{to});
    }
    for (const QualifiedName& parent : from.inherits) {
      if (std::find(to.inherits.begin(), to.inherits.end(), parent) == to.inherits.end()) {
        out_.push_back(SetInherit{name, parent, false});
      }
    }
    for (const QualifiedName& parent : to.inherits) {
      if (std::find(from.inherits.begin(), from.inherits.end(), parent) == from.inherits.end()) {
        out_.push_back(SetInherit{name, parent, true});
      }
    }
    if (from.unlogged != to.unlogged) out_.push_back(SetLogged{name, to.unlogged});
    DiffOptions(name, false, from.options, to.options);
    AlterColumns(from, to);
    if (from.replica_identity != to.replica_identity ||
        from.replica_identity_index != to.replica_identity_index ||
        ReplicaIdentityIndexReplaced(from, to)) {
      out_.push_back(SetReplicaIdentity{name, to.replica_identity, to.replica_identity_index});
    }
    if (from.row_security != to.row_security) {
      out_.push_back(SetRowSecurity{name, to.row_security});
    }
    if (from.force_row_security != to.force_row_security) {
      out_.push_back(SetForceRowSecurity{name, to.force_row_security});
    }
    DiffComment({Kind::kTable, name, "", ""}, from.comment, to.comment, out_);
    DiffGrants(name, from.grants, to.grants, out_);
  }

  static std::string OptionName(const std::string& option) {
    return option.substr(0, option.find('='));
  }

  void DiffOptions(const QualifiedName& name, bool materialized_view,
                   const std::vector<std::string>& from, const std::vector<std::string>& to) {
    SetStorageOptions change{name, materialized_view, {}, {}};
    std::set<std::string> to_names;
    for (const std::string& option : to) {
      to_names.insert(OptionName(option));
      if (std::find(from.begin(), from.end(), option) == from.end()) change.set.push_back(option);
    }
    for (const std::string& option : from) {
      if (!to_names.count(OptionName(option))) change.reset.push_back(OptionName(option));
    }
    if (!change.set.empty() || !change.reset.empty()) out_.push_back(std::move(change));
  }

  void AlterColumns(const Table& from, const Table& to) {
    const QualifiedName& table = to.name;
    std::vector<Column> from_columns = EffectiveColumns(from_, from);
    std::vector<Column> to_columns = EffectiveColumns(to_, to);
    std::set<std::string> from_inherited = InheritedNames(from_, from);
    std::set<std::string> to_inherited = InheritedNames(to_, to);
    std::map<std::string, const Column*> old_columns;
    for (const Column& column : from_columns) old_columns.emplace(column.name, &column);
    std::vector<const Column*> regenerated =
        GeneratedOverRetypedColumns(table, to_columns, old_columns);
    std::set<std::string> new_names;
    for (const Column& column : to_columns) {
      new_names.insert(column.name);
      if (std::find(regenerated.begin(), regenerated.end(), &column) != regenerated.end()) {
        continue;
      }
      auto it = old_columns.find(column.name);
      if (it == old_columns.end()) {
        // An inherited column comes with the parent's ADD COLUMN, as the parent has it, when
        // the table was that parent's child already. A table about to be attached or to
        // inherit needs the column before.
        if (to_inherited.count(column.name) && InheritedFromOldParent(from, to, column.name)) {
          if (const Column* parent = ParentColumn(to_, to, column.name)) {
            Column after = *parent;
            ForgetUninherited(after);
            after.compression = '\0';  // the parent's SET COMPRESSION stops at the parent
            SetInheritedColumn(table, after, column);
          }
          continue;
        }
        out_.push_back(AddColumn{table, column});
        Column added = column;
        added.storage = '\0';
        added.compression = '\0';
        DiffStorage(table, added, column);
        if (column.comment()) {
          out_.push_back(Comment(Kind::kColumn, table, column.comment(), column.name));
        }
        DiffGrants(table, {}, column.grants(), out_, GrantObject::kTable, column.name);
        continue;
      }
      if (from_inherited.count(column.name) && to_inherited.count(column.name)) {
        AlterInheritedColumn(from, to, *it->second, column);
      } else {
        AlterColumn(table, *it->second, column);
      }
    }
    for (const Column& column : from_columns) {
      // The parent's DROP COLUMN reaches a child that stays its child; a table leaving its
      // parent keeps the inherited columns as its own.
      bool goes_with_parent =
          from_inherited.count(column.name) && SharedParentHas(from_, from, to, column.name);
      if (!new_names.count(column.name) && !goes_with_parent) {
        out_.push_back(DropColumn{table, column});
      }
    }
    for (const Column* column : regenerated) {
      out_.push_back(AddColumn{table, *column});
      if (column->comment()) {
        out_.push_back(Comment(Kind::kColumn, table, column->comment(), column->name));
      }
      DiffGrants(table, {}, column->grants(), out_, GrantObject::kTable, column->name);
    }
  }

  // PostgreSQL refuses to change the type of a column that a generated column reads ("cannot
  // alter type of a column used by a generated column"). Such generated columns (generated on
  // both sides; a new expression is taken along) are dropped here, before the type changes,
  // and returned to be added again after them: their values are computed again, nothing is
  // lost.
  std::vector<const Column*> GeneratedOverRetypedColumns(
      const QualifiedName& table, const std::vector<Column>& to_columns,
      const std::map<std::string, const Column*>& old_columns) {
    std::vector<std::string> retyped;
    for (const Column& column : to_columns) {
      auto it = old_columns.find(column.name);
      if (it == old_columns.end()) continue;
      if (it->second->type != column.type || it->second->collation() != column.collation()) {
        retyped.push_back(column.name);
      }
    }
    std::vector<const Column*> regenerated;
    if (retyped.empty()) return regenerated;
    for (const Column& column : to_columns) {
      auto it = old_columns.find(column.name);
      if (!column.generated_expr() || it == old_columns.end() || !it->second->generated_expr()) {
        continue;
      }
      bool reads_retyped = std::any_of(retyped.begin(), retyped.end(), [&](const std::string& c) {
        return c != column.name && MentionsIdentifier(*column.generated_expr(), c);
      });
      if (!reads_retyped) continue;
      out_.push_back(DropColumn{table, *it->second});
      regenerated.push_back(&column);
    }
    return regenerated;
  }

  // Whether `to` gets column `name` from a parent that `from` had already.
  bool InheritedFromOldParent(const Table& from, const Table& to, const std::string& name) const {
    return SharedParentHas(to_, from, to, name);
  }

  // Whether a parent of both `from` and `to` has column `name` in `db`.
  bool SharedParentHas(const Database& db, const Table& from, const Table& to,
                       const std::string& name) const {
    std::vector<QualifiedName> old_parents = Parents(from);
    for (const QualifiedName& parent_name : Parents(to)) {
      if (std::find(old_parents.begin(), old_parents.end(), parent_name) == old_parents.end()) {
        continue;
      }
      const Table* parent = FindTable(db, parent_name);
      if (parent == nullptr) continue;
      for (const Column& column : EffectiveColumns(db, *parent)) {
        if (column.name == name) return true;
      }
    }
    return false;
  }

  // A column a child inherits: the parent's ALTER reaches it (SET/DROP DEFAULT and NOT NULL
  // recurse), so only what still differs afterwards is set on the child.
  void AlterInheritedColumn(const Table& from_table, const Table& to_table, const Column& from,
                            const Column& to) {
    Column after = from;
    const Column* parent_from = ParentColumn(from_, from_table, from.name);
    const Column* parent_to = ParentColumn(to_, to_table, to.name);
    if (parent_from && parent_to) {
      if (parent_from->default_expr != parent_to->default_expr) {
        after.default_expr = parent_to->default_expr;
      }
      if (parent_from->not_null != parent_to->not_null) after.not_null = parent_to->not_null;
      // The parent's type change resets the child's storage and compression; its SET STORAGE
      // reaches the child, its SET COMPRESSION does not.
      bool retyped = parent_from->type != parent_to->type ||
                     parent_from->collation() != parent_to->collation();
      if (retyped) {
        after.compression = '\0';
        after.type_storage = to.type_storage;
      }
      if (retyped || parent_from->storage != parent_to->storage) {
        after.storage = parent_to->storage;
      }
    }
    SetInheritedColumn(to_table.name, after, to);
  }

  // What the child still needs once its parent's statements reached it (`after`).
  void SetInheritedColumn(const QualifiedName& table, const Column& after, const Column& to) {
    if (after.default_expr != to.default_expr) {
      if (to.default_expr) {
        out_.push_back(SetColumnDefault{table, to.name, *to.default_expr});
      } else {
        out_.push_back(DropColumnDefault{table, to.name});
      }
    }
    if (after.not_null && !to.not_null) out_.push_back(DropNotNull{table, to.name});
    if (!after.not_null && to.not_null) out_.push_back(SetNotNull{table, to.name});
    DiffStorage(table, after, to);
    DiffComment({Kind::kColumn, table, to.name, ""}, after.comment(), to.comment(), out_);
    DiffGrants(table, after.grants(), to.grants(), out_, GrantObject::kTable, to.name);
  }

  const Table* FindTable(const Database& db, const QualifiedName& name) const {
    const auto& index = &db == &from_ ? from_tables_ : to_tables_;
    auto it = index.find(name);
    return it == index.end() ? nullptr : it->second;
  }

  static std::vector<QualifiedName> Parents(const Table& table) {
    if (table.partition_of) return {*table.partition_of};
    return table.inherits;
  }

  // The columns a table really has. A child lists only what differs from its parents (see
  // schema::Table::columns): lay its entries over the parents' columns.
  std::vector<Column> EffectiveColumns(const Database& db, const Table& table,
                                       int depth = 0) const {
    std::vector<QualifiedName> parents = Parents(table);
    if (parents.empty() || depth > 32) return table.columns;
    std::vector<Column> columns;
    for (const QualifiedName& parent_name : parents) {
      const Table* parent = FindTable(db, parent_name);
      if (parent == nullptr) continue;
      for (Column& column : EffectiveColumns(db, *parent, depth + 1)) {
        bool seen = std::any_of(columns.begin(), columns.end(),
                                [&](const Column& c) { return c.name == column.name; });
        if (!seen) {
          ForgetUninherited(column);
          columns.push_back(std::move(column));
        }
      }
    }
    for (const Column& entry : table.columns) {
      auto it = std::find_if(columns.begin(), columns.end(),
                             [&](const Column& c) { return c.name == entry.name; });
      if (it != columns.end()) {
        *it = entry;
      } else {
        columns.push_back(entry);
      }
    }
    return columns;
  }

  std::set<std::string> InheritedNames(const Database& db, const Table& table) const {
    std::set<std::string> names;
    for (const QualifiedName& parent_name : Parents(table)) {
      const Table* parent = FindTable(db, parent_name);
      if (parent == nullptr) continue;
      for (const Column& column : EffectiveColumns(db, *parent)) names.insert(column.name);
    }
    return names;
  }

  // The first parent's (effective) column `name`, or null.
  const Column* ParentColumn(const Database& db, const Table& table, const std::string& name) {
    for (const QualifiedName& parent_name : Parents(table)) {
      const Table* parent = FindTable(db, parent_name);
      if (parent == nullptr) continue;
      parent_columns_.push_back(EffectiveColumns(db, *parent));
      for (const Column& column : parent_columns_.back()) {
        if (column.name == name) return &column;
      }
    }
    return nullptr;
  }

  // PostgreSQL has no cast between two enum types (nor their arrays): the values go through
  // their text.
  std::optional<std::string> EnumToEnumUsing(const Column& from, const Column& to) const {
    bool from_array = false;
    bool to_array = false;
    bool from_enum = std::any_of(from_.enums.begin(), from_.enums.end(), [&](const EnumType& e) {
      return TypeNames(from.type, e.name, &from_array);
    });
    bool to_enum = std::any_of(to_.enums.begin(), to_.enums.end(), [&](const EnumType& e) {
      return TypeNames(to.type, e.name, &to_array);
    });
    if (!from_enum || !to_enum || from.type == to.type || from_array != to_array) {
      return std::nullopt;
    }
    return QuoteIdentifier(to.name) + (from_array ? "::text[]::" : "::text::") + to.type;
  }

  void AlterColumn(const QualifiedName& table, const Column& from, const Column& to) {
    if (to.generated_expr() && from.generated_expr() != to.generated_expr()) {
      out_.push_back(RecreateColumn{table, from, to});
      Column added = to;
      added.storage = '\0';
      added.compression = '\0';
      DiffStorage(table, added, to);
      if (to.comment()) out_.push_back(Comment(Kind::kColumn, table, to.comment(), to.name));
      DiffGrants(table, {}, to.grants(), out_, GrantObject::kTable, to.name);
      return;
    }
    Column current = from;
    if (from.generated_expr() && !to.generated_expr()) {
      out_.push_back(DropExpression{table, to.name});
      current.mutable_details().generated_expr.reset();
    }
    if (current.identity && !to.identity) {
      out_.push_back(DropIdentity{table, to.name});
      current.identity = '\0';
      current.mutable_details().identity_options.reset();
    }
    bool type_changes = current.type != to.type || current.collation() != to.collation();
    bool default_swapped = swapped_defaults_.count({table, to.name}) > 0;
    if (default_swapped) current.default_expr.reset();
    // A default is dropped before a type change and set again after it: the old default may
    // not cast to the new type.
    if (current.default_expr && (type_changes || !to.default_expr)) {
      out_.push_back(DropColumnDefault{table, to.name});
      current.default_expr.reset();
    }
    if (type_changes) out_.push_back(AlterColumnType{table, from, to, EnumToEnumUsing(from, to)});
    if (to.default_expr && current.default_expr != to.default_expr) {
      out_.push_back(SetColumnDefault{table, to.name, *to.default_expr});
    }
    if (current.not_null && !to.not_null) out_.push_back(DropNotNull{table, to.name});
    if (!current.not_null && to.not_null) out_.push_back(SetNotNull{table, to.name});
    if (!current.identity && to.identity) {
      out_.push_back(AddIdentity{table, to});
    } else if (current.identity && to.identity &&
               (current.identity != to.identity ||
                current.identity_options() != to.identity_options())) {
      // A type change moves the identity sequence to the new type by itself.
      Column moved = current;
      if (type_changes && moved.identity_options() && to.identity_options()) {
        schema::SequenceOptions& options = *moved.mutable_details().identity_options;
        options.data_type = to.identity_options()->data_type;
        options.max_value = to.identity_options()->max_value;
        options.min_value = to.identity_options()->min_value;
      }
      if (moved.identity != to.identity || moved.identity_options() != to.identity_options()) {
        out_.push_back(AlterIdentity{table, moved, to});
      }
    }
    // A type change resets both (even from text to varchar).
    if (type_changes) {
      current.storage = '\0';
      current.compression = '\0';
    }
    DiffStorage(table, current, to);
    DiffComment({Kind::kColumn, table, to.name, ""}, from.comment(), to.comment(), out_);
    DiffGrants(table, from.grants(), to.grants(), out_, GrantObject::kTable, to.name);
  }

  // A new primary key or unique constraint that an existing unique index of the same name
  // and columns (gone from `to` as a plain index) can carry: ADD ... USING INDEX, which
  // builds nothing, in place of dropping the index and building the key's.
  std::optional<Constraint> AdoptingIndex(const Constraint& constraint) {
    if (!schema::IsKey(constraint.type)) return std::nullopt;
    std::string keyword =
        constraint.type == ConstraintType::kPrimaryKey ? "PRIMARY KEY " : "UNIQUE ";
    if (!StartsWith(constraint.definition, keyword)) return std::nullopt;
    std::string columns = constraint.definition.substr(keyword.size());
    // Only plain keys: no INCLUDE, NULLS NOT DISTINCT, WITH, DEFERRABLE or NOT VALID.
    if (columns.empty() || columns.front() != '(' || columns.back() != ')' ||
        columns.find(')') != columns.size() - 1) {
      return std::nullopt;
    }
    QualifiedName index_name{constraint.table.schema, constraint.name};
    for (const Index& index : from_.indexes) {
      if (index.name != index_name || index.table != constraint.table || !index.unique ||
          !index.valid) {
        continue;
      }
      bool kept = std::any_of(to_.indexes.begin(), to_.indexes.end(),
                              [&](const Index& i) { return i.name == index_name; });
      if (kept || !EndsWith(index.definition, " USING btree " + columns)) return std::nullopt;
      adopted_indexes_.insert(index_name);
      Constraint adopting = constraint;
      adopting.definition = keyword + "USING INDEX " + QuoteIdentifier(constraint.name);
      return adopting;
    }
    return std::nullopt;
  }

  // The CHECK constraints a table that leaves a parent (NO INHERIT) got from it: they stay,
  // as the table's own.
  void AddConstraintsKeptByLeavingTables(
      std::map<std::pair<QualifiedName, std::string>, const Constraint*>& from) {
    for (const Table& table : from_.tables) {
      if (table.partition_of || GoneWithRelation(table.name)) continue;
      const Table* next = FindTable(to_, table.name);
      if (next == nullptr) continue;
      for (const QualifiedName& parent : table.inherits) {
        if (std::find(next->inherits.begin(), next->inherits.end(), parent) !=
            next->inherits.end()) {
          continue;
        }
        for (const Constraint* inherited : InheritableChecks(from_, parent)) {
          auto key = std::make_pair(table.name, inherited->name);
          if (from.count(key)) continue;
          Constraint& kept = kept_constraints_.emplace_back(*inherited);
          kept.table = table.name;
          kept.comment.reset();
          from.emplace(key, &kept);
        }
      }
    }
  }

  // The CHECK constraints `table` passes on to its children in `db`: its own but NO INHERIT
  // ones, and those it got from its parents.
  std::vector<const Constraint*> InheritableChecks(const Database& db, const QualifiedName& table,
                                                   int depth = 0) const {
    std::vector<const Constraint*> checks;
    if (depth > 32) return checks;
    for (const Constraint& constraint : db.constraints) {
      if (constraint.table == table && constraint.type == ConstraintType::kCheck &&
          constraint.definition.find(" NO INHERIT") == std::string::npos) {
        checks.push_back(&constraint);
      }
    }
    if (const Table* found = FindTable(db, table)) {
      for (const QualifiedName& parent : Parents(*found)) {
        for (const Constraint* inherited : InheritableChecks(db, parent, depth + 1)) {
          bool seen = std::any_of(checks.begin(), checks.end(),
                                  [&](const Constraint* c) { return c->name == inherited->name; });
          if (!seen) checks.push_back(inherited);
        }
      }
    }
    return checks;
  }

  void Constraints() {
    auto key = [](const Constraint& c) { return std::make_pair(c.table, c.name); };
    auto from = IndexBy(from_.constraints, key);
    auto to = IndexBy(to_.constraints, key);
    AddConstraintsKeptByLeavingTables(from);
    for (const auto& [id, constraint] : to) {
      auto it = from.find(id);
      if (it == from.end() && !Recreated(constraint->table)) {
        if (auto adopting = AdoptingIndex(*constraint)) {
          Append(CreationChanges(*adopting));
          continue;
        }
      }
      if (it == from.end() || Recreated(constraint->table)) {
        // The parent's ADD CONSTRAINT gives the partition its copy; validating it is all the
        // partition's own entry asks for.
        if (ValidatedPartitionCopy(to_, *constraint)) {
          out_.push_back(ValidateConstraint{*constraint});
        } else {
          Append(CreationChanges(*constraint));
        }
        continue;
      }
      const Constraint& old = *it->second;
      if (old.type != constraint->type || old.definition != constraint->definition) {
        if (old.type == constraint->type && old.definition != WithoutNotValid(old.definition) &&
            WithoutNotValid(old.definition) == constraint->definition) {
          out_.push_back(ValidateConstraint{*constraint});
        } else {
          out_.push_back(DropConstraint{old});
          Append(CreationChanges(*constraint));
          continue;
        }
      }
      DiffComment({Kind::kConstraint, constraint->table, constraint->name, ""}, old.comment,
                  constraint->comment, out_);
    }
    for (const auto& [id, constraint] : from) {
      if (to.count(id) || GoneWithRelation(constraint->table)) continue;
      // A validated copy goes with its parent's constraint (dropped, re-added NOT VALID, or
      // validated on the parent too); Unsupported() reports the one case where it cannot.
      if (ValidatedPartitionCopy(from_, *constraint)) continue;
      out_.push_back(DropConstraint{*constraint});
    }
    // Foreign keys between tables that are both dropped: drop the keys first, so the tables
    // can go in any order.
    for (const auto& [id, constraint] : from) {
      if (to.count(id) || !GoneWithRelation(constraint->table)) continue;
      if (constraint->type == ConstraintType::kForeignKey && constraint->referenced_table &&
          *constraint->referenced_table != constraint->table &&
          dropped_tables_.count(constraint->table) &&
          dropped_tables_.count(*constraint->referenced_table)) {
        out_.push_back(DropConstraint{*constraint});
      }
    }
  }

  void Indexes() {
    auto from = IndexBy(from_.indexes, [](const Index& i) { return i.name; });
    auto to = IndexBy(to_.indexes, [](const Index& i) { return i.name; });
    for (const auto& [name, index] : to) {
      auto it = from.find(name);
      if (it == from.end() || Recreated(index->table) || RecreatedView(index->table)) {
        Append(CreationChanges(*index));
        continue;
      }
      const Index& old = *it->second;
      if (old.definition != index->definition || old.table != index->table ||
          old.unique != index->unique || old.valid != index->valid) {
        if (!GoneWithRelation(old.table)) out_.push_back(DropIndex{old});
        Append(CreationChanges(*index));
        continue;
      }
      DiffComment({Kind::kIndex, name, "", ""}, old.comment, index->comment, out_);
    }
    for (const auto& [name, index] : from) {
      if (to.count(name) || GoneWithRelation(index->table) || RecreatedView(index->table)) {
        continue;
      }
      if (AttachedByNewParentIndex(*index, from, to) || adopted_indexes_.count(name)) continue;
      out_.push_back(DropIndex{*index});
    }
  }

  // A partition's own index that the new index of its parent takes over: CREATE INDEX on a
  // partitioned table attaches a partition's matching index instead of building one.
  template <typename IndexMap>
  bool AttachedByNewParentIndex(const Index& index, const IndexMap& from,
                                const IndexMap& to) const {
    const Table* partition = FindTable(to_, index.table);
    const Table* old_partition = FindTable(from_, index.table);
    if (partition == nullptr || old_partition == nullptr || !partition->partition_of ||
        old_partition->partition_of != partition->partition_of || !index.valid) {
      return false;
    }
    for (const auto& [name, parent_index] : to) {
      if (parent_index->table != *partition->partition_of || !parent_index->valid ||
          parent_index->unique != index.unique ||
          IndexShape(parent_index->definition) != IndexShape(index.definition)) {
        continue;
      }
      auto old = from.find(name);
      if (old == from.end() || old->second->definition != parent_index->definition) return true;
    }
    return false;
  }

  static bool SameView(const View& a, const View& b) {
    return a.materialized == b.materialized && a.definition == b.definition &&
           a.options == b.options;
  }

  bool RecreatedView(const QualifiedName& name) const { return recreated_views_.count(name) > 0; }

  void ComputeRecreatedViews() {
    auto from = IndexBy(from_.views, [](const View& v) { return v.name; });
    for (const View& view : to_.views) {
      auto it = from.find(view.name);
      if (it != from.end() && !SameView(*it->second, view)) recreated_views_.insert(view.name);
    }
  }

  void ViewChanges() {
    auto from = IndexBy(from_.views, [](const View& v) { return v.name; });
    for (const View& view : to_.views) {
      auto it = from.find(view.name);
      if (it == from.end()) {
        Append(CreationChanges(view));
        continue;
      }
      const View& old = *it->second;
      if (!SameView(old, view)) {
        out_.push_back(DropView{old});
        Append(CreationChanges(view));
        continue;
      }
      Kind kind = view.materialized ? Kind::kMaterializedView : Kind::kView;
      DiffComment({kind, view.name, "", ""}, old.comment, view.comment, out_);
      std::map<std::string, std::string> old_comments(old.column_comments.begin(),
                                                      old.column_comments.end());
      std::set<std::string> commented;
      for (const auto& [column, comment] : view.column_comments) {
        commented.insert(column);
        auto found = old_comments.find(column);
        if (found == old_comments.end() || found->second != comment) {
          out_.push_back(Comment(Kind::kColumn, view.name, comment, column));
        }
      }
      for (const auto& [column, comment] : old.column_comments) {
        if (!commented.count(column)) {
          out_.push_back(Comment(Kind::kColumn, view.name, std::nullopt, column));
        }
      }
      DiffGrants(view.name, old.grants, view.grants, out_);
    }
    for (const View& view : from_.views) {
      if (dropped_views_.count(view.name)) out_.push_back(DropView{view});
    }
  }

  void Functions() {
    auto key = [](const Function& f) { return std::make_pair(f.name, f.arguments); };
    auto from = IndexBy(from_.functions, key);
    auto to = IndexBy(to_.functions, key);
    for (const auto& [id, function] : to) {
      auto it = from.find(id);
      if (it == from.end()) {
        Append(CreationChanges(*function));
        continue;
      }
      const Function& old = *it->second;
      if (old.definition != function->definition || old.result != function->result ||
          old.kind != function->kind) {
        if (old.result != function->result || old.kind != function->kind || old.kind == 'a') {
          out_.push_back(DropFunction{old});
          Append(CreationChanges(*function));
          continue;
        }
        out_.push_back(CreateFunction{*function, true});
      }
      DiffComment({FunctionCommentKind(function->kind), function->name, "", function->arguments},
                  old.comment, function->comment, out_);
      DiffGrants(function->name, old.grants, function->grants, out_,
                 FunctionGrantObject(function->kind), "", function->arguments);
    }
    for (const auto& [id, function] : from) {
      if (!to.count(id)) out_.push_back(DropFunction{*function});
    }
  }

  void Triggers() {
    auto key = [](const Trigger& t) { return std::make_pair(t.table, t.name); };
    auto from = IndexBy(from_.triggers, key);
    auto to = IndexBy(to_.triggers, key);
    for (const auto& [id, trigger] : to) {
      auto it = from.find(id);
      // DROP VIEW takes the view's INSTEAD OF triggers along.
      if (it == from.end() || Recreated(trigger->table) || RecreatedView(trigger->table)) {
        Append(CreationChanges(*trigger));
        continue;
      }
      const Trigger& old = *it->second;
      if (old.definition != trigger->definition) {
        out_.push_back(DropTrigger{old});
        Append(CreationChanges(*trigger));
        continue;
      }
      if (old.enabled != trigger->enabled) out_.push_back(SetTriggerEnabled{*trigger});
      DiffComment({Kind::kTrigger, trigger->table, trigger->name, ""}, old.comment,
                  trigger->comment, out_);
    }
    for (const auto& [id, trigger] : from) {
      if (!to.count(id) && !GoneWithRelation(trigger->table) && !RecreatedView(trigger->table)) {
        out_.push_back(DropTrigger{*trigger});
      }
    }
  }

  void Policies() {
    auto key = [](const Policy& p) { return std::make_pair(p.table, p.name); };
    auto from = IndexBy(from_.policies, key);
    auto to = IndexBy(to_.policies, key);
    for (const auto& [id, policy] : to) {
      auto it = from.find(id);
      if (it == from.end() || Recreated(policy->table)) {
        Append(CreationChanges(*policy));
        continue;
      }
      const Policy& old = *it->second;
      bool alterable = old.permissive == policy->permissive && old.command == policy->command &&
                       (policy->using_expr || !old.using_expr) &&
                       (policy->check_expr || !old.check_expr);
      if (!alterable) {
        out_.push_back(DropPolicy{old});
        Append(CreationChanges(*policy));
        continue;
      }
      if (old.roles != policy->roles || old.using_expr != policy->using_expr ||
          old.check_expr != policy->check_expr) {
        out_.push_back(AlterPolicy{old, *policy});
      }
      DiffComment({Kind::kPolicy, policy->table, policy->name, ""}, old.comment, policy->comment,
                  out_);
    }
    for (const auto& [id, policy] : from) {
      if (!to.count(id) && !GoneWithRelation(policy->table)) out_.push_back(DropPolicy{*policy});
    }
  }

  void Rules() {
    auto key = [](const schema::Rule& r) { return std::make_pair(r.table, r.name); };
    auto from = IndexBy(from_.rules, key);
    auto to = IndexBy(to_.rules, key);
    for (const auto& [id, rule] : to) {
      auto it = from.find(id);
      // DROP VIEW and DROP TABLE take the relation's rules along.
      if (it == from.end() || Recreated(rule->table) || RecreatedView(rule->table)) {
        Append(CreationChanges(*rule));
        continue;
      }
      const schema::Rule& old = *it->second;
      if (old.definition != rule->definition) {
        // CREATE OR REPLACE RULE keeps the rule's comment and enabled state: say it anew.
        out_.push_back(DropRule{old});
        Append(CreationChanges(*rule));
        continue;
      }
      if (old.enabled != rule->enabled) out_.push_back(SetRuleEnabled{*rule});
      DiffComment({Kind::kRule, rule->table, rule->name, ""}, old.comment, rule->comment, out_);
    }
    for (const auto& [id, rule] : from) {
      if (!to.count(id) && !GoneWithRelation(rule->table) && !RecreatedView(rule->table)) {
        out_.push_back(DropRule{*rule});
      }
    }
    // A rule of a table that goes away and that uses another table going away too: drop the
    // rule first (as foreign keys between dropped tables are), since DROP TABLE of the table
    // it uses fails while the rule is there, whichever order the tables go in.
    for (const auto& [id, rule] : from) {
      bool table_goes = dropped_tables_.count(rule->table) || recreated_tables_.count(rule->table);
      if (table_goes && UsesAnotherTableThatGoes(*rule)) out_.push_back(DropRule{*rule});
    }
  }

  bool UsesAnotherTableThatGoes(const schema::Rule& rule) const {
    using schema::ObjectId;
    ObjectId self = ObjectId::ForRule(rule.table, rule.name);
    std::string own = ObjectId::ForTable(rule.table).identity;
    for (const schema::Dependency& dependency : from_.dependencies) {
      if (dependency.dependent != self) continue;
      for (const std::set<QualifiedName>* tables : {&dropped_tables_, &recreated_tables_}) {
        for (const QualifiedName& table : *tables) {
          std::string identity = ObjectId::ForTable(table).identity;
          if (identity == own) continue;
          const std::string& used = dependency.referenced.identity;
          bool whole = dependency.referenced.kind == ObjectId::Kind::kTable && used == identity;
          bool column = dependency.referenced.kind == ObjectId::Kind::kColumn &&
                        used.size() > identity.size() &&
                        used.compare(0, identity.size(), identity) == 0 &&
                        used[identity.size()] == '.';
          if (whole || column) return true;
        }
      }
    }
    return false;
  }

  void Collations() {
    auto from = IndexBy(from_.collations, [](const schema::Collation& c) { return c.name; });
    auto to = IndexBy(to_.collations, [](const schema::Collation& c) { return c.name; });
    for (const auto& [name, collation] : to) {
      auto it = from.find(name);
      if (it != from.end() && it->second->definition == collation->definition) {
        DiffComment({Kind::kCollation, name, "", ""}, it->second->comment, collation->comment,
                    out_);
        continue;
      }
      // No ALTER COLLATION changes a definition.
      if (it != from.end() && InUse(*it->second)) {
        out_.push_back(SwapCollation{*it->second, *collation, ColumnsCollatedBy(name)});
        schema::Collation renamed = *it->second;
        renamed.name = ReplacedCollationName(name);
        out_.push_back(DropCollation{renamed});
        if (collation->comment) {
          out_.push_back(Comment(Kind::kCollation, name, collation->comment));
        }
        continue;
      }
      if (it != from.end()) out_.push_back(DropCollation{*it->second});
      out_.push_back(CreateCollation{*collation});
      if (collation->comment) {
        out_.push_back(Comment(Kind::kCollation, name, collation->comment));
      }
    }
    for (const auto& [name, collation] : from) {
      if (!to.count(name)) out_.push_back(DropCollation{*collation});
    }
  }

  bool InUse(const schema::Collation& collation) const {
    schema::ObjectId id = schema::ObjectId::ForCollation(collation.name);
    return !ColumnsCollatedBy(collation.name).empty() ||
           std::any_of(from_.dependencies.begin(), from_.dependencies.end(),
                       [&](const schema::Dependency& d) { return d.referenced == id; });
  }

  // Columns of tables in `from` that use the collation and keep it in `to` (a column that
  // changes or goes away is altered or dropped by its own change, before the old collation is
  // dropped). Inherited columns follow their parent's ALTER.
  std::vector<CollatedColumn> ColumnsCollatedBy(const QualifiedName& name) const {
    std::vector<CollatedColumn> uses;
    std::string sql = name.Sql();
    for (const Table& table : from_.tables) {
      const Table* next = FindTable(to_, table.name);
      if (next == nullptr || Recreated(table.name)) continue;
      std::set<std::string> inherited = InheritedNames(from_, table);
      for (const Column& column : table.columns) {
        if (column.collation() != sql || inherited.count(column.name)) continue;
        auto kept = std::find_if(next->columns.begin(), next->columns.end(), [&](const Column& c) {
          return c.name == column.name && c.type == column.type && c.collation() == sql;
        });
        if (kept != next->columns.end()) {
          uses.push_back(CollatedColumn{table.name, column.name, column.type});
        }
      }
    }
    return uses;
  }

  static std::string OperatorArguments(const schema::Operator& op) {
    return op.left_type + ", " + op.right_type;
  }

  void Operators() {
    auto key = [](const schema::Operator& o) {
      return std::make_tuple(o.name, o.left_type, o.right_type);
    };
    auto from = IndexBy(from_.operators, key);
    auto to = IndexBy(to_.operators, key);
    for (const auto& [id, op] : to) {
      auto it = from.find(id);
      if (it == from.end() || it->second->definition != op->definition) {
        // Only RESTRICT and JOIN can be altered; Unsupported() refuses the drop while
        // something uses the old operator.
        if (it != from.end()) out_.push_back(DropOperator{*it->second});
        out_.push_back(CreateOperator{*op});
        if (op->comment) {
          out_.push_back(
              Comment(Kind::kOperator, op->name, op->comment, "", OperatorArguments(*op)));
        }
        continue;
      }
      const schema::Operator& old = *it->second;
      if (old.restrict_estimator != op->restrict_estimator ||
          old.join_estimator != op->join_estimator) {
        out_.push_back(AlterOperator{old, *op});
      }
      DiffComment({Kind::kOperator, op->name, "", OperatorArguments(*op)}, old.comment, op->comment,
                  out_);
    }
    for (const auto& [id, op] : from) {
      if (!to.count(id)) out_.push_back(DropOperator{*op});
    }
  }

  void OperatorFamilies() {
    auto key = [](const schema::OperatorFamily& f) { return std::make_pair(f.name, f.method); };
    auto from = IndexBy(from_.operator_families, key);
    auto to = IndexBy(to_.operator_families, key);
    for (const auto& [id, family] : to) {
      auto it = from.find(id);
      const std::vector<schema::OperatorFamilyMember> none;
      const auto& old_members = it == from.end() ? none : it->second->members;
      if (it == from.end()) {
        schema::OperatorFamily bare = *family;
        bare.members.clear();
        bare.comment.reset();
        out_.push_back(CreateOperatorFamily{bare});
      }
      AlterOperatorFamily alter{*family, {}, {}};
      alter.family->members.clear();
      alter.family->comment.reset();
      for (const auto& member : old_members) {
        if (std::find(family->members.begin(), family->members.end(), member) ==
            family->members.end()) {
          alter.dropped.push_back(member);
        }
      }
      for (const auto& member : family->members) {
        if (std::find(old_members.begin(), old_members.end(), member) == old_members.end()) {
          alter.added.push_back(member);
        }
      }
      if (!alter.dropped.empty() || !alter.added.empty()) out_.push_back(std::move(alter));
      std::optional<std::string> old_comment;
      if (it != from.end()) old_comment = it->second->comment;
      DiffComment({Kind::kOperatorFamily, family->name, family->method, ""}, old_comment,
                  family->comment, out_);
    }
    for (const auto& [id, family] : from) {
      if (!to.count(id)) out_.push_back(DropOperatorFamily{*family});
    }
  }

  void OperatorClasses() {
    auto key = [](const schema::OperatorClass& c) { return std::make_pair(c.name, c.method); };
    auto from = IndexBy(from_.operator_classes, key);
    auto to = IndexBy(to_.operator_classes, key);
    for (const auto& [id, opclass] : to) {
      auto it = from.find(id);
      if (it != from.end() && it->second->definition == opclass->definition) {
        DiffComment({Kind::kOperatorClass, opclass->name, opclass->method, ""}, it->second->comment,
                    opclass->comment, out_);
        continue;
      }
      // No ALTER OPERATOR CLASS changes members: dropped and created again, with the indexes
      // that use it (the plan rebuilds them).
      if (it != from.end()) out_.push_back(DropOperatorClass{*it->second});
      out_.push_back(CreateOperatorClass{*opclass});
      if (opclass->comment) {
        out_.push_back(
            Comment(Kind::kOperatorClass, opclass->name, opclass->comment, opclass->method));
      }
    }
    for (const auto& [id, opclass] : from) {
      if (!to.count(id)) out_.push_back(DropOperatorClass{*opclass});
    }
  }

  static size_t ObjectCount(const Database& database) {
    return database.schemas.size() + database.extensions.size() + database.enums.size() +
           database.domains.size() + database.composite_types.size() + database.sequences.size() +
           database.tables.size() + database.constraints.size() + database.indexes.size() +
           database.views.size() + database.functions.size() + database.triggers.size() +
           database.policies.size() + database.rules.size();
  }

  void Append(std::vector<Change> changes) {
    for (Change& change : changes) out_.push_back(std::move(change));
  }

 public:
  // Views are compared before indexes so matview indexes see which views are recreated.
  std::vector<Change> RunAll() {
    // A Change is large (a variant of every kind), and growing the vector moves each one again:
    // a creation script (from nothing) has about one change per object.
    size_t from_count = ObjectCount(from_);
    size_t to_count = ObjectCount(to_);
    out_.reserve((from_count > to_count ? from_count - to_count : to_count - from_count) + 64);
    FindTableFates();
    ComputeRecreatedViews();
    Schemas();
    Extensions();
    Enums();
    Domains();
    CompositeTypes();
    Sequences();
    Tables();
    Constraints();
    ViewChanges();
    Indexes();
    Functions();
    Triggers();
    Policies();
    Rules();
    Collations();
    Operators();
    OperatorFamilies();
    OperatorClasses();
    return std::move(out_);
  }

 private:
  const Database& from_;
  const Database& to_;
  std::map<QualifiedName, const Table*> from_tables_;
  std::map<QualifiedName, const Table*> to_tables_;
  std::deque<std::vector<Column>> parent_columns_;  // keeps ParentColumn's results alive
  std::deque<Constraint> kept_constraints_;         // see AddConstraintsKeptByLeavingTables
  std::set<QualifiedName> adopted_indexes_;         // indexes a new key takes over (AdoptingIndex)
  std::set<QualifiedName> dropped_tables_;
  std::set<QualifiedName> recreated_tables_;
  std::set<QualifiedName> dropped_views_;
  std::set<QualifiedName> recreated_views_;
  std::set<std::pair<QualifiedName, std::string>> swapped_defaults_;
  std::set<QualifiedName> rebased_domains_;
  std::vector<Change> out_;
};

}  // namespace

bool TypeNames(const std::string& type, const QualifiedName& name, bool* array) {
  std::string base = type;
  bool is_array = false;
  while (EndsWith(base, "[]")) {
    base.resize(base.size() - 2);
    is_array = true;
  }
  bool match = base == name.Sql() || ((name.schema == "public" || name.schema == "pg_catalog") &&
                                      base == QuoteIdentifier(name.name));
  if (match && array != nullptr) *array = is_array;
  return match;
}

namespace {

// What keeps `type` (an enum being swapped, or a composite type changed in place) from being
// replaced: composite attributes of that type, domains over it that `to` drops, partition keys
// on columns of it.
void ReportUsers(const Database& from, const Database& to, const QualifiedName& type,
                 const std::string& what, std::vector<std::string>& out) {
  for (const schema::CompositeType& composite : from.composite_types) {
    for (const schema::CompositeAttribute& attribute : composite.attributes) {
      if (TypeNames(attribute.type, type, nullptr)) {
        out.push_back(what + ": attribute " + QuoteIdentifier(attribute.name) +
                      " of composite type " + composite.name.Sql() +
                      " uses it; change that attribute's type in a separate migration first");
      }
    }
  }
  std::vector<QualifiedName> types{type};
  for (const schema::Domain& domain : from.domains) {
    if (!TypeNames(domain.base_type, type, nullptr)) continue;
    bool kept = std::any_of(to.domains.begin(), to.domains.end(),
                            [&](const schema::Domain& d) { return d.name == domain.name; });
    if (!kept) {
      out.push_back(what + ": domain " + domain.name.Sql() +
                    " is built on it and is dropped too; drop the domain in a separate "
                    "migration first");
    }
    types.push_back(domain.name);
    for (const schema::Domain& outer : from.domains) {
      if (TypeNames(outer.base_type, domain.name, nullptr)) {
        out.push_back(what + ": domain " + outer.name.Sql() + " is built on domain " +
                      domain.name.Sql() +
                      ", which is built on it; retort replaces only one level of domains");
      }
    }
  }
  for (const Table& table : from.tables) {
    if (!table.partition_key) continue;
    for (const Column& column : table.columns) {
      bool uses = std::any_of(types.begin(), types.end(), [&](const QualifiedName& t) {
        return TypeNames(column.type, t, nullptr);
      });
      if (uses && MentionsIdentifier(*table.partition_key, column.name)) {
        out.push_back(what + ": column " + QuoteIdentifier(column.name) + " of " +
                      table.name.Sql() +
                      " is in the partition key, whose type PostgreSQL cannot change");
      }
    }
  }
}

}  // namespace

namespace {

// "rules", "replica identities", "clustered indexes", "statistics": plurals for messages.
std::string Plural(const std::string& kind) {
  if (kind.ends_with("ss") || kind.ends_with("x")) return kind + "es";
  if (kind.ends_with("s")) return kind;  // statistics, default privileges
  if (kind.ends_with("y") && !kind.ends_with("ay")) return kind.substr(0, kind.size() - 1) + "ies";
  return kind + "s";
}

// What the `from` model says depends on `id` (of the kinds `only` lists, or all), for messages:
// "column public.t.c".
std::vector<std::string> DependentsOf(const Database& from, const schema::ObjectId& id,
                                      const std::set<schema::ObjectId::Kind>& only = {}) {
  std::set<std::string> names;
  for (const schema::Dependency& dependency : from.dependencies) {
    if (dependency.referenced != id) continue;
    if (!only.empty() && !only.count(dependency.dependent.kind)) continue;
    std::string kind;
    switch (dependency.dependent.kind) {
      case schema::ObjectId::Kind::kColumn:
        kind = "column";
        break;
      case schema::ObjectId::Kind::kTable:
        kind = "table";
        break;
      case schema::ObjectId::Kind::kView:
        kind = "view";
        break;
      case schema::ObjectId::Kind::kFunction:
        kind = "function";
        break;
      case schema::ObjectId::Kind::kType:
        kind = "type";
        break;
      case schema::ObjectId::Kind::kIndex:
        kind = "index";
        break;
      case schema::ObjectId::Kind::kConstraint:
        kind = "constraint";
        break;
      case schema::ObjectId::Kind::kTrigger:
        kind = "trigger";
        break;
      case schema::ObjectId::Kind::kPolicy:
        kind = "policy";
        break;
      case schema::ObjectId::Kind::kRule:
        kind = "rule";
        break;
      case schema::ObjectId::Kind::kOperator:
        kind = "operator";
        break;
      case schema::ObjectId::Kind::kOperatorClass:
        kind = "operator class";
        break;
      case schema::ObjectId::Kind::kOperatorFamily:
        kind = "operator family";
        break;
      default:
        kind = "object";
        break;
    }
    names.insert(kind + " " + dependency.dependent.identity);
  }
  return {names.begin(), names.end()};
}

// Collations and operators whose definition changes can only be dropped and created again
// (PostgreSQL has no ALTER for it), which PostgreSQL refuses while something uses them: named,
// with what uses them. (Operator classes are rebuilt with their indexes by the plan.)
void ReportReplacedInUse(const Database& from, const Database& to,
                         std::vector<std::string>& problems) {
  for (const schema::Collation& collation : from.collations) {
    for (const schema::Collation& next : to.collations) {
      if (next.name != collation.name || next.definition == collation.definition) continue;
      // Table columns move to the re-created collation, and views, indexes and constraints
      // are rebuilt around it; types cannot be moved.
      std::string sql = collation.Sql();
      std::vector<std::string> users;
      for (const schema::Domain& domain : from.domains) {
        if (domain.collation == sql) users.push_back("domain " + domain.name.Sql());
      }
      // A domain whose CHECK names the collation.
      for (const std::string& user :
           DependentsOf(from, schema::ObjectId::ForCollation(collation.name),
                        {schema::ObjectId::Kind::kType})) {
        if (std::find(users.begin(), users.end(), "domain " + user.substr(5)) == users.end()) {
          users.push_back(user);
        }
      }
      for (const schema::CompositeType& type : from.composite_types) {
        for (const schema::CompositeAttribute& attribute : type.attributes) {
          if (attribute.collation == sql) {
            users.push_back("attribute " + QuoteIdentifier(attribute.name) + " of composite type " +
                            type.name.Sql());
          }
        }
      }
      for (const Table& table : from.tables) {
        if (!table.partition_key) continue;
        for (const Column& column : table.columns) {
          if (column.collation() == sql && MentionsIdentifier(*table.partition_key, column.name)) {
            users.push_back("partition key column " + QuoteIdentifier(column.name) + " of " +
                            table.name.Sql());
          }
        }
      }
      if (users.empty()) continue;
      problems.push_back("collation " + collation.name.Sql() + " changes (" + collation.definition +
                         " -> " + next.definition +
                         "), which takes creating it again and moving its users to the new one, "
                         "and PostgreSQL cannot move " +
                         Join(users, ", ") +
                         " to another collation; create a collation under a new name, move "
                         "them to it, then drop the old one, in separate migrations");
    }
  }
  for (const schema::Operator& op : from.operators) {
    for (const schema::Operator& next : to.operators) {
      if (next.name != op.name || next.left_type != op.left_type ||
          next.right_type != op.right_type || next.definition == op.definition) {
        continue;
      }
      // The plan rebuilds views, indexes, constraints, triggers, policies, rules and functions
      // around the replacement; column defaults and operator classes and families cannot be.
      using K = schema::ObjectId::Kind;
      std::vector<std::string> users =
          DependentsOf(from, schema::ObjectId::ForOperator(op),
                       {K::kColumn, K::kType, K::kOperatorClass, K::kOperatorFamily});
      if (users.empty()) continue;
      problems.push_back("operator " + op.Signature() + " changes (" + op.definition + " -> " +
                         next.definition +
                         "), which ALTER OPERATOR cannot do (it changes only RESTRICT and "
                         "JOIN), and PostgreSQL will not drop it while it is used by " +
                         Join(users, ", ") +
                         "; create an operator under a new name, move its users to it, "
                         "then drop the old one, in separate migrations");
    }
  }
}

// Differences in what the model does not carry: named, since nothing can be planned for them.
void ReportUnmodelled(const Database& from, const Database& to,
                      std::vector<std::string>& problems) {
  auto key = [](const schema::UnmodelledObject& object) {
    return std::tie(object.kind, object.identity);
  };
  size_t i = 0;
  size_t j = 0;
  auto report = [&](const schema::UnmodelledObject& object, const char* what) {
    problems.push_back("retort cannot plan changes to " + Plural(object.kind) +
                       " yet: " + object.identity + " (" + what + ")");
  };
  while (i < from.unmodelled.size() || j < to.unmodelled.size()) {
    if (j == to.unmodelled.size() ||
        (i < from.unmodelled.size() && key(from.unmodelled[i]) < key(to.unmodelled[j]))) {
      report(from.unmodelled[i++], "only in the first schema");
    } else if (i == from.unmodelled.size() || key(to.unmodelled[j]) < key(from.unmodelled[i])) {
      report(to.unmodelled[j++], "only in the second schema");
    } else {
      if (from.unmodelled[i].definition != to.unmodelled[j].definition) {
        report(to.unmodelled[j], "defined differently");
      }
      ++i;
      ++j;
    }
  }
}

// Every column `table` has from its classic inheritance parents (their own and theirs).
void InheritedColumnNames(const Database& db, const Table& table, std::set<std::string>& names,
                          int depth = 0) {
  if (depth > 32) return;
  for (const QualifiedName& parent : table.inherits) {
    for (const Table& candidate : db.tables) {
      if (candidate.name != parent) continue;
      for (const Column& column : candidate.columns) names.insert(column.name);
      InheritedColumnNames(db, candidate, names, depth + 1);
    }
  }
}

// Whether the child declares column `name` itself (attislocal) rather than only inheriting it.
bool DeclaresColumn(const Table& table, const std::string& name) {
  return std::any_of(table.columns.begin(), table.columns.end(), [&](const Column& column) {
    return column.name == name && !column.inherited_only;
  });
}

// An inherited column that a child declares itself on one side only: no ALTER makes a column
// inherited only, and NO INHERIT + INHERIT would make every column of the parent the child's
// own. Named rather than left as a difference the migration would not make.
void ReportColumnLocality(const Database& from, const Database& to,
                          std::vector<std::string>& problems) {
  for (const Table& table : to.tables) {
    if (table.inherits.empty()) continue;
    auto old = std::find_if(from.tables.begin(), from.tables.end(),
                            [&](const Table& t) { return t.name == table.name; });
    if (old == from.tables.end()) continue;
    std::set<std::string> now;
    std::set<std::string> before;
    InheritedColumnNames(to, table, now);
    InheritedColumnNames(from, *old, before);
    for (const std::string& name : now) {
      if (!before.count(name)) continue;
      bool declared = DeclaresColumn(table, name);
      if (declared == DeclaresColumn(*old, name)) continue;
      problems.push_back(
          "column " + QuoteIdentifier(name) + " of " + table.name.Sql() +
          (declared ? " is inherited only in the database but declared in the table in the target"
                    : " is declared in the table in the database but inherited only in the "
                      "target") +
          ", and no ALTER TABLE changes that (PostgreSQL's attislocal): create the table again, "
          "or declare the column the same way as the database has it");
    }
  }
}

}  // namespace

std::vector<std::string> Unsupported(const Database& from, const Database& to) {
  std::vector<std::string> problems;
  ReportUnmodelled(from, to, problems);
  ReportColumnLocality(from, to, problems);
  // ALTER TABLE ... INHERIT needs the parent's columns and CHECK constraints on the table
  // already, and leaves them the table's own as well as inherited: no statement makes them
  // inherited only, as CREATE TABLE ... INHERITS does.
  for (const Table& table : to.tables) {
    const Table* old = nullptr;
    for (const Table& candidate : from.tables) {
      if (candidate.name == table.name) old = &candidate;
    }
    if (old == nullptr || old->partitioned != table.partitioned ||
        old->partition_key != table.partition_key) {
      continue;
    }
    for (const QualifiedName& parent : table.inherits) {
      if (std::find(old->inherits.begin(), old->inherits.end(), parent) != old->inherits.end()) {
        continue;
      }
      std::vector<std::string> inherited_only;
      for (const Table& parent_table : to.tables) {
        if (parent_table.name != parent) continue;
        for (const Column& column : parent_table.columns) {
          if (!DeclaresColumn(table, column.name)) {
            inherited_only.push_back("column " + QuoteIdentifier(column.name));
          }
        }
      }
      for (const Constraint& check : to.constraints) {
        if (check.table != parent || check.type != ConstraintType::kCheck ||
            check.definition.find(" NO INHERIT") != std::string::npos) {
          continue;
        }
        bool own = std::any_of(
            to.constraints.begin(), to.constraints.end(),
            [&](const Constraint& c) { return c.table == table.name && c.name == check.name; });
        if (!own) inherited_only.push_back("constraint " + QuoteIdentifier(check.name));
      }
      if (inherited_only.empty()) continue;
      problems.push_back("table " + table.name.Sql() + " starts inheriting from " + parent.Sql() +
                         ", which leaves " + Join(inherited_only, ", ") +
                         " the table's own as well as inherited (ALTER TABLE ... INHERIT needs "
                         "them there first), where the target has them inherited only: "
                         "declare them in the table too, or create the table again");
    }
  }
  // REPLICA IDENTITY USING INDEX whose index was dropped since: no statement makes that.
  for (const Table& table : to.tables) {
    if (table.replica_identity != 'i' || !table.replica_identity_index.empty()) continue;
    bool same = std::any_of(from.tables.begin(), from.tables.end(), [&](const Table& old) {
      return old.name == table.name && old.replica_identity == 'i' &&
             old.replica_identity_index.empty();
    });
    if (!same) {
      problems.push_back("table " + table.name.Sql() +
                         ": its replica identity names an index that was dropped, a state no "
                         "statement creates; set REPLICA IDENTITY DEFAULT, FULL, NOTHING or "
                         "USING INDEX an existing index");
    }
  }
  ReportReplacedInUse(from, to, problems);
  for (const schema::EnumType& type : from.enums) {
    for (const schema::EnumType& next : to.enums) {
      if (next.name != type.name || IsSubsequence(type.labels, next.labels)) continue;
      ReportUsers(from, to, type.name,
                  "enum " + type.name.Sql() +
                      " loses or reorders values, which takes a new type (created, columns "
                      "converted, old one dropped)",
                  problems);
    }
  }
  // A partition's validated copy of its parent's NOT VALID check cannot be made not valid
  // again while the parent's constraint stays as it is.
  for (const Constraint& constraint : from.constraints) {
    const Constraint* parent = ValidatedPartitionCopy(from, constraint);
    if (parent == nullptr) continue;
    bool copy_kept = std::any_of(to.constraints.begin(), to.constraints.end(), [&](const auto& c) {
      return c.table == constraint.table && c.name == constraint.name;
    });
    bool parent_kept =
        std::any_of(to.constraints.begin(), to.constraints.end(), [&](const auto& c) {
          return c.table == parent->table && c.name == parent->name &&
                 c.definition == parent->definition;
        });
    bool partition_kept = std::any_of(to.tables.begin(), to.tables.end(), [&](const Table& t) {
      return t.name == constraint.table && t.partition_of == std::optional(parent->table);
    });
    if (copy_kept || !parent_kept || !partition_kept) continue;
    problems.push_back("check constraint " + QuoteIdentifier(constraint.name) + " of partition " +
                       constraint.table.Sql() +
                       " is validated, and is to be NOT VALID like its parent's: PostgreSQL "
                       "cannot un-validate a constraint; drop the constraint of " +
                       parent->table.Sql() +
                       " and add it again NOT VALID in a migration "
                       "written by hand");
  }
  // ALTER TYPE ... ALTER ATTRIBUTE ... TYPE, and a drop and re-creation, fail while a table
  // column uses the type.
  for (const schema::CompositeType& type : from.composite_types) {
    for (const schema::CompositeType& next : to.composite_types) {
      if (next.name != type.name) continue;
      std::vector<schema::CompositeAttribute> kept;
      bool retyped = false;
      for (const auto& attribute : type.attributes) {
        for (const auto& other : next.attributes) {
          if (other.name != attribute.name) continue;
          if (other.type != attribute.type || other.collation != attribute.collation) {
            retyped = true;
          }
          kept.push_back(other);
        }
      }
      // ALTER TYPE can only drop attributes and add new ones at the end: the kept ones must
      // lead `next`, in their old order (as Differ::CanAlterInPlace requires).
      bool reordered = false;
      for (size_t i = 0; i < kept.size() && i < next.attributes.size(); ++i) {
        if (next.attributes[i].name != kept[i].name) reordered = true;
      }
      if (!retyped && !reordered) continue;
      for (const Table& table : from.tables) {
        for (const Column& column : table.columns) {
          if (!TypeNames(column.type, type.name, nullptr)) continue;
          problems.push_back("composite type " + type.name.Sql() + ": " +
                             (retyped ? "an attribute changes type"
                                      : "attributes are reordered or inserted before others") +
                             " while column " + QuoteIdentifier(column.name) + " of " +
                             table.name.Sql() +
                             " uses the type, which PostgreSQL refuses; add a new attribute (or "
                             "type), copy the data, then drop the old one, in separate migrations");
        }
      }
    }
  }
  return problems;
}

QualifiedName ReplacedCollationName(const QualifiedName& name) {
  static const std::string kSuffix = "__retort_old";
  return {name.schema, name.name.substr(0, 63 - kSuffix.size()) + kSuffix};
}

std::string WithoutNotValid(const std::string& definition) {
  static const std::string kNotValid = " NOT VALID";
  if (EndsWith(definition, kNotValid)) {
    return definition.substr(0, definition.size() - kNotValid.size());
  }
  return definition;
}

std::vector<Change> CreationChanges(const View& view) {
  std::vector<Change> changes;  // not a braced list: that would copy the object twice
  changes.emplace_back(CreateView{view});
  Kind kind = view.materialized ? Kind::kMaterializedView : Kind::kView;
  if (view.comment) changes.push_back(Comment(kind, view.name, view.comment));
  for (const auto& [column, comment] : view.column_comments) {
    changes.push_back(Comment(Kind::kColumn, view.name, comment, column));
  }
  DiffGrants(view.name, {}, view.grants, changes);
  return changes;
}

std::vector<Change> CreationChanges(const Function& function) {
  std::vector<Change> changes;
  changes.emplace_back(CreateFunction{function, false});
  if (function.comment) {
    changes.push_back(Comment(FunctionCommentKind(function.kind), function.name, function.comment,
                              "", function.arguments));
  }
  DiffGrants(function.name, DefaultFunctionGrants(), function.grants, changes,
             FunctionGrantObject(function.kind), "", function.arguments);
  return changes;
}

std::vector<Change> CreationChanges(const Trigger& trigger) {
  std::vector<Change> changes;
  changes.emplace_back(CreateTrigger{trigger});
  if (trigger.enabled != 'O') changes.push_back(SetTriggerEnabled{trigger});
  if (trigger.comment) {
    changes.push_back(Comment(Kind::kTrigger, trigger.table, trigger.comment, trigger.name));
  }
  return changes;
}

std::vector<Change> CreationChanges(const Policy& policy) {
  std::vector<Change> changes;
  changes.emplace_back(CreatePolicy{policy});
  if (policy.comment) {
    changes.push_back(Comment(Kind::kPolicy, policy.table, policy.comment, policy.name));
  }
  return changes;
}

std::vector<Change> CreationChanges(const Index& index) {
  std::vector<Change> changes;
  changes.emplace_back(CreateIndex{index});
  if (index.comment) changes.push_back(Comment(Kind::kIndex, index.name, index.comment));
  return changes;
}

std::vector<Change> CreationChanges(const Constraint& constraint) {
  std::vector<Change> changes;
  changes.emplace_back(AddConstraint{constraint});
  if (constraint.comment) {
    changes.push_back(
        Comment(Kind::kConstraint, constraint.table, constraint.comment, constraint.name));
  }
  return changes;
}

std::vector<Change> CreationChanges(const schema::Rule& rule) {
  std::vector<Change> changes;
  changes.emplace_back(CreateRule{rule});
  if (rule.enabled != 'O') changes.push_back(SetRuleEnabled{rule});
  if (rule.comment) changes.push_back(Comment(Kind::kRule, rule.table, rule.comment, rule.name));
  return changes;
}

std::string IndexShape(const std::string& definition) {
  size_t using_at = definition.find(" USING ");
  return using_at == std::string::npos ? definition : definition.substr(using_at);
}

std::vector<Change> Diff(const Database& from, const Database& to) {
  return Differ(from, to).RunAll();
}

}  // namespace retort::diff
