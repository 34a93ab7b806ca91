#include "diff/renames.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "base/strings.h"

namespace retort::diff {

using schema::Column;
using schema::Constraint;
using schema::Database;
using schema::Index;
using schema::ObjectId;
using schema::Sequence;
using schema::Table;

std::string RenameSpec::Subject() const {
  return column.empty() ? table.Sql() : table.Sql() + "." + QuoteIdentifier(column);
}

// Unquoted, as the flag is typed (the --using values are read the same way).
std::string RenameSpec::Flag() const {
  return table.schema + "." + table.name + (column.empty() ? "" : "." + column) + "=" + new_name;
}

RenameSpec Reversed(const RenameSpec& rename) {
  if (rename.column.empty()) {
    return {{rename.table.schema, rename.new_name}, "", rename.table.name};
  }
  return {rename.table, rename.new_name, rename.column};
}

namespace {

// Whether the identifier at [begin, end) of `text` stands for a column: it is neither qualified
// ("t.name") nor a qualifier ("name.x"), a function ("name(") or a type ("::name").
bool StandsForColumn(const std::string& text, size_t begin, size_t end) {
  size_t before = begin;
  while (before > 0 && text[before - 1] == ' ') --before;
  if (before > 0 && text[before - 1] == '.') return false;
  if (before > 1 && text[before - 1] == ':' && text[before - 2] == ':') return false;
  size_t after = end;
  while (after < text.size() && text[after] == ' ') ++after;
  return after >= text.size() || (text[after] != '(' && text[after] != '.');
}

// `text` with the mentions of column `old_name` in [begin, end) spelled `new_name`, as the
// server prints a definition after RENAME COLUMN. String literals are left alone; a bare word
// counts only where the server would print the name bare.
std::string RenameColumnMentions(const std::string& text, size_t begin, size_t end,
                                 const std::string& old_name, const std::string& new_name) {
  end = std::min(end, text.size());
  if (begin >= end) return text;
  bool bare_spelling = QuoteIdentifier(old_name) == old_name;
  std::string out = text.substr(0, begin);
  size_t at = begin;
  while (at < end) {
    char c = text[at];
    size_t next = at + 1;
    std::string name;
    bool identifier = false;
    if (c == '\'' || c == '"') {
      // A literal, or a quoted identifier; a doubled quote stands for one.
      while (next < end) {
        if (text[next] == c) {
          if (next + 1 < end && text[next + 1] == c) {
            name.push_back(c);
            next += 2;
            continue;
          }
          ++next;
          break;
        }
        name.push_back(text[next++]);
      }
      identifier = c == '"';
    } else if (IsIdentifierChar(c)) {
      while (next < end && IsIdentifierChar(text[next])) ++next;
      name = text.substr(at, next - at);
      identifier = bare_spelling && !std::isdigit(static_cast<unsigned char>(c));
    }
    if (identifier && name == old_name && StandsForColumn(text, at, next)) {
      out += QuoteIdentifier(new_name);
    } else {
      out.append(text, at, next - at);
    }
    at = next;
  }
  out.append(text, end, std::string::npos);
  return out;
}

// Replaces the first `old_text` in `text` with `new_text`; false when there is none.
bool ReplaceFirst(std::string& text, const std::string& old_text, const std::string& new_text) {
  size_t at = text.find(old_text);
  if (at == std::string::npos) return false;
  text.replace(at, old_text.size(), new_text);
  return true;
}

// A relation as pg_get_constraintdef and regclass print it with search_path = public (how the
// catalog reads): bare in public, qualified elsewhere.
std::string RelationReference(const QualifiedName& name) {
  return name.schema == "public" ? QuoteIdentifier(name.name) : name.Sql();
}

// Where the column list after " REFERENCES table" starts and ends in a foreign key's
// definition: [open, close] are the parentheses.
std::pair<size_t, size_t> ReferencedColumns(const std::string& definition) {
  size_t references = definition.find(" REFERENCES ");
  if (references == std::string::npos) return {std::string::npos, std::string::npos};
  size_t open = definition.find('(', references);
  size_t close = open == std::string::npos ? open : definition.find(')', open);
  return {open, close};
}

// Where an index definition's column list starts: after "ON [ONLY] table USING method".
size_t IndexColumnsStart(const Index& index) {
  size_t on = index.definition.find(" ON ");
  size_t using_at = on == std::string::npos ? on : index.definition.find(" USING ", on);
  return using_at == std::string::npos ? index.definition.size()
                                       : index.definition.find('(', using_at);
}

const Table* FindTable(const Database& database, const QualifiedName& name) {
  for (const Table& table : database.tables) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

const Column* FindColumn(const Table& table, const std::string& name) {
  for (const Column& column : table.columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

// Whether a relation (or a type, which a table's row type would clash with) is called `name`.
bool RelationNameTaken(const Database& database, const QualifiedName& name) {
  auto named = [&](const auto& objects) {
    return std::any_of(objects.begin(), objects.end(),
                       [&](const auto& object) { return object.name == name; });
  };
  bool key = std::any_of(
      database.constraints.begin(), database.constraints.end(), [&](const Constraint& c) {
        return c.table.schema == name.schema && c.name == name.name && schema::HasIndex(c.type);
      });
  return key || named(database.tables) || named(database.views) || named(database.sequences) ||
         named(database.indexes) || named(database.enums) || named(database.domains) ||
         named(database.composite_types);
}

// The pairs (one of `gone`, one of `added`) that `same` matches with each other and with
// nothing else on either side, in `gone`'s order.
template <typename T, typename U, typename Same>
std::vector<std::pair<T*, const U*>> UniquePairs(const std::vector<T*>& gone,
                                                 const std::vector<const U*>& added, Same same) {
  std::vector<std::pair<T*, const U*>> pairs;
  for (T* old : gone) {
    const U* match = nullptr;
    int matches = 0;
    for (const U* next : added) {
      if (same(*old, *next)) {
        match = next;
        ++matches;
      }
    }
    if (matches != 1) continue;
    int back = static_cast<int>(
        std::count_if(gone.begin(), gone.end(), [&](T* other) { return same(*other, *match); }));
    if (back == 1) pairs.emplace_back(old, match);
  }
  return pairs;
}

// Two serial columns' defaults name their own sequences.
bool SameDefault(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (a == b) return true;
  auto serial = [](const std::optional<std::string>& value) {
    return value && StartsWith(*value, "nextval('") && EndsWith(*value, "'::regclass)");
  };
  return serial(a) && serial(b);
}

bool SameShape(const Column& a, const Column& b) {
  return a.type == b.type && a.collation() == b.collation() && a.not_null == b.not_null &&
         SameDefault(a.default_expr, b.default_expr) && a.identity == b.identity &&
         a.identity_options() == b.identity_options() && a.generated_expr() == b.generated_expr();
}

// A table's constraints by what they are, whatever their names.
std::vector<std::pair<schema::ConstraintType, std::string>> ConstraintShapes(
    const Database& database, const QualifiedName& table) {
  std::vector<std::pair<schema::ConstraintType, std::string>> shapes;
  for (const Constraint& constraint : database.constraints) {
    if (constraint.table == table) shapes.emplace_back(constraint.type, constraint.definition);
  }
  std::sort(shapes.begin(), shapes.end());
  return shapes;
}

bool SameTableShape(const Database& from, const Table& a, const Database& to, const Table& b) {
  if (a.name.schema != b.name.schema || a.partitioned != b.partitioned ||
      a.partition_key != b.partition_key || a.partition_of != b.partition_of ||
      a.partition_bound != b.partition_bound || a.inherits != b.inherits ||
      a.unlogged != b.unlogged || a.columns.size() != b.columns.size()) {
    return false;
  }
  for (size_t i = 0; i < a.columns.size(); ++i) {
    if (a.columns[i].name != b.columns[i].name || !SameShape(a.columns[i], b.columns[i])) {
      return false;
    }
  }
  return ConstraintShapes(from, a.name) == ConstraintShapes(to, b.name);
}

// An index definition without its name: "CREATE INDEX ix ON ..." -> "CREATE INDEX ON ...".
std::string WithoutIndexName(const Index& index) {
  std::string prefix = std::string(index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") +
                       QuoteIdentifier(index.name.name) + " ";
  if (!StartsWith(index.definition, prefix)) return index.definition;
  return index.definition.substr(prefix.size());
}

class Renamer {
 public:
  Renamer(const Database& from, const Database& to) : from_(from), to_(to) {
    result_.database = from;
  }

  Renamed Run(const std::vector<RenameSpec>& renames) {
    std::vector<RenameSpec> tables;
    std::vector<RenameSpec> columns;
    for (const RenameSpec& rename : renames) {
      (rename.column.empty() ? tables : columns).push_back(rename);
    }
    for (const RenameSpec& rename : tables) {
      if (!CheckTable(rename)) continue;
      QualifiedName new_name{rename.table.schema, rename.new_name};
      RenameTable(rename.table, new_name);
      result_.changes.push_back(Rename{Rename::Kind::kTable, rename.table, "", rename.new_name,
                                       /*asked=*/true});
      renamed_tables_[rename.table] = new_name;
    }
    for (RenameSpec rename : columns) {
      // Named by its old name (the author's, or the downgrade's): the table has its new one now.
      if (auto it = renamed_tables_.find(rename.table); it != renamed_tables_.end()) {
        rename.table = it->second;
      }
      if (!CheckColumn(rename)) continue;
      RenameColumn(rename.table, rename.column, rename.new_name);
      result_.changes.push_back(Rename{Rename::Kind::kColumn, rename.table, rename.column,
                                       rename.new_name, /*asked=*/true});
    }
    if (!result_.problems.empty()) return std::move(result_);
    FollowIndexes();
    FollowConstraints();
    FollowSequences();
    result_.database.Sort();
    return std::move(result_);
  }

 private:
  Database& db() { return result_.database; }

  void Problem(const RenameSpec& rename, const std::string& what) {
    result_.problems.push_back("--rename " + rename.Flag() + ": " + what);
  }

  bool CheckTable(const RenameSpec& rename) {
    QualifiedName new_name{rename.table.schema, rename.new_name};
    size_t problems = result_.problems.size();
    if (!renamed_from_.insert(rename.table).second) {
      Problem(rename, rename.table.Sql() + " is renamed twice");
    } else if (!renamed_to_.insert(new_name).second) {
      Problem(rename, "two tables are renamed to " + new_name.Sql());
    } else if (!FindTable(from_, rename.table)) {
      Problem(rename, "there is no table " + rename.table.Sql() + " to rename");
    } else if (FindTable(to_, rename.table)) {
      Problem(rename, "the desired schema still has table " + rename.table.Sql() +
                          " (a rename leaves no table under the old name)");
    } else if (RelationNameTaken(from_, new_name)) {
      Problem(rename, new_name.Sql() + " exists already");
    } else if (!FindTable(to_, new_name)) {
      Problem(rename, "the desired schema has no table " + new_name.Sql());
    }
    return result_.problems.size() == problems;
  }

  bool CheckColumn(const RenameSpec& rename) {
    const Table* table = FindTable(db(), rename.table);
    const Table* desired = FindTable(to_, rename.table);
    size_t problems = result_.problems.size();
    if (table == nullptr) {
      Problem(rename, "there is no table " + rename.table.Sql());
    } else if (desired == nullptr) {
      Problem(rename, "the desired schema has no table " + rename.table.Sql());
    } else if (!renamed_columns_.insert({rename.table, rename.column}).second) {
      Problem(rename, rename.Subject() + " is renamed twice");
    } else if (!FindColumn(*table, rename.column)) {
      Problem(rename, rename.table.Sql() + " has no column " + QuoteIdentifier(rename.column) +
                          " to rename");
    } else if (FindColumn(*desired, rename.column)) {
      Problem(rename, "the desired " + rename.table.Sql() + " still has column " +
                          QuoteIdentifier(rename.column) +
                          " (a rename leaves no column under the old name)");
    } else if (FindColumn(*table, rename.new_name)) {
      Problem(rename, rename.table.Sql() + " has a column " + QuoteIdentifier(rename.new_name) +
                          " already");
    } else if (!FindColumn(*desired, rename.new_name)) {
      Problem(rename, "the desired " + rename.table.Sql() + " has no column " +
                          QuoteIdentifier(rename.new_name));
    } else if (table->partition_of) {
      Problem(rename, "the columns of partition " + rename.table.Sql() + " are its parent's: " +
                          "rename the column of " + table->partition_of->Sql());
    } else {
      for (const QualifiedName& parent_name : table->inherits) {
        const Table* parent = FindTable(db(), parent_name);
        if (parent != nullptr && FindColumn(*parent, rename.column)) {
          Problem(rename, "the column is inherited from " + parent_name.Sql() +
                              ": rename it there (PostgreSQL renames it in the children too)");
          break;
        }
      }
    }
    return result_.problems.size() == problems;
  }

  // The table and the tables that inherit from it or are its partitions, at any depth.
  std::set<QualifiedName> WithDescendants(const QualifiedName& table) const {
    std::set<QualifiedName> family{table};
    bool grew = true;
    while (grew) {
      grew = false;
      for (const Table& other : result_.database.tables) {
        if (family.count(other.name)) continue;
        bool child = (other.partition_of && family.count(*other.partition_of)) ||
                     std::any_of(other.inherits.begin(), other.inherits.end(),
                                 [&](const QualifiedName& p) { return family.count(p) > 0; });
        if (child) {
          family.insert(other.name);
          grew = true;
        }
      }
    }
    return family;
  }

  // Renames the identities pg_depend edges use: `rename` maps one identity of `kinds` to its
  // new text, or returns it unchanged.
  void RenameDependencies(const std::function<std::string(const ObjectId&)>& rename) {
    for (schema::Dependency& dependency : db().dependencies) {
      dependency.dependent.identity = rename(dependency.dependent);
      dependency.referenced.identity = rename(dependency.referenced);
    }
  }

  // One object's identity in the pg_depend edges.
  void RenameDependency(const ObjectId& old_id, const ObjectId& new_id) {
    RenameDependencies(
        [&](const ObjectId& id) { return id == old_id ? new_id.identity : id.identity; });
  }

  void RenameTable(const QualifiedName& old_name, const QualifiedName& new_name) {
    touched_.insert(new_name);
    for (Table& table : db().tables) {
      if (table.name == old_name) table.name = new_name;
      if (table.partition_of == old_name) table.partition_of = new_name;
      std::replace(table.inherits.begin(), table.inherits.end(), old_name, new_name);
    }
    for (Constraint& constraint : db().constraints) {
      if (constraint.table == old_name) constraint.table = new_name;
      if (constraint.referenced_table == old_name) {
        constraint.referenced_table = new_name;
        ReplaceFirst(constraint.definition, " REFERENCES " + RelationReference(old_name) + "(",
                     " REFERENCES " + RelationReference(new_name) + "(");
        touched_.insert(constraint.table);
      }
    }
    for (Index& index : db().indexes) {
      if (index.table != old_name) continue;
      index.table = new_name;
      for (const char* on : {" ON ", " ON ONLY "}) {
        ReplaceFirst(index.definition, on + old_name.Sql() + " USING ",
                     on + new_name.Sql() + " USING ");
      }
    }
    for (schema::Trigger& trigger : db().triggers) {
      if (trigger.table != old_name) continue;
      trigger.table = new_name;
      ReplaceFirst(trigger.definition, " ON " + old_name.Sql() + " ",
                   " ON " + new_name.Sql() + " ");
    }
    for (schema::Policy& policy : db().policies) {
      if (policy.table == old_name) policy.table = new_name;
    }
    for (schema::Rule& rule : db().rules) {
      if (rule.table == old_name) rule.table = new_name;
    }
    for (Sequence& sequence : db().sequences) {
      if (sequence.owned_by_table == old_name) sequence.owned_by_table = new_name;
    }
    std::string old_identity = old_name.Sql();
    std::string new_identity = new_name.Sql();
    RenameDependencies([&](const ObjectId& id) {
      using Kind = ObjectId::Kind;
      if (id.kind == Kind::kTable) return id.identity == old_identity ? new_identity : id.identity;
      bool member = id.kind == Kind::kColumn || id.kind == Kind::kConstraint ||
                    id.kind == Kind::kTrigger || id.kind == Kind::kPolicy || id.kind == Kind::kRule;
      if (member && StartsWith(id.identity, old_identity + ".")) {
        return new_identity + id.identity.substr(old_identity.size());
      }
      return id.identity;
    });
    // A table's settings the model does not carry ("public.t", "public.t.column").
    for (schema::UnmodelledObject& object : db().unmodelled) {
      if (object.identity == old_identity || StartsWith(object.identity, old_identity + ".")) {
        object.identity = new_identity + object.identity.substr(old_identity.size());
      }
    }
  }

  void RenameColumn(const QualifiedName& table_name, const std::string& old_name,
                    const std::string& new_name) {
    std::set<QualifiedName> family = WithDescendants(table_name);
    touched_.insert(family.begin(), family.end());
    auto rename_in = [&](const std::string& text, size_t begin, size_t end) {
      return RenameColumnMentions(text, begin, end, old_name, new_name);
    };
    for (Table& table : db().tables) {
      if (!family.count(table.name)) continue;
      for (Column& column : table.columns) {
        if (column.name == old_name) column.name = new_name;
      }
      if (table.name == table_name && table.partition_key) {
        table.partition_key = rename_in(*table.partition_key, 0, std::string::npos);
      }
    }
    for (Constraint& constraint : db().constraints) {
      bool own = family.count(constraint.table) > 0;
      if (constraint.type != schema::ConstraintType::kForeignKey) {
        if (own) constraint.definition = rename_in(constraint.definition, 0, std::string::npos);
        continue;
      }
      // The referenced side first: renaming the local side may move it.
      if (constraint.referenced_table == table_name) {
        auto [open, close] = ReferencedColumns(constraint.definition);
        if (open != std::string::npos) {
          constraint.definition = rename_in(constraint.definition, open, close);
          touched_.insert(constraint.table);
        }
      }
      if (own) {
        size_t references = constraint.definition.find(" REFERENCES ");
        constraint.definition = rename_in(constraint.definition, 0, references);
      }
    }
    for (Index& index : db().indexes) {
      if (!family.count(index.table)) continue;
      index.definition = rename_in(index.definition, IndexColumnsStart(index), std::string::npos);
    }
    for (Sequence& sequence : db().sequences) {
      if (sequence.owned_by_table && family.count(*sequence.owned_by_table) &&
          sequence.owned_by_column == old_name) {
        sequence.owned_by_column = new_name;
      }
    }
    // "schema.table.column" of the table and its descendants, old -> new.
    std::map<std::string, std::string> identities;
    for (const QualifiedName& member : family) {
      identities[ObjectId::ForColumn(member, old_name).identity] =
          ObjectId::ForColumn(member, new_name).identity;
    }
    RenameDependencies([&](const ObjectId& id) {
      auto it = identities.find(id.identity);
      return id.kind == ObjectId::Kind::kColumn && it != identities.end() ? it->second
                                                                          : id.identity;
    });
    for (schema::UnmodelledObject& object : db().unmodelled) {
      auto it = identities.find(object.identity);
      if (object.kind == "column setting" && it != identities.end()) object.identity = it->second;
    }
  }

  // The objects of a touched table that `to` has under another name and otherwise equal.
  template <typename T, typename Key, typename Same>
  std::vector<std::pair<T*, const T*>> Followers(std::vector<T>& current,
                                                 const std::vector<T>& desired,
                                                 const std::function<bool(const T&)>& touched,
                                                 Key key, Same same) {
    std::set<decltype(key(current.front()))> current_keys;
    std::set<decltype(key(current.front()))> desired_keys;
    for (const T& object : current) current_keys.insert(key(object));
    for (const T& object : desired) desired_keys.insert(key(object));
    std::vector<T*> gone;
    std::vector<const T*> added;
    for (T& object : current) {
      if (touched(object) && !desired_keys.count(key(object))) gone.push_back(&object);
    }
    for (const T& object : desired) {
      if (touched(object) && !current_keys.count(key(object))) added.push_back(&object);
    }
    return UniquePairs(gone, added, same);
  }

  void FollowIndexes() {
    if (db().indexes.empty()) return;
    auto pairs = Followers<Index>(
        db().indexes, to_.indexes,
        [&](const Index& index) { return touched_.count(index.table) > 0; },
        [](const Index& index) { return index.name; },
        [](const Index& a, const Index& b) {
          return a.table == b.table && a.unique == b.unique && a.valid == b.valid &&
                 WithoutIndexName(a) == WithoutIndexName(b);
        });
    for (auto& [index, desired] : pairs) {
      if (RelationNameTaken(db(), desired->name)) continue;
      result_.changes.push_back(
          Rename{Rename::Kind::kIndex, index->name, "", desired->name.name, false});
      RenameTableIndex(index->table, index->name.name, desired->name.name);
      RenameDependency(ObjectId::ForIndex(index->name), ObjectId::ForIndex(desired->name));
      index->name = desired->name;
      index->definition = desired->definition;
    }
  }

  void FollowConstraints() {
    if (db().constraints.empty()) return;
    auto pairs = Followers<Constraint>(
        db().constraints, to_.constraints,
        [&](const Constraint& c) { return touched_.count(c.table) > 0; },
        [](const Constraint& c) { return std::make_pair(c.table, c.name); },
        [](const Constraint& a, const Constraint& b) {
          return a.table == b.table && a.type == b.type && a.definition == b.definition;
        });
    for (auto& [constraint, desired] : pairs) {
      bool has_index = schema::HasIndex(constraint->type);
      if (has_index && RelationNameTaken(db(), {desired->table.schema, desired->name})) continue;
      result_.changes.push_back(Rename{Rename::Kind::kConstraint, constraint->table,
                                       constraint->name, desired->name, false});
      if (has_index) {
        RenameTableIndex(constraint->table, constraint->name, desired->name);
      }
      RenameDependency(ObjectId::ForConstraint(constraint->table, constraint->name),
                       ObjectId::ForConstraint(constraint->table, desired->name));
      constraint->name = desired->name;
    }
  }

  // A serial column's sequence is named after its table and column.
  void FollowSequences() {
    if (db().sequences.empty()) return;
    auto pairs = Followers<Sequence>(
        db().sequences, to_.sequences,
        [&](const Sequence& s) { return s.owned_by_table && touched_.count(*s.owned_by_table); },
        [](const Sequence& s) { return s.name; },
        [](const Sequence& a, const Sequence& b) {
          return a.name.schema == b.name.schema && a.owned_by_table == b.owned_by_table &&
                 a.owned_by_column == b.owned_by_column && a.options == b.options;
        });
    for (auto& [sequence, desired] : pairs) {
      if (RelationNameTaken(db(), desired->name)) continue;
      result_.changes.push_back(
          Rename{Rename::Kind::kSequence, sequence->name, "", desired->name.name, false});
      std::string old_default = "'" + RelationReference(sequence->name) + "'::regclass)";
      std::string new_default = "'" + RelationReference(desired->name) + "'::regclass)";
      for (Table& table : db().tables) {
        for (Column& column : table.columns) {
          if (column.default_expr) ReplaceFirst(*column.default_expr, old_default, new_default);
        }
      }
      RenameDependency(ObjectId::ForSequence(sequence->name), ObjectId::ForSequence(desired->name));
      sequence->name = desired->name;
    }
  }

  // What names a table's index: its replica identity, and CLUSTER's index (unmodelled).
  void RenameTableIndex(const QualifiedName& table_name, const std::string& old_name,
                        const std::string& new_name) {
    for (Table& table : db().tables) {
      if (table.name == table_name && table.replica_identity_index == old_name) {
        table.replica_identity_index = new_name;
      }
    }
    for (schema::UnmodelledObject& object : db().unmodelled) {
      if (object.kind == "clustered index" && object.identity == table_name.Sql() &&
          object.definition == old_name) {
        object.definition = new_name;
      }
    }
  }

  const Database& from_;
  const Database& to_;
  Renamed result_;
  std::map<QualifiedName, QualifiedName> renamed_tables_;  // old name -> new name
  std::set<QualifiedName> renamed_from_;
  std::set<QualifiedName> renamed_to_;
  std::set<std::pair<QualifiedName, std::string>> renamed_columns_;
  // Tables renamed, with a renamed column, or with a foreign key to one of those: where names
  // derived from the renamed ones are looked for.
  std::set<QualifiedName> touched_;
};

}  // namespace

Renamed ApplyRenames(const Database& from, const Database& to,
                     const std::vector<RenameSpec>& renames) {
  if (renames.empty()) return Renamed{from, {}, {}};
  return Renamer(from, to).Run(renames);
}

std::vector<RenameSpec> LikelyRenames(const Database& from, const Database& to) {
  std::vector<RenameSpec> likely;
  std::map<QualifiedName, const Table*> to_tables;
  for (const Table& table : to.tables) to_tables.emplace(table.name, &table);
  std::vector<const Table*> dropped_tables;
  std::set<QualifiedName> from_names;
  for (const Table& table : from.tables) {
    from_names.insert(table.name);
    auto it = to_tables.find(table.name);
    if (it == to_tables.end()) {
      dropped_tables.push_back(&table);
      continue;
    }
    // A partition's columns are its parent's: a rename there is the parent's.
    if (table.partition_of) continue;
    const Table& desired = *it->second;
    std::vector<const Column*> dropped;
    std::vector<const Column*> added;
    for (const Column& column : table.columns) {
      // An inherited column is renamed on its parent, which the parent's pair covers.
      bool inherited = std::any_of(
          table.inherits.begin(), table.inherits.end(), [&](const QualifiedName& parent) {
            const Table* found = FindTable(from, parent);
            return found != nullptr && FindColumn(*found, column.name) != nullptr;
          });
      if (!inherited && !FindColumn(desired, column.name)) dropped.push_back(&column);
    }
    for (const Column& column : desired.columns) {
      if (!FindColumn(table, column.name)) added.push_back(&column);
    }
    for (const auto& [old, next] : UniquePairs(dropped, added, SameShape)) {
      likely.push_back({table.name, old->name, next->name});
    }
  }
  std::vector<const Table*> added_tables;
  for (const Table& table : to.tables) {
    if (!from_names.count(table.name)) added_tables.push_back(&table);
  }
  auto same_table = [&](const Table& a, const Table& b) { return SameTableShape(from, a, to, b); };
  for (const auto& [old, next] : UniquePairs(dropped_tables, added_tables, same_table)) {
    likely.push_back({old->name, "", next->name.name});
  }
  // Tables first, as ApplyRenames runs them.
  std::stable_partition(likely.begin(), likely.end(),
                        [](const RenameSpec& rename) { return rename.column.empty(); });
  return likely;
}

}  // namespace retort::diff
