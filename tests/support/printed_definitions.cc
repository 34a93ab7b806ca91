#include "support/printed_definitions.h"

#include <map>
#include <tuple>

#include "catalog/definitions.h"

namespace retort::testing {

std::vector<std::string> DefinitionsUnlikePostgres(PgHarness* pg, const std::string& db,
                                                   const schema::Database& database) {
  std::vector<std::string> problems;
  // The session's search_path decides which names the printers qualify; Inspect reads with
  // public alone.
  std::map<std::pair<std::string, std::string>, std::string> indexdefs;
  for (auto& row : pg->Query(db,
                             "SET search_path = public; "
                             "SELECT n.nspname, c.relname, pg_get_indexdef(c.oid) FROM pg_class c "
                             "JOIN pg_namespace n ON n.oid = c.relnamespace "
                             "WHERE c.relkind IN ('i', 'I')")) {
    indexdefs.emplace(std::make_pair(row[0], row[1]), row[2]);
  }
  for (const schema::Index& index : database.indexes) {
    auto found = indexdefs.find({index.name.schema, index.name.name});
    if (found == indexdefs.end()) {
      problems.push_back("index " + index.name.Sql() + " is not on the server");
    } else if (index.definition != found->second) {
      problems.push_back("index " + index.name.Sql() + ":\n  retort:     " + index.definition +
                         "\n  PostgreSQL: " + found->second);
    }
  }
  std::map<std::tuple<std::string, std::string, std::string>, std::string> constraintdefs;
  for (auto& row :
       pg->Query(db,
                 "SET search_path = public; "
                 "SELECT n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid), "
                 "CASE WHEN con.contype IN ('p', 'u') THEN substring(pg_get_indexdef(con.conindid) "
                 "FROM ' WITH \\(.*\\)$') END "
                 "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
                 "JOIN pg_namespace n ON n.oid = c.relnamespace")) {
    std::string with = row[4] == "<null>" ? "" : row[4];
    constraintdefs.emplace(std::make_tuple(row[0], row[1], row[2]),
                           catalog::WithIndexParameters(row[3], with));
  }
  for (const schema::Constraint& constraint : database.constraints) {
    std::string what = "constraint " + constraint.name + " on " + constraint.table.Sql();
    auto found =
        constraintdefs.find({constraint.table.schema, constraint.table.name, constraint.name});
    if (found == constraintdefs.end()) {
      problems.push_back(what + " is not on the server");
    } else if (constraint.definition != found->second) {
      problems.push_back(what + ":\n  retort:     " + constraint.definition +
                         "\n  PostgreSQL: " + found->second);
    }
  }
  return problems;
}

}  // namespace retort::testing
