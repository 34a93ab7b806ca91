// [naming_convention] applied to the desired schema: the constraints and indexes the schema's
// SQL leaves unnamed are renamed, in the scratch database it was applied to, to the names the
// convention gives them, before the catalog reads it. Explicit names are never touched.
#include <set>

#include "base/files.h"
#include "catalog/text_formats.h"
#include "commands/schema_sources.h"
#include "sqltext/classify.h"
#include "sqltext/split.h"

namespace retort::commands {

namespace {

using Kind = config::NamedKind;

// Names the schema's SQL gives explicitly: constraint names by table name, index names.
struct ExplicitNames {
  std::set<std::pair<std::string, std::string>> constraints;
  std::set<std::string> indexes;
};

Result<ExplicitNames> CollectExplicitNames(const std::vector<std::string>& texts,
                                           const std::vector<std::string>& names) {
  ExplicitNames found;
  for (size_t i = 0; i < texts.size(); ++i) {
    RETORT_ASSIGN_OR_RETURN(auto statements, sqltext::SplitStatements(texts[i], names[i], 1));
    for (const sqltext::Statement& statement : statements) {
      for (const auto& created : sqltext::ConstraintsCreated(statement.text)) {
        if (created.name.empty()) continue;
        using Created = sqltext::CreatedConstraint::Kind;
        // A primary key's, unique or exclusion constraint's index takes the constraint's name.
        if (created.kind != Created::kCheck && created.kind != Created::kForeignKey) {
          found.indexes.insert(created.name);
        }
        found.constraints.insert({created.table.name, created.name});
      }
    }
  }
  return found;
}

// A text[] cell as a list ({} and NULL elements as "").
std::vector<std::string> ArrayCells(const std::string& text) {
  std::vector<std::string> cells;
  if (auto parsed = catalog::ParseTextArray(text)) {
    for (auto& cell : *parsed) cells.push_back(cell.value_or(""));
  }
  return cells;
}

// Objects of extensions and of the system schemas are not the schema's to rename.
constexpr char kUserRelation[] =
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE "
    "'pg_temp%' AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
    "AND d.objid = t.oid AND d.deptype = 'e')";

}  // namespace

Result<int> ApplyNamingConvention(pg::Connection& connection,
                                  const config::NamingConvention& convention,
                                  const std::vector<std::string>& texts,
                                  const std::vector<std::string>& names) {
  if (convention.empty()) return 0;
  RETORT_ASSIGN_OR_RETURN(ExplicitNames explicit_names, CollectExplicitNames(texts, names));
  // Constraints of the tables themselves (partitions' inherited copies are named by the
  // server), then indexes that back no constraint.
  RETORT_ASSIGN_OR_RETURN(
      pg::PgResult constraints,
      connection.Query(
          "SELECT format('%I.%I', n.nspname, t.relname), t.relname, c.conname, c.contype, "
          "ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) JOIN "
          "pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY "
          "k.ord)::text, coalesce(r.relname, ''), ARRAY(SELECT a.attname FROM unnest(c.confkey) "
          "WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = c.confrelid AND "
          "a.attnum = k.attnum ORDER BY k.ord)::text, n.nspname "
          "FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON "
          "n.oid = t.relnamespace LEFT JOIN pg_class r ON r.oid = c.confrelid "
          "WHERE c.contype IN ('p', 'u', 'c', 'f') AND c.conparentid = 0 AND NOT "
          "t.relispartition AND " +
          std::string(kUserRelation) + " ORDER BY c.oid"));
  RETORT_ASSIGN_OR_RETURN(
      pg::PgResult indexes,
      connection.Query(
          "SELECT format('%I.%I', n.nspname, i.relname), t.relname, i.relname, "
          "ARRAY(SELECT coalesce(a.attname, '') FROM unnest(x.indkey::int2[]) WITH ORDINALITY "
          "k(attnum, ord) LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = "
          "k.attnum WHERE k.ord <= x.indnkeyatts ORDER BY k.ord)::text, n.nspname "
          "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = "
          "x.indrelid JOIN pg_namespace n ON n.oid = i.relnamespace WHERE NOT i.relispartition "
          "AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = x.indexrelid AND "
          "c.contype IN ('p', 'u', 'x')) AND " +
          std::string(kUserRelation) + " ORDER BY i.oid"));

  std::vector<std::string> renames;  // ALTER ... RENAME statements
  // Index names are unique per schema, constraint names per table: who took a name first.
  std::map<std::string, std::string> taken;
  for (int row = 0; row < indexes.rows(); ++row) {
    taken[indexes.Get(row, 4) + "." + indexes.Get(row, 2)] = indexes.Get(row, 0);
  }
  for (int row = 0; row < constraints.rows(); ++row) {
    char type = constraints.Get(row, 3).empty() ? ' ' : constraints.Get(row, 3)[0];
    if (type == 'p' || type == 'u') {
      taken[constraints.Get(row, 7) + "." + constraints.Get(row, 2)] =
          constraints.Get(row, 0) + " " + constraints.Get(row, 2);
    }
  }
  auto claim = [&](const std::string& key, const std::string& owner,
                   const std::string& name) -> Status {
    auto [found, inserted] = taken.emplace(key, owner);
    if (inserted || found->second == owner) return Status::Ok();
    return Status::InvalidInput("[naming_convention] names both " + found->second + " and " +
                                owner + " '" + name +
                                "'; give one of them a name of its own in the schema");
  };
  for (int row = 0; row < constraints.rows(); ++row) {
    std::string table = constraints.Get(row, 1);
    std::string name = constraints.Get(row, 2);
    if (explicit_names.constraints.count({table, name}) > 0) continue;
    char type = constraints.Get(row, 3)[0];
    Kind kind = type == 'p'   ? Kind::kPrimaryKey
                : type == 'u' ? Kind::kUnique
                : type == 'c' ? Kind::kCheck
                              : Kind::kForeignKey;
    config::NamingSubject subject{table, ArrayCells(constraints.Get(row, 4)),
                                  constraints.Get(row, 5), ArrayCells(constraints.Get(row, 6)), ""};
    std::optional<std::string> wanted = convention.Name(kind, subject);
    if (!wanted || *wanted == name) continue;
    std::string qualified = constraints.Get(row, 0);
    if (kind == Kind::kPrimaryKey || kind == Kind::kUnique) {
      RETORT_RETURN_IF_ERROR(
          claim(constraints.Get(row, 7) + "." + *wanted, qualified + " " + name, *wanted));
    } else {
      RETORT_RETURN_IF_ERROR(
          claim(qualified + " constraint " + *wanted, qualified + " " + name, *wanted));
    }
    renames.push_back("ALTER TABLE " + qualified + " RENAME CONSTRAINT " + pg::QuoteIdent(name) +
                      " TO " + pg::QuoteIdent(*wanted) + ";\n");
  }
  for (int row = 0; row < indexes.rows(); ++row) {
    std::string name = indexes.Get(row, 2);
    if (explicit_names.indexes.count(name) > 0) continue;
    config::NamingSubject subject{indexes.Get(row, 1), ArrayCells(indexes.Get(row, 3)), "", {}, ""};
    std::optional<std::string> wanted = convention.Name(Kind::kIndex, subject);
    if (!wanted || *wanted == name) continue;
    RETORT_RETURN_IF_ERROR(
        claim(indexes.Get(row, 4) + "." + *wanted, indexes.Get(row, 0), *wanted));
    renames.push_back("ALTER INDEX " + indexes.Get(row, 0) + " RENAME TO " +
                      pg::QuoteIdent(*wanted) + ";\n");
  }
  if (renames.empty()) return 0;
  std::string sql = "BEGIN;\n";
  for (const std::string& rename : renames) sql += rename;
  auto outcome = connection.Execute(sql + "COMMIT;\n");
  if (!outcome.ok()) {
    (void)connection.Execute("ROLLBACK");
    return Status::InvalidInput("[naming_convention] could not be applied to the schema: " +
                                outcome.error.ToString());
  }
  return static_cast<int>(renames.size());
}

}  // namespace retort::commands
