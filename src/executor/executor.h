// Runs a revision::Plan on a Sink: each migration's statements, its transaction, its timeouts
// and its version-table bookkeeping.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "base/status.h"
#include "executor/sink.h"
#include "history/version_store.h"
#include "migrations/migration.h"
#include "revision/graph.h"

namespace retort::executor {

struct Options {
  // One transaction per migration (default), or one for the whole run. Non-transactional
  // migrations always run outside any transaction, statement by statement.
  bool transaction_per_migration = true;
  std::string lock_timeout = "5s";  // PostgreSQL duration text; "0" or "" leaves it unset
  std::string statement_timeout = "0";
  std::string tool_version;
};

struct StepEvent {
  const revision::Step& step;
  const migrations::Migration& migration;
  bool finished = false;  // false when starting
  double elapsed_ms = 0;
};
using ProgressCallback = std::function<void(const StepEvent&)>;

using MigrationIndex = std::map<std::string, const migrations::Migration*, std::less<>>;

class Executor {
 public:
  Executor(Sink& sink, const history::VersionStore& store, Options options,
           ProgressCallback progress = nullptr)
      : sink_(sink), store_(store), options_(std::move(options)), progress_(std::move(progress)) {}

  // Checks, before anything runs, that every step can run (its file is known; a downgrade step
  // has a downgrade section). InvalidInput otherwise.
  static Status Preflight(const revision::Plan& plan, const MigrationIndex& migrations);

  // Creates the version and history tables if missing (in their own transaction).
  Status EnsureTables();

  // Runs the plan. On failure the failed migration's transaction is rolled back, so the version
  // table stays at the last migration that completed; the status says where it stopped.
  Status Run(const revision::Plan& plan, const MigrationIndex& migrations);

  // Rewrites the version rows without running migrations (`stamp`).
  Status Stamp(const std::vector<std::string>& rows_before,
               const std::vector<std::string>& rows_after, bool purge);

 private:
  Status RunTransactional(const revision::Step& step, const migrations::Migration& migration,
                          bool own_transaction);
  Status RunOutsideTransaction(const revision::Step& step, const migrations::Migration& migration);
  Status RunStatements(const revision::Step& step, const migrations::Migration& migration);
  std::string BookkeepingSql(const revision::Step& step, const migrations::Migration& migration,
                             const std::string& started_at) const;
  std::string TimeoutSql(const char* scope) const;

  Sink& sink_;
  const history::VersionStore& store_;
  Options options_;
  ProgressCallback progress_;
};

}  // namespace retort::executor
