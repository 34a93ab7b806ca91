// The engine's entry points for callers: two models in, migration SQL out (both directions).
// Internally: diff/ (typed changes) -> plan/ (dependency order, transactional or not,
// destructive marks) -> render/ (DDL text).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "diff/renames.h"
#include "plan/hazards.h"
#include "schema/model.h"

namespace retort::render {

// A column's type change rendered with the plain `USING col::new_type`: whether PostgreSQL has
// that cast is for a server to say (commands/ asks one before the SQL is used).
struct TypeConversion {
  std::string column;  // schema::ObjectId::ForColumn identity: "public.events.at"
  std::string from_type;
  std::string to_type;
};

// ALTER EXTENSION ... UPDATE TO: whether the installed extension scripts offer a path
// (pg_extension_update_paths) is for a server to say too.
struct ExtensionUpdate {
  std::string name;
  std::string from_version;
  std::string to_version;
};

// Conversions the user writes where a cast does not do: column identity (as TypeConversion
// names it, or unquoted "schema.table.column") -> the USING expression, per direction.
struct RenderOptions {
  std::map<std::string, std::string> upgrade_using{};
  std::map<std::string, std::string> downgrade_using{};
  // Online plans for tables that exist already (plan::Options::online), in both directions.
  bool online = false;
  // Renames the author confirmed (`--rename`): the upgrade runs them first, the downgrade runs
  // them back. One that cannot apply is reported in upgrade_unsupported.
  std::vector<diff::RenameSpec> renames{};
  // Likely renames the author did not confirm (diff::LikelyRenames, in the upgrade's terms):
  // the DROP of each, in both directions, gets a comment naming the `--rename` that would
  // keep the data, and the upgrade's a note.
  std::vector<diff::RenameSpec> rename_hints{};
  // False when the caller uses the upgrade alone (diff without --downgrade, check): the
  // downgrade is then not planned, and MigrationSql's downgrade fields stay empty. Planning it
  // cost as much as the upgrade.
  bool downgrade = true;
};

struct MigrationSql {
  std::string upgrade;    // statements each ending in ";\n", separated by blank lines
  std::string downgrade;  // the reverse: turns `to` back into `from`
  // ALTER TYPE ... ADD VALUE whose value the same migration uses, CREATE INDEX CONCURRENTLY...:
  // the migration must be marked `-- retort:transaction none`.
  bool upgrade_needs_no_transaction = false;
  bool downgrade_needs_no_transaction = false;
  int destructive_changes = 0;  // statements marked destructive in the upgrade
  // Changes PostgreSQL would refuse as the SQL states them, with what to do instead
  // (diff::Unsupported): callers must not use that direction's SQL when there are any.
  std::vector<std::string> upgrade_unsupported;
  std::vector<std::string> downgrade_unsupported;
  // What only a server can check (see TypeConversion and ExtensionUpdate), per direction.
  std::vector<TypeConversion> upgrade_conversions;
  std::vector<TypeConversion> downgrade_conversions;
  std::vector<ExtensionUpdate> upgrade_extension_updates;
  std::vector<ExtensionUpdate> downgrade_extension_updates;
  // What the author should hear when the file is written (an online plan's rewrite that has no
  // online form), the downgrade's prefixed "downgrade: ".
  std::vector<std::string> notes;
  // The upgrade's hazards that no lint-ignore in it names (plan::ReportedHazards), each with the
  // first statement of its step: what lint would report for the upgrade, apart from its hygiene
  // rules.
  struct StatementHazard {
    std::string statement;  // as rendered, without the ';'
    plan::Hazard hazard;
  };
  std::vector<StatementHazard> upgrade_hazards;
  // "No differences" means the schemas are equal: a difference retort cannot plan (in an
  // object it does not model, say) is a difference.
  bool empty() const {
    return upgrade.empty() && downgrade.empty() && upgrade_unsupported.empty() &&
           downgrade_unsupported.empty();
  }
  // The first thing that differs, for one-line reports: an unsupported change, or the first
  // line of the upgrade.
  std::string FirstDifference() const;
};

// The SQL that turns `from` into `to`, and back.
MigrationSql RenderMigration(const schema::Database& from, const schema::Database& to,
                             const RenderOptions& options = {});

// The whole database as one deterministic create script (`retort inspect`): the upgrade from an
// empty database.
std::string RenderCreateScript(const schema::Database& database);

}  // namespace retort::render
