// Internal to the commands layer: where the engine commands (engine.cc) and the verification
// commands (soundness.cc, drift.cc) get schemas from. Every side is read from a real server: a
// database through the catalog, the schema/ files applied to a scratch database on the dev
// server, or the migrations replayed into one (kept on the dev server as a template database
// named after everything that went into it, and read instead of replayed while that holds).
#pragma once

#include <chrono>
#include <deque>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/inspect.h"
#include "commands/commands.h"
#include "config/config.h"
#include "config/naming.h"
#include "devdb/scratch.h"
#include "executor/executor.h"
#include "executor/sink.h"
#include "pg/connection.h"
#include "revision/graph.h"
#include "schema/model.h"

namespace retort::commands {

double MillisecondsSince(std::chrono::steady_clock::time_point start);
std::string FormatMs(double ms);  // "12 ms"

// What a read of one of the project's databases leaves out: retort's version, history and
// progress tables and the backup schema.
catalog::InspectOptions InspectOptionsFor(const config::Config& config);
// The schema of the database `connection` is in, without retort's own objects.
Result<schema::Database> InspectConnection(const config::Config& config,
                                           pg::Connection& connection);

// The conninfo of the dev server (config.dev_url; "embedded" starts the project's cluster).
Result<std::string> DevServer(const config::Config& config);

// A file retort ships (share/retort/NAME): $RETORT_SHARE_DIR, else <binary dir>/../share/retort,
// else the source tree's share/retort for a build that was not installed.
Result<std::string> SharedFile(const std::string& name);
// Whether [schema] program or sqlalchemy replaces the schema files as the desired state.
bool SchemaFromProgram(const config::Config& config);
// The DDL the program prints (non-zero exit, a timeout or no output: InvalidInput with its
// stderr). Its stderr is passed on to io.log when it succeeds.
Result<std::string> SchemaProgramOutput(const config::Config& config, const Io& io);

// Why the project declares no desired schema, or "" when it does: [schema] program or sqlalchemy,
// or at least one *.sql file in [schema] paths. Without one (paths = [], or paths that hold no
// .sql file or do not exist, as `init` leaves schema/) the migrations are the only source of
// truth: check and revision --autogenerate refuse, having nothing to compare the migrations
// with, and test skips that comparison. "[schema] paths is empty", "schema/ holds no .sql file".
std::string NoDesiredSchemaReason(const config::Config& config);
// How to give the project a desired schema, for the messages of those refusals.
std::string HowToDeclareSchema(const config::Config& config);

// The schema files in apply order: each configured path is a file or a directory whose *.sql
// files (not those of subdirectories) are taken in name order.
Result<std::vector<devdb::SqlFile>> SchemaFiles(const config::Config& config);
// The [schema] paths for messages: "schema/, extra.sql".
std::string SchemaPathsText(const config::Config& config);
// Renames what the schema's SQL (`texts`, named `names` in errors) leaves unnamed, in the
// database `connection` applied it to, to the names the convention gives; returns how many.
// Explicit names are kept. InvalidInput when the convention gives two objects one name.
Result<int> ApplyNamingConvention(pg::Connection& connection,
                                  const config::NamingConvention& convention,
                                  const std::vector<std::string>& texts,
                                  const std::vector<std::string>& names);
// The schema files applied to a scratch database on the dev server, read back.
Result<schema::Database> DesiredState(const config::Config& config, const std::string& dev_conninfo,
                                      const Io& io);

// Sends the statements of a migration that runs in a transaction together with the bookkeeping
// that ends it: one round trip per migration instead of one per statement. Statements outside a
// transaction block (CREATE INDEX CONCURRENTLY ...) still go one at a time. A failure names no
// statement; the caller then replays again with a LiveSink to find it.
class BatchingSink : public executor::Sink {
 public:
  explicit BatchingSink(pg::Connection& connection) : connection_(connection) {}

  Status Statement(const std::string& sql, const executor::Origin& /*origin*/) override {
    if (!connection_.InTransaction()) return Run(sql);
    pending_ += sql;
    pending_ += ";\n";
    return Status::Ok();
  }
  Status Control(const std::string& sql) override {
    std::string batch = std::move(pending_);
    pending_.clear();
    return Run(batch + sql);
  }
  void Note(const std::string&) override {}
  void Abort() override {
    pending_.clear();
    if (connection_.InTransaction()) (void)connection_.Execute("ROLLBACK");
  }
  bool IsLive() const override { return true; }
  Result<pg::PgResult> Query(const std::string& sql) override {
    RETORT_RETURN_IF_ERROR(Flush());
    return connection_.Query(sql);
  }

 private:
  Status Flush() {
    std::string batch = std::move(pending_);
    pending_.clear();
    return Run(batch);
  }
  Status Run(const std::string& sql) {
    if (sql.empty()) return Status::Ok();
    auto outcome = connection_.Execute(sql);
    if (outcome.ok()) return Status::Ok();
    return outcome.error.ToStatus();
  }

  pg::Connection& connection_;
  std::string pending_;
};

// The executor options for a scratch database: no lock or statement timeouts.
executor::Options ReplayOptions(const config::Config& config);
// Runs `plan` on `sink` (creating retort's tables first), taking each revision's statements
// from `migrations`.
Status Replay(const ProjectHeaders& project, const revision::Path& plan,
              const executor::MigrationIndex& migrations, executor::Sink& sink);
// The plan's migrations parsed: the project's where it parsed them, the others (a headers-only
// load's) parsed whole into `parsed`, which must outlive the index.
Result<executor::MigrationIndex> WithStatements(const ProjectHeaders& project,
                                                const revision::Path& plan,
                                                std::deque<migrations::Migration>* parsed);

// Everything that decides what a replay produces: a template made from the same inputs holds
// the same schema. `server`: devdb::ServerFingerprint of the dev server.
std::string ContentKey(const ProjectHeaders& project, const revision::Path& plan,
                       const executor::MigrationIndex& migrations, const std::string& server);
std::string ProjectKey(const config::Config& config);
std::string DescribeTarget(const revision::Path& plan);  // the plan's final rows, or "base"

// The schema at `target` (a graph target: "heads", a revision id), read from the project's
// template on the dev server when one was kept for exactly these migrations, else replayed into
// a scratch database that then becomes that template.
// With `make_spare`, a run that reads the template (and so has a server core to spare while the
// schema files are applied) prepares the empty database the next run's schema files go into.
Result<schema::Database> ReplayedState(const ProjectHeaders& project, const std::string& target,
                                       const std::string& dev_conninfo, const Io& io,
                                       bool make_spare = false);
// The same for a plan from base (to several rows, say).
Result<schema::Database> ReplayedState(const ProjectHeaders& project, const revision::Path& plan,
                                       const std::string& dev_conninfo, const Io& io,
                                       bool make_spare = false);

// The plan from base to exactly `rows` (several when a database holds several branches): what
// drift replays for a database at those rows.
Result<revision::Path> PlanToRows(const ProjectHeaders& project,
                                  const std::vector<std::string>& rows);
// InvalidInput, naming `database`, unless `rows` are version rows a drift check can replay:
// at least one, each a revision of the project.
Status CheckReplayableRows(const ProjectHeaders& project, const std::vector<std::string>& rows,
                           const std::string& database);

}  // namespace retort::commands
