#include "sqltext/classify.h"

#include <pg_query.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/strings.h"

namespace retort::sqltext {
namespace {

using nlohmann::json;

// Every statement kind that is not kAny spells one of these words. Statements without any of
// them (nearly all CREATE TABLE / INDEX / VIEW ...) skip the parse, which matters when a schema
// has thousands of statements.
constexpr std::array<std::string_view, 18> kTellTaleWords = {
    "concurrently", "vacuum",   "database", "tablespace", "subscription", "system",
    "value",        "reindex",  "cluster",  "begin",      "start",        "commit",
    "end",          "rollback", "abort",    "savepoint",  "release",      "prepare"};

bool MayNeedParse(std::string_view statement) {
  std::string lower = ToLower(statement);
  for (std::string_view word : kTellTaleWords) {
    if (lower.find(word) != std::string::npos) return true;
  }
  return false;
}

bool True(const json& node, const char* key) {
  auto found = node.find(key);
  return found != node.end() && found->is_boolean() && found->get<bool>();
}

bool HasOption(const json& node, const char* list_key, std::string_view option) {
  auto list = node.find(list_key);
  if (list == node.end() || !list->is_array()) return false;
  for (const json& item : *list) {
    auto def = item.find("DefElem");
    if (def == item.end()) continue;
    auto name = def->find("defname");
    if (name != def->end() && name->is_string() && name->get<std::string>() == option) {
      return true;
    }
  }
  return false;
}

// CREATE / DROP / REINDEX ... CONCURRENTLY and ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY.
bool RunsConcurrently(const std::string& kind, const json& node) {
  if (kind == "IndexStmt" || kind == "DropStmt") return True(node, "concurrent");
  if (kind == "ReindexStmt") return HasOption(node, "params", "concurrently");
  if (kind != "AlterTableStmt") return false;
  auto commands = node.find("cmds");
  if (commands == node.end() || !commands->is_array()) return false;
  for (const json& item : *commands) {
    const json& command = item.value("AlterTableCmd", json::object());
    if (command.value("subtype", "") != "AT_DetachPartition") continue;
    const json& partition =
        command.value("def", json::object()).value("PartitionCmd", json::object());
    if (True(partition, "concurrent")) return true;
  }
  return false;
}

TransactionUse ClassifyNode(const std::string& kind, const json& node) {
  if (kind == "TransactionStmt") return TransactionUse::kControlsTransaction;
  if (kind == "AlterEnumStmt") {
    // RENAME VALUE has oldVal; only ADD VALUE makes a value that is unusable until commit.
    return node.contains("oldVal") ? TransactionUse::kAny : TransactionUse::kAddsEnumValue;
  }
  if (kind == "CreatedbStmt" || kind == "DropdbStmt" || kind == "AlterSystemStmt" ||
      kind == "CreateTableSpaceStmt" || kind == "DropTableSpaceStmt" ||
      kind == "CreateSubscriptionStmt" || kind == "AlterSubscriptionStmt" ||
      kind == "DropSubscriptionStmt") {
    return TransactionUse::kOutsideTransactionBlock;
  }
  if (kind == "IndexStmt" || kind == "DropStmt") {
    return RunsConcurrently(kind, node) ? TransactionUse::kOutsideTransactionBlock
                                        : TransactionUse::kAny;
  }
  if (kind == "VacuumStmt") {
    // ANALYZE (is_vacuumcmd false) runs in a transaction block; VACUUM does not.
    return True(node, "is_vacuumcmd") ? TransactionUse::kOutsideTransactionBlock
                                      : TransactionUse::kAny;
  }
  if (kind == "ClusterStmt") {
    return node.contains("relation") ? TransactionUse::kAny
                                     : TransactionUse::kOutsideTransactionBlock;
  }
  if (kind == "ReindexStmt") {
    std::string object = node.value("kind", "");
    bool whole_database = object == "REINDEX_OBJECT_DATABASE" ||
                          object == "REINDEX_OBJECT_SYSTEM" || object == "REINDEX_OBJECT_SCHEMA";
    return whole_database || RunsConcurrently(kind, node) ? TransactionUse::kOutsideTransactionBlock
                                                          : TransactionUse::kAny;
  }
  if (kind == "AlterDatabaseStmt") {
    return HasOption(node, "options", "tablespace") ? TransactionUse::kOutsideTransactionBlock
                                                    : TransactionUse::kAny;
  }
  if (kind == "AlterTableStmt" && RunsConcurrently(kind, node)) {
    return TransactionUse::kOutsideTransactionBlock;
  }
  return TransactionUse::kAny;
}

// How much a kind constrains where the text may run; the most restrictive one wins.
int Restriction(TransactionUse use) {
  switch (use) {
    case TransactionUse::kAny:
      return 0;
    case TransactionUse::kAddsEnumValue:
      return 1;
    case TransactionUse::kOutsideTransactionBlock:
      return 2;
    case TransactionUse::kControlsTransaction:
      return 3;
  }
  return 0;
}

}  // namespace

TransactionUse ClassifyTransactionUse(std::string_view statement) {
  if (!MayNeedParse(statement) || statement.find('\0') != std::string_view::npos) {
    return TransactionUse::kAny;
  }
  std::string input(statement);
  PgQueryParseResult parsed = pg_query_parse(input.c_str());
  TransactionUse use = TransactionUse::kAny;
  if (parsed.error == nullptr && parsed.parse_tree != nullptr) {
    json tree = json::parse(parsed.parse_tree, nullptr, /*allow_exceptions=*/false);
    if (!tree.is_discarded() && tree.contains("stmts") && tree["stmts"].is_array()) {
      for (const json& entry : tree["stmts"]) {
        auto stmt = entry.find("stmt");
        if (stmt == entry.end() || !stmt->is_object() || stmt->empty()) continue;
        TransactionUse this_use = ClassifyNode(stmt->begin().key(), stmt->begin().value());
        if (Restriction(this_use) > Restriction(use)) use = this_use;
      }
    }
  }
  pg_query_free_parse_result(parsed);
  return use;
}

bool CanRunInTransaction(std::string_view statement) {
  TransactionUse use = ClassifyTransactionUse(statement);
  return use != TransactionUse::kOutsideTransactionBlock &&
         use != TransactionUse::kControlsTransaction;
}

namespace {

// The statements of `text` as parse-tree nodes ({"KindStmt": {...}}); empty when it does not
// parse.
std::vector<json> ParseStatements(std::string_view text) {
  std::vector<json> statements;
  if (text.find('\0') != std::string_view::npos) return statements;
  std::string input(text);
  PgQueryParseResult parsed = pg_query_parse(input.c_str());
  if (parsed.error == nullptr && parsed.parse_tree != nullptr) {
    json tree = json::parse(parsed.parse_tree, nullptr, /*allow_exceptions=*/false);
    if (!tree.is_discarded() && tree.contains("stmts") && tree["stmts"].is_array()) {
      for (json& entry : tree["stmts"]) {
        auto stmt = entry.find("stmt");
        if (stmt != entry.end() && stmt->is_object() && !stmt->empty()) {
          statements.push_back(std::move(*stmt));
        }
      }
    }
  }
  pg_query_free_parse_result(parsed);
  return statements;
}

std::string StringField(const json& node, const char* key) {
  auto found = node.find(key);
  return found != node.end() && found->is_string() ? found->get<std::string>() : "";
}

RelationName FromRangeVar(const json& range_var) {
  return RelationName{StringField(range_var, "schemaname"), StringField(range_var, "relname")};
}

// A DropStmt object: {"List": {"items": [{"String": {"sval": "s"}}, {"String": ...}]}}.
std::optional<RelationName> FromNameList(const json& object) {
  const json& items = object.value("List", json::object()).value("items", json::array());
  std::vector<std::string> parts;
  for (const json& item : items) {
    parts.push_back(StringField(item.value("String", json::object()), "sval"));
  }
  if (parts.empty() || parts.size() > 3) return std::nullopt;
  RelationName name;
  name.name = parts.back();
  if (parts.size() >= 2) name.schema = parts[parts.size() - 2];
  return name;
}

}  // namespace

std::string RelationName::Qualified() const {
  return schema.empty() ? QuoteIdentifier(name)
                        : QuoteIdentifier(schema) + "." + QuoteIdentifier(name);
}

std::optional<std::string> AddedEnumValue(std::string_view statement) {
  if (ToLower(statement).find("value") == std::string::npos) return std::nullopt;
  for (const json& node : ParseStatements(statement)) {
    auto alter = node.find("AlterEnumStmt");
    if (alter == node.end() || alter->contains("oldVal")) continue;
    std::string label = StringField(*alter, "newVal");
    if (!label.empty()) return label;
  }
  return std::nullopt;
}

std::optional<ConcurrentIndex> ConcurrentlyBuiltIndex(std::string_view statement) {
  if (ToLower(statement).find("concurrently") == std::string::npos) return std::nullopt;
  for (const json& node : ParseStatements(statement)) {
    auto index = node.find("IndexStmt");
    if (index == node.end() || !True(*index, "concurrent")) continue;
    std::string name = StringField(*index, "idxname");
    if (name.empty()) return std::nullopt;
    return ConcurrentIndex{name, FromRangeVar(index->value("relation", json::object())),
                           True(*index, "if_not_exists")};
  }
  return std::nullopt;
}

std::vector<RelationName> ConcurrentlyDroppedIndexes(std::string_view statement) {
  std::vector<RelationName> dropped;
  if (ToLower(statement).find("concurrently") == std::string::npos) return dropped;
  for (const json& node : ParseStatements(statement)) {
    auto drop = node.find("DropStmt");
    if (drop == node.end() || !True(*drop, "concurrent") ||
        drop->value("removeType", "") != "OBJECT_INDEX") {
      continue;
    }
    for (const json& object : drop->value("objects", json::array())) {
      if (auto name = FromNameList(object)) dropped.push_back(*name);
    }
  }
  return dropped;
}

bool CopiesFromStdin(std::string_view statement) {
  std::string lower = ToLower(statement);
  if (lower.find("copy") == std::string::npos || lower.find("stdin") == std::string::npos) {
    return false;
  }
  for (const json& node : ParseStatements(statement)) {
    auto copy = node.find("CopyStmt");
    if (copy != node.end() && True(*copy, "is_from") && !copy->contains("filename")) return true;
  }
  return false;
}

bool WaitsForOlderTransactions(std::string_view statement) {
  if (ToLower(statement).find("concurrently") == std::string::npos) return false;
  for (const json& node : ParseStatements(statement)) {
    for (const auto& [kind, fields] : node.items()) {
      if (RunsConcurrently(kind, fields)) return true;
    }
  }
  return false;
}

namespace {

// `set_config(...)` or `pg_catalog.set_config(...)`.
bool IsSetConfigCall(const json& node) {
  auto call = node.find("FuncCall");
  if (call == node.end()) return false;
  const json& names = call->value("funcname", json::array());
  if (names.empty() || names.size() > 2) return false;
  if (names.size() == 2 &&
      StringField(names[0].value("String", json::object()), "sval") != "pg_catalog") {
    return false;
  }
  return StringField(names.back().value("String", json::object()), "sval") == "set_config";
}

}  // namespace

bool ChangesSessionSetting(std::string_view statement) {
  if (ToLower(statement).find("set") == std::string::npos) return false;
  std::vector<json> nodes = ParseStatements(statement);
  if (nodes.size() != 1) return false;
  if (auto set = nodes[0].find("VariableSetStmt"); set != nodes[0].end()) {
    if (True(*set, "is_local")) return false;
    // SET TRANSACTION ... / SET TRANSACTION SNAPSHOT: this transaction's only.
    return !StartsWith(StringField(*set, "name"), "TRANSACTION");
  }
  auto select = nodes[0].find("SelectStmt");
  if (select == nodes[0].end()) return false;
  // Nothing but the target list: no FROM, WHERE, set operation, ... that could do more.
  for (const auto& [key, value] : select->items()) {
    if (key != "targetList" && key != "limitOption" && key != "op") return false;
  }
  const json& targets = select->value("targetList", json::array());
  if (targets.empty()) return false;
  for (const json& target : targets) {
    if (!IsSetConfigCall(target.value("ResTarget", json::object()).value("val", json::object()))) {
      return false;
    }
  }
  return true;
}

std::vector<DestroyedData> FindDestroyedData(std::string_view statement) {
  std::vector<DestroyedData> found;
  std::string lower = ToLower(statement);
  if (lower.find("drop") == std::string::npos && lower.find("truncate") == std::string::npos &&
      lower.find("delete") == std::string::npos) {
    return found;
  }
  for (const json& node : ParseStatements(statement)) {
    const std::string kind = node.begin().key();
    const json& body = node.begin().value();
    if (kind == "DropStmt" && body.value("removeType", "") == "OBJECT_TABLE") {
      for (const json& object : body.value("objects", json::array())) {
        if (auto name = FromNameList(object)) {
          found.push_back(
              DestroyedData{Destruction::kDropTable, *name, "", false, True(body, "missing_ok")});
        }
      }
    } else if (kind == "AlterTableStmt" && body.value("objtype", "") == "OBJECT_TABLE") {
      RelationName table = FromRangeVar(body.value("relation", json::object()));
      bool table_if_exists = True(body, "missing_ok");
      for (const json& item : body.value("cmds", json::array())) {
        const json& command = item.value("AlterTableCmd", json::object());
        if (command.value("subtype", "") != "AT_DropColumn") continue;
        found.push_back(DestroyedData{Destruction::kDropColumn, table, StringField(command, "name"),
                                      false, table_if_exists || True(command, "missing_ok")});
      }
    } else if (kind == "TruncateStmt") {
      for (const json& relation : body.value("relations", json::array())) {
        const json& range_var = relation.value("RangeVar", json::object());
        found.push_back(DestroyedData{Destruction::kTruncate, FromRangeVar(range_var), "",
                                      !True(range_var, "inh"), false});
      }
    } else if (kind == "DeleteStmt" && !body.contains("whereClause")) {
      const json& range_var = body.value("relation", json::object());
      found.push_back(DestroyedData{Destruction::kDeleteAll, FromRangeVar(range_var), "",
                                    !True(range_var, "inh"), false});
    }
  }
  return found;
}

std::optional<RelationName> ModifiedTable(std::string_view statement) {
  for (const json& node : ParseStatements(statement)) {
    const std::string kind = node.begin().key();
    if (kind != "UpdateStmt" && kind != "DeleteStmt") continue;
    RelationName table = FromRangeVar(node.begin().value().value("relation", json::object()));
    if (!table.name.empty()) return table;
  }
  return std::nullopt;
}

namespace {

// The column names a CHECK expression refers to, in first-mention order.
void CollectColumnRefs(const json& node, std::vector<std::string>& columns) {
  if (node.is_object()) {
    auto reference = node.find("ColumnRef");
    if (reference != node.end()) {
      const json& fields = reference->value("fields", json::array());
      if (!fields.empty()) {
        std::string name = StringField(fields.back().value("String", json::object()), "sval");
        if (!name.empty() && std::find(columns.begin(), columns.end(), name) == columns.end()) {
          columns.push_back(name);
        }
      }
      return;
    }
    for (const auto& [key, value] : node.items()) CollectColumnRefs(value, columns);
  } else if (node.is_array()) {
    for (const json& item : node) CollectColumnRefs(item, columns);
  }
}

std::vector<std::string> Names(const json& list) {
  std::vector<std::string> names;
  for (const json& item : list)
    names.push_back(StringField(item.value("String", json::object()), "sval"));
  return names;
}

// One Constraint node; `column` is the column it is declared on ("" for a table constraint).
std::optional<CreatedConstraint> FromConstraint(const json& constraint, const RelationName& table,
                                                const std::string& column) {
  using Kind = CreatedConstraint::Kind;
  std::string type = constraint.value("contype", "");
  CreatedConstraint created;
  created.table = table;
  created.name = StringField(constraint, "conname");
  std::vector<std::string> own =
      column.empty() ? std::vector<std::string>{} : std::vector<std::string>{column};
  if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE") {
    created.kind = type == "CONSTR_PRIMARY" ? Kind::kPrimaryKey : Kind::kUnique;
    created.columns = constraint.contains("keys") ? Names(constraint["keys"]) : own;
  } else if (type == "CONSTR_CHECK") {
    created.kind = Kind::kCheck;
    CollectColumnRefs(constraint.value("raw_expr", json::object()), created.columns);
    if (created.columns.empty()) created.columns = own;
  } else if (type == "CONSTR_FOREIGN") {
    created.kind = Kind::kForeignKey;
    created.columns = constraint.contains("fk_attrs") ? Names(constraint["fk_attrs"]) : own;
    created.referred_table = FromRangeVar(constraint.value("pktable", json::object()));
    created.referred_columns = Names(constraint.value("pk_attrs", json::array()));
  } else if (type == "CONSTR_EXCLUSION") {
    created.kind = Kind::kExclusion;
  } else {
    return std::nullopt;  // NOT NULL, DEFAULT, GENERATED, ...
  }
  return created;
}

void FromColumnDef(const json& column, const RelationName& table,
                   std::vector<CreatedConstraint>& created) {
  std::string name = StringField(column, "colname");
  for (const json& item : column.value("constraints", json::array())) {
    auto constraint = item.find("Constraint");
    if (constraint == item.end()) continue;
    if (auto found = FromConstraint(*constraint, table, name)) created.push_back(*found);
  }
}

}  // namespace

