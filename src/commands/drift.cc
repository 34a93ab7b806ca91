// `retort drift`: what someone changed in the configured database by hand. The expected schema
// is the migrations up to the database's version rows, replayed on the dev server (or read from
// the template a previous replay left there); the drift is the SQL from that schema to the live
// one.
#include <future>
#include <sstream>

#include "base/strings.h"
#include "commands/commands.h"
#include "commands/render_threads.h"
#include "commands/schema_sources.h"
#include "render/render.h"

namespace retort::commands {

Result<revision::Path> PlanToRows(const ProjectHeaders& project,
                                  const std::vector<std::string>& rows) {
  revision::Path plan;
  for (const std::string& row : rows) {
    RETORT_ASSIGN_OR_RETURN(revision::Path part, project.graph.PlanUpgrade(plan.final_rows, row));
    for (revision::Move& step : part.steps) plan.steps.push_back(std::move(step));
    if (!part.steps.empty()) plan.final_rows = part.final_rows;
  }
  return plan;
}

Status CheckReplayableRows(const ProjectHeaders& project, const std::vector<std::string>& rows,
                           const std::string& database) {
  if (rows.empty()) {
    return Status::InvalidInput(database +
                                " has no version rows: there is no recorded revision to compare "
                                "it with (`retort upgrade`, or `retort stamp REV` for a database "
                                "made otherwise)");
  }
  std::vector<std::string> unknown;
  for (const std::string& row : rows) {
    if (project.graph.Find(row) == nullptr) unknown.push_back(row);
  }
  if (!unknown.empty()) {
    return Status::InvalidInput(database + " is at " + Join(unknown, ", ") + ", unknown to " +
                                project.config.VersionsDirectory() +
                                ": its expected schema cannot be replayed (a migration of another "
                                "branch, or a file deleted?)");
  }
  return Status::Ok();
}

Result<DriftReport> Drift(const config::Config& config, const Io& io) {
  RETORT_ASSIGN_OR_RETURN(std::unique_ptr<Project> project, LoadProject(config));
  std::string conninfo;
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
  std::string database = connection.Describe();
  RETORT_ASSIGN_OR_RETURN(std::vector<std::string> rows, project->Store().ReadRows(connection));
  RETORT_RETURN_IF_ERROR(CheckReplayableRows(*project, rows, database));
  RETORT_ASSIGN_OR_RETURN(auto changed, FindChangedMigrations(*project, connection, rows));
  if (!changed.empty()) {
    io.log << "warning: applied migrations changed since they ran; the expected schema is "
              "replayed from the files as they are now:\n"
           << DescribeChangedMigrations(changed) << "\n";
  }
  RETORT_ASSIGN_OR_RETURN(revision::Path plan, PlanToRows(*project, rows));
  RETORT_ASSIGN_OR_RETURN(std::string dev_conninfo, DevServer(config));

  // Replay (or the template read) and the live read at once.
  std::ostringstream replay_log;
  std::ostringstream replay_out;
  auto expected = std::async(std::launch::async, [&] {
    Io replay_io{replay_out, replay_log};
    return ReplayedState(*project, plan, dev_conninfo, replay_io, /*make_spare=*/false);
  });
  Result<schema::Database> live = InspectConnection(config, connection);
  Result<schema::Database> replayed = expected.get();
  io.log << replay_log.str();
  if (!replayed.ok()) return replayed.status();
  if (!live.ok()) return live.status();

  // What turns the schema the migrations produce into the one the database holds: the changes
  // made out of band.
  DriftReport report{
      .database = database, .revisions = rows, .sql = RenderOnThreads(*replayed, *live)};
  if (report.sql.empty()) return report;
  // autogenerate compares schema/ with the migrations, never the live database: on its own it
  // does not see these changes.
  std::string write_migration =
      NoDesiredSchemaReason(config).empty()
          ? "add them to " + SchemaPathsText(config) + " and run `retort revision --autogenerate`"
          : "write them as a migration with `retort revision -m MESSAGE` (the SQL above as its "
            "upgrade, `revert_sql` of `retort drift --format json` as its downgrade)";
  report.verdict = Status::Differences(
      database + " has drifted from " + DescribeRows(rows) + ". To keep the changes, " +
      write_migration +
      ", then `retort stamp REV` this database with the new revision (it has them already). To "
      "drop them, run `revert_sql` of `retort drift --format json` on it");
  return report;
}

}  // namespace retort::commands
