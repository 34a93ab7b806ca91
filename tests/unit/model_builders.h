// Builders for hand-made schema models, shared by the diff and render unit tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schema/model.h"

namespace retort::testing {

using schema::Column;
using schema::ConstraintType;
using schema::Database;
using schema::QualifiedName;
using schema::Table;

inline QualifiedName Q(const std::string& name) { return {"public", name}; }

inline schema::Constraint Con(const std::string& table, const std::string& name,
                              ConstraintType type, const std::string& definition,
                              std::optional<QualifiedName> referenced = std::nullopt) {
  schema::Constraint constraint;
  constraint.table = {"public", table};
  constraint.name = name;
  constraint.type = type;
  constraint.definition = definition;
  constraint.referenced_table = std::move(referenced);
  return constraint;
}

inline schema::Index Idx(const std::string& name, const std::string& table,
                         const std::string& definition) {
  schema::Index index;
  index.name = {"public", name};
  index.table = {"public", table};
  index.definition = definition;
  return index;
}

inline Column Col(const std::string& name, const std::string& type, bool not_null = false) {
  Column column;
  column.name = name;
  column.type = type;
  column.not_null = not_null;
  return column;
}

inline Table MakeTable(const std::string& name, std::vector<Column> columns) {
  Table table;
  table.name = Q(name);
  table.columns = std::move(columns);
  return table;
}

inline Database Base() {
  Database db;
  // As PostgreSQL 15 creates it: everyone may use the public schema.
  db.schemas = {{"public", "standard public schema", {{"PUBLIC", "USAGE", false}}}};
  db.tables = {MakeTable("t", {Col("id", "integer", true), Col("name", "text")})};
  return db;
}

}  // namespace retort::testing