std::vector<CreatedConstraint> ConstraintsCreated(std::string_view statement) {
  std::vector<CreatedConstraint> created;
  for (const json& node : ParseStatements(statement)) {
    if (auto create = node.find("CreateStmt"); create != node.end()) {
      RelationName table = FromRangeVar(create->value("relation", json::object()));
      for (const json& element : create->value("tableElts", json::array())) {
        if (auto column = element.find("ColumnDef"); column != element.end()) {
          FromColumnDef(*column, table, created);
        } else if (auto constraint = element.find("Constraint"); constraint != element.end()) {
          if (auto found = FromConstraint(*constraint, table, "")) created.push_back(*found);
        }
      }
    } else if (auto alter = node.find("AlterTableStmt"); alter != node.end()) {
      if (alter->value("objtype", "") != "OBJECT_TABLE") continue;
      RelationName table = FromRangeVar(alter->value("relation", json::object()));
      for (const json& item : alter->value("cmds", json::array())) {
        const json& command = item.value("AlterTableCmd", json::object());
        const json& def = command.value("def", json::object());
        std::string subtype = command.value("subtype", "");
        if (subtype == "AT_AddConstraint" && def.contains("Constraint")) {
          if (auto found = FromConstraint(def["Constraint"], table, "")) created.push_back(*found);
        } else if (subtype == "AT_AddColumn" && def.contains("ColumnDef")) {
          FromColumnDef(def["ColumnDef"], table, created);
        }
      }
    } else if (auto index = node.find("IndexStmt"); index != node.end()) {
      CreatedConstraint made;
      made.kind = CreatedConstraint::Kind::kIndex;
      made.table = FromRangeVar(index->value("relation", json::object()));
      made.name = StringField(*index, "idxname");
      for (const json& param : index->value("indexParams", json::array())) {
        made.columns.push_back(StringField(param.value("IndexElem", json::object()), "name"));
      }
      created.push_back(made);
    }
  }
  return created;
}

}  // namespace retort::sqltext
