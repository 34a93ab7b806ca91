#include "schema/model_json.h"

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace retort::schema {

namespace {

using nlohmann::json;

json Name(const QualifiedName& name) { return json{{"schema", name.schema}, {"name", name.name}}; }

void PutOptional(json& object, const char* key, const std::optional<std::string>& value) {
  if (value) object[key] = *value;
}

template <typename T, typename Convert>
void PutList(json& object, const char* key, const std::vector<T>& items, Convert convert) {
  if (items.empty()) return;
  json list = json::array();
  for (const T& item : items) list.push_back(convert(item));
  object[key] = std::move(list);
}

void PutStrings(json& object, const char* key, const std::vector<std::string>& items) {
  PutList(object, key, items, [](const std::string& item) { return item; });
}

std::string ConstraintTypeWord(ConstraintType type) {
  switch (type) {
    case ConstraintType::kPrimaryKey:
      return "primary_key";
    case ConstraintType::kUnique:
      return "unique";
    case ConstraintType::kCheck:
      return "check";
    case ConstraintType::kForeignKey:
      return "foreign_key";
    case ConstraintType::kExclusion:
      return "exclusion";
  }
  return "";
}

std::string FunctionKind(char kind) {
  switch (kind) {
    case 'f':
      return "function";
    case 'p':
      return "procedure";
    case 'a':
      return "aggregate";
    case 'w':
      return "window";
    default:
      return std::string(1, kind);
  }
}

std::string TriggerEnabled(char enabled) {
  switch (enabled) {
    case 'O':
      return "origin";
    case 'D':
      return "disabled";
    case 'R':
      return "replica";
    case 'A':
      return "always";
    default:
      return std::string(1, enabled);
  }
}

std::string ObjectKind(ObjectId::Kind kind) {
  switch (kind) {
    case ObjectId::Kind::kTable:
      return "table";
    case ObjectId::Kind::kColumn:
      return "column";
    case ObjectId::Kind::kView:
      return "view";
    case ObjectId::Kind::kFunction:
      return "function";
    case ObjectId::Kind::kType:
      return "type";
    case ObjectId::Kind::kSequence:
      return "sequence";
    case ObjectId::Kind::kIndex:
      return "index";
    case ObjectId::Kind::kConstraint:
      return "constraint";
    case ObjectId::Kind::kTrigger:
      return "trigger";
    case ObjectId::Kind::kPolicy:
      return "policy";
    case ObjectId::Kind::kRule:
      return "rule";
    case ObjectId::Kind::kCollation:
      return "collation";
    case ObjectId::Kind::kOperator:
      return "operator";
    case ObjectId::Kind::kOperatorClass:
      return "operator class";
    case ObjectId::Kind::kOperatorFamily:
      return "operator family";
    case ObjectId::Kind::kSchema:
      return "schema";
    case ObjectId::Kind::kExtension:
      return "extension";
  }
  return "unknown";
}

json SequenceOptionsJson(const SequenceOptions& options) {
  return json{{"data_type", options.data_type}, {"start", options.start},
              {"increment", options.increment}, {"min_value", options.min_value},
              {"max_value", options.max_value}, {"cache", options.cache},
              {"cycle", options.cycle}};
}

json GrantJson(const Grant& grant) {
  return json{
      {"grantee", grant.grantee}, {"privilege", grant.privilege}, {"grantable", grant.grantable}};
}

// The code itself where PostgreSQL has no word for it.
std::string CodeName(std::string_view word, char code) {
  return word.empty() ? std::string(1, code) : std::string(word);
}

std::string ReplicaIdentity(const Table& table) {
  switch (table.replica_identity) {
    case 'd':
      return "default";
    case 'f':
      return "full";
    case 'n':
      return "nothing";
    case 'i':
      return "index";
    default:
      return std::string(1, table.replica_identity);
  }
}

json ColumnJson(const Column& column) {
  json out{{"name", column.name}, {"type", column.type}, {"not_null", column.not_null}};
  PutOptional(out, "collation", column.collation());
  PutOptional(out, "default", column.default_expr);
  if (column.identity != '\0') {
    out["identity"] = column.identity == 'a' ? "always" : "by_default";
  }
  if (column.identity_options())
    out["identity_options"] = SequenceOptionsJson(*column.identity_options());
  PutOptional(out, "generated", column.generated_expr());
  PutOptional(out, "comment", column.comment());
  if (column.inherited_only) out["inherited_only"] = true;
  PutList(out, "grants", column.grants(), GrantJson);
  // The type's own storage (Column::type_storage) is left out: it follows from the type.
  if (column.storage != '\0') {
    out["storage"] = CodeName(StorageKeyword(column.storage), column.storage);
  }
  if (column.compression != '\0') {
    out["compression"] = CodeName(CompressionMethod(column.compression), column.compression);
  }
  return out;
}

json TableJson(const Table& table) {
  json out = Name(table.name);
  out["partitioned"] = table.partitioned;
  out["unlogged"] = table.unlogged;
  PutList(out, "columns", table.columns, ColumnJson);
  PutOptional(out, "partition_key", table.partition_key);
  if (table.partition_of) out["partition_of"] = Name(*table.partition_of);
  PutOptional(out, "partition_bound", table.partition_bound);
  PutList(out, "inherits", table.inherits, Name);
  PutStrings(out, "options", table.options);
  out["row_security"] = table.row_security;
  out["force_row_security"] = table.force_row_security;
  out["replica_identity"] = ReplicaIdentity(table);
  if (table.replica_identity == 'i') out["replica_identity_index"] = table.replica_identity_index;
  PutList(out, "grants", table.grants, GrantJson);
  PutOptional(out, "comment", table.comment);
  return out;
}

template <typename Sink>
void VisitTopLevel(const Database& database, Sink& sink) {
  sink.Scalar("server_version", database.server_version);
  sink.List("schemas", database.schemas, [](const Schema& item) {
    json j{{"name", item.name}};
    PutOptional(j, "comment", item.comment);
    PutList(j, "grants", item.grants, GrantJson);
    return j;
  });
  sink.List("extensions", database.extensions, [](const Extension& item) {
    return json{{"name", item.name}, {"schema", item.schema}, {"version", item.version}};
  });
  sink.List("enums", database.enums, [](const EnumType& item) {
    json j = Name(item.name);
    j["labels"] = item.labels;
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("domains", database.domains, [](const Domain& item) {
    json j = Name(item.name);
    j["base_type"] = item.base_type;
    PutOptional(j, "collation", item.collation);
    PutOptional(j, "default", item.default_expr);
    j["not_null"] = item.not_null;
    PutList(j, "constraints", item.constraints, [](const DomainConstraint& constraint) {
      json c{{"name", constraint.name}, {"definition", constraint.definition}};
      PutOptional(c, "comment", constraint.comment);
      return c;
    });
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("composite_types", database.composite_types, [](const CompositeType& item) {
    json j = Name(item.name);
    PutList(j, "attributes", item.attributes, [](const CompositeAttribute& attribute) {
      json a{{"name", attribute.name}, {"type", attribute.type}};
      PutOptional(a, "collation", attribute.collation);
      PutOptional(a, "comment", attribute.comment);
      return a;
    });
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("sequences", database.sequences, [](const Sequence& item) {
    json j = Name(item.name);
    j["options"] = SequenceOptionsJson(item.options);
    if (item.owned_by_table) {
      j["owned_by"] = Name(*item.owned_by_table);
      j["owned_by"]["column"] = item.owned_by_column.value_or("");
    }
    PutOptional(j, "comment", item.comment);
    PutList(j, "grants", item.grants, GrantJson);
    return j;
  });
  sink.List("tables", database.tables, TableJson);
  sink.List("constraints", database.constraints, [](const Constraint& item) {
    json j{{"table", Name(item.table)},
           {"name", item.name},
           {"type", ConstraintTypeWord(item.type)},
           {"definition", item.definition}};
    if (item.referenced_table) j["referenced_table"] = Name(*item.referenced_table);
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("indexes", database.indexes, [](const Index& item) {
    json j = Name(item.name);
    j["table"] = Name(item.table);
    j["definition"] = item.definition;
    j["unique"] = item.unique;
    j["valid"] = item.valid;
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("views", database.views, [](const View& item) {
    json j = Name(item.name);
    j["materialized"] = item.materialized;
    j["definition"] = item.definition;
    PutStrings(j, "options", item.options);
    PutList(j, "column_comments", item.column_comments,
            [](const std::pair<std::string, std::string>& comment) {
              return json{{"column", comment.first}, {"comment", comment.second}};
            });
    PutList(j, "grants", item.grants, GrantJson);
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("functions", database.functions, [](const Function& item) {
    json j = Name(item.name);
    j["arguments"] = item.arguments;
    j["kind"] = FunctionKind(item.kind);
    j["definition"] = item.definition;
    j["result"] = item.result;
    PutOptional(j, "comment", item.comment);
    PutList(j, "grants", item.grants, GrantJson);
    return j;
  });
  sink.List("triggers", database.triggers, [](const Trigger& item) {
    json j{{"table", Name(item.table)},
           {"name", item.name},
           {"definition", item.definition},
           {"enabled", TriggerEnabled(item.enabled)}};
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("policies", database.policies, [](const Policy& item) {
    json j{{"table", Name(item.table)},
           {"name", item.name},
           {"permissive", item.permissive},
           {"command", item.command},
           {"roles", item.roles}};
    PutOptional(j, "using", item.using_expr);
    PutOptional(j, "check", item.check_expr);
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("rules", database.rules, [](const Rule& item) {
    json j{{"table", Name(item.table)},
           {"name", item.name},
           {"definition", item.definition},
           {"enabled", TriggerEnabled(item.enabled)}};
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("collations", database.collations, [](const Collation& item) {
    json j = Name(item.name);
    j["definition"] = item.definition;
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("operators", database.operators, [](const Operator& item) {
    json j = Name(item.name);
    j["left_type"] = item.left_type;
    j["right_type"] = item.right_type;
    j["definition"] = item.definition;
    PutOptional(j, "restrict", item.restrict_estimator);
    PutOptional(j, "join", item.join_estimator);
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("operator_families", database.operator_families, [](const OperatorFamily& item) {
    json j = Name(item.name);
    j["method"] = item.method;
    PutList(j, "members", item.members, [](const OperatorFamilyMember& member) {
      return json{{"definition", member.definition}, {"identity", member.identity}};
    });
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("operator_classes", database.operator_classes, [](const OperatorClass& item) {
    json j = Name(item.name);
    j["method"] = item.method;
    j["definition"] = item.definition;
    PutOptional(j, "comment", item.comment);
    return j;
  });
  sink.List("dependencies", database.dependencies, [](const Dependency& item) {
    return json{
        {"dependent", {{"kind", ObjectKind(item.dependent.kind)}, {"id", item.dependent.identity}}},
        {"referenced",
         {{"kind", ObjectKind(item.referenced.kind)}, {"id", item.referenced.identity}}}};
  });
  sink.List("unmodelled", database.unmodelled, [](const UnmodelledObject& item) {
    return json{{"kind", item.kind}, {"identity", item.identity}, {"definition", item.definition}};
  });
}

// ToJson's object, built whole.
class DocumentSink {
 public:
  void Scalar(const char* key, json value) { out_[key] = std::move(value); }
  template <typename T, typename Convert>
  void List(const char* key, const std::vector<T>& items, Convert convert) {
    PutList(out_, key, items, convert);
  }
  json Take() && { return std::move(out_); }

 private:
  json out_ = json::object();
};

// `text` with every line indented by `spaces`.
void WriteIndented(std::ostream& out, const std::string& text, int spaces) {
  const std::string indent(static_cast<size_t>(spaces), ' ');
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out << indent;
    out.write(text.data() + start, static_cast<std::streamsize>(end - start));
    if (end == text.size()) break;
    out << '\n';
    start = end + 1;
  }
}

// ToJson(...).dump(2), written entry by entry: only one list element is a json value at a
// time. Keys in json's order (sorted), empty lists left out, as ToJson does.
class StreamSink {
 public:
  void Scalar(const char* key, json value) {
    entries_[key] = [value = std::move(value)](std::ostream& out) { out << value.dump(2); };
  }
  template <typename T, typename Convert>
  void List(const char* key, const std::vector<T>& items, Convert convert) {
    if (items.empty()) return;
    entries_[key] = [&items, convert](std::ostream& out) {
      out << "[\n";
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out << ",\n";
        WriteIndented(out, convert(items[i]).dump(2), 4);
      }
      out << "\n  ]";
    };
  }
  void Write(std::ostream& out) const {
    out << "{\n";
    bool first = true;
    for (const auto& [key, write] : entries_) {
      if (!first) out << ",\n";
      first = false;
      out << "  " << json(key).dump() << ": ";
      write(out);
    }
    out << "\n}";
  }

 private:
  std::map<std::string, std::function<void(std::ostream&)>> entries_;
};

}  // namespace

json ToJson(const Database& database) {
  DocumentSink sink;
  VisitTopLevel(database, sink);
  return std::move(sink).Take();
}

void WriteJson(const Database& database, std::ostream& out) {
  StreamSink sink;
  VisitTopLevel(database, sink);
  sink.Write(out);
}

}  // namespace retort::schema
