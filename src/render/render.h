// The engine's entry points for callers: two models in, migration SQL out (both directions).
// Internally: diff/ (typed changes) -> plan/ (dependency order, transactional or not,
// destructive marks) -> render/ (DDL text).
#pragma once

#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "diff/renames.h"
#include "plan/dependencies.h"
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

// The SQL that turns `from` into `to`, and back: RenderDirection for the upgrade, then for the
// downgrade (unless options.downgrade is false), joined.
// Threads: runs on the caller's alone and starts none (commands::RenderOnThreads runs the same
// pieces side by side).
MigrationSql RenderMigration(const schema::Database& from, const schema::Database& to,
                             const RenderOptions& options = {});

// RenderMigration in pieces, for a caller that runs them on threads of its own. Each only
// reads the models and options and starts no thread, so any of them may run beside the others.
enum class Direction { kUpgrade, kDowngrade };

// One direction of a migration, as MigrationSql holds it (the downgrade turns `to` back into
// `from`).
struct DirectionSql {
  std::string sql;
  bool needs_no_transaction = false;
  int destructive_changes = 0;
  std::vector<std::string> unsupported;
  std::vector<TypeConversion> conversions;
  std::vector<ExtensionUpdate> extension_updates;
  std::vector<std::string> notes;
  std::vector<MigrationSql::StatementHazard> hazards;
};

// The dependencies the plan of `direction` orders by (plan::BuildDependencies of that
// direction's models and renames): what RenderDirection's `dependencies` hands over.
std::optional<plan::Dependencies> BuildDependencies(const schema::Database& from,
                                                    const schema::Database& to,
                                                    const RenderOptions& options,
                                                    Direction direction, std::stop_token stop = {});
// `direction` planned (plan::Build, given `dependencies`) and rendered.
DirectionSql RenderDirection(const schema::Database& from, const schema::Database& to,
                             const RenderOptions& options, Direction direction,
                             const plan::DependencySource& dependencies = {});
// The migration of its two directions (a DirectionSql{} downgrade when there is none).
MigrationSql JoinDirections(DirectionSql upgrade, DirectionSql downgrade);

// The whole database as one deterministic create script (`retort inspect`): the upgrade from an
// empty database. Threads: the caller's alone; `dependencies` as RenderDirection's, built by
// CreateScriptDependencies.
std::string RenderCreateScript(const schema::Database& database,
                               const plan::DependencySource& dependencies = {});
std::optional<plan::Dependencies> CreateScriptDependencies(const schema::Database& database,
                                                           std::stop_token stop = {});

}  // namespace retort::render
