// Moving one database along the graph with the project loaded already: what `upgrade` and
// `downgrade` run once, and `retort fleet` once per target (commands/fleet.cc).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "commands/commands.h"
#include "commands/project.h"
#include "history/version_store.h"
#include "pg/connection.h"
#include "revision/graph.h"

namespace retort::commands {

enum class Direction { kUpgrade, kDowngrade };

// The migration files with their SQL parsed and the checksums of `plan`'s migrations filled,
// asked for only once a run has work (a no-op run reads headers alone). A fleet hands the same
// one to every target's thread: it must then be safe to call from several threads at once, and
// the Project it returns is only read.
using ParsedProject = std::function<Result<const Project*>(const revision::Path& plan)>;

// The database a run moves: its session, the conninfo it came from (the migration lock takes a
// session of its own, and a failed run reads where it stopped on a new one) and where its
// version table is.
struct MigrationTarget {
  pg::Connection& connection;
  std::string conninfo;
  history::VersionStore store;
};

struct MoveOutcome {
  std::vector<std::string> rows_before = {};  // as first read, before waiting for the lock
  std::vector<std::string> rows_after = {};
  std::vector<std::string> moved = {};  // the revisions applied (or reverted), in order
};

// Plans from the target's version rows towards options.target and runs the plan under the
// target's migration lock, as `retort upgrade`/`downgrade` does: changed applied migrations are
// refused, the plan is made again if another migrator moved the database while we waited, and a
// failure says where the database stopped. Notes go to io.log.
Result<MoveOutcome> MoveDatabase(const ProjectHeaders& headers, const ParsedProject& parsed,
                                 MigrationTarget& target, Direction direction,
                                 const MigrateOptions& options, const Io& io);

// The plan from `rows` towards `target` (InvalidInput when a row is not in the graph).
Result<revision::Path> PlanMove(const ProjectHeaders& headers, Direction direction,
                                const std::vector<std::string>& rows, const std::string& target);

// The checksums of `revisions` (recorded in the history when they run), computed in parallel.
Status FillChecksums(Project& project, const std::set<std::string>& revisions);

}  // namespace retort::commands
