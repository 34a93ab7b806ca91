// Runs a revision::Path on a Sink: each migration's statements, its transaction, its timeouts
// and its version-table bookkeeping; lock-timeout retries, backups before destruction, batched
// backfills, and the per-statement progress of migrations that run outside a transaction.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/status.h"
#include "executor/backfill.h"
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

  // On lock_not_available (lock_timeout expired) a migration's whole transaction (a statement
  // or batch, outside a transaction) is rolled back and tried again after a jittered
  // exponential backoff: base * 2^n, capped, then scaled by a random factor in [0.5, 1].
  // Live runs only; a script runs once.
  int lock_retries = 5;
  long lock_retry_base_ms = 200;
  long lock_retry_max_ms = 10000;

  // Copy what DROP TABLE / DROP COLUMN / TRUNCATE / DELETE without WHERE destroy into
  // `backup_schema` first (executor/backup.h).
  bool backup = false;
  std::string backup_schema = "retort_backup";

  // Record each statement of a non-transactional migration in the progress table and resume
  // a partially applied one where it stopped (live runs; needs Sink::Query). A statement that
  // can run in a transaction block runs in one with its progress row, so a kill cannot leave it
  // applied but unrecorded; one that cannot is recorded "running" before it is sent, and the
  // next run finds out whether it took effect.
  bool track_progress = false;
  // PL/pgSQL statements that fail unless the migration lock is still held
  // (pg::AdvisoryLock::GuardCheck), run in every transaction that moves the version table or a
  // statement's progress, in the DO block of the version check. Empty: no check (scripts,
  // scratch replays).
  std::string lock_guard_check;
  // Statements run in the transaction that records the plan's last migration, after its
  // bookkeeping: the applied digest (history::VersionStore::RecordDigestStatement). A run that
  // stops before the last migration never runs them.
  std::vector<std::string> closing_statements;
  // How long a resumed run waits for the session of an earlier run that is still executing
  // the statement it stopped at (a killed migrator's orphaned backend) before giving up.
  long interrupted_wait_ms = 60000;

  // Retries, resumes and backfill progress are written here; nullptr: silent.
  std::ostream* log = nullptr;
  bool log_is_terminal = false;  // a progress bar redrawn in place instead of periodic lines
  // Where a redrawn line goes (a backfill's bar on a terminal, a long statement's progress);
  // src/cli draws it. Null: neither is shown.
  LiveLine* live_line = nullptr;
  // A statement that runs long shows its elapsed time and PostgreSQL's progress on one line of
  // the log, redrawn in place and erased when it ends (StatementProgress; live runs). On when
  // the log is a terminal, or when the user forces it (RETORT_PROGRESS).
  bool statement_progress = false;
  StatementProgress::Display statement_progress_display;
  // Waits between retries and batches and while replicas catch up; tests replace it.
  std::function<void(long milliseconds)> sleep;
};

struct StepEvent {
  const revision::Move& step;
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

  // Checks, before anything runs, that every step can run: its file is known; a downgrade step
  // has a downgrade section; a migration that runs in a transaction has no statement that
  // cannot (CREATE INDEX CONCURRENTLY, VACUUM, ...) and no BEGIN/COMMIT of its own; and no
  // statement uses an enum label that an earlier ALTER TYPE ... ADD VALUE of the same
  // transaction adds (with `single_transaction`, one transaction spans consecutive
  // transactional migrations). InvalidInput naming file and line otherwise.
  static Status Preflight(const revision::Path& plan, const MigrationIndex& migrations,
                          bool single_transaction = false);

  // Creates the version and history tables if missing (in their own transaction).
  Status EnsureTables();

  // Runs the plan. On failure the failed migration's transaction is rolled back, so the version
  // table stays at the last migration that completed; the status says where it stopped. A
  // non-transactional migration that fails keeps the statements that ran, and (with
  // track_progress) is recorded as partially applied; the next run resumes it.
  Status Run(const revision::Path& plan, const MigrationIndex& migrations);

  // What VersionStore::ReadProgress found (read by the caller under the migration lock): the
  // steps of partially applied migrations. Run resumes them, and refuses a plan that leaves one
  // behind.
  void SetProgress(std::vector<history::ProgressRow> rows) { progress_rows_ = std::move(rows); }

  // Rewrites the version rows without running migrations (`stamp`); forgets partial
  // migrations.
  Status Stamp(const std::vector<std::string>& rows_before,
               const std::vector<std::string>& rows_after, bool purge);

 private:
  // Steps [begin, end) of the plan, all transactional, in one transaction; retried whole on a
  // lock timeout.
  Status RunTransactionGroup(const revision::Path& plan, size_t begin, size_t end,
                             const MigrationIndex& migrations);
  Status TryTransactionGroup(const revision::Path& plan, size_t begin, size_t end,
                             const MigrationIndex& migrations);
  // Steps [begin, end) of the plan, all transactional, each in a transaction of its own (one
  // pipeline on a live session: Sink::RunSegments); a lock timeout retries from the step that
  // timed out.
  Status RunEachInItsTransaction(const revision::Path& plan, size_t begin, size_t end,
                                 const MigrationIndex& migrations);
  // Step k's pieces: its guard (after BEGIN and the timeouts when it `opens` the transaction),
  // backups, statements and bookkeeping (then COMMIT when it `commits` it).
  std::vector<Piece> StepPieces(const revision::Path& plan, size_t k, bool opens, bool commits,
                                const MigrationIndex& migrations) const;
  // Tells the progress callback, if any, that step k of `plan` starts or finished.
  void Announce(const revision::Path& plan, size_t k, const MigrationIndex& migrations,
                bool finished, double elapsed_ms) const;
  // `last`: the plan's last step, whose bookkeeping transaction runs Options::closing_statements.
  Status RunOutsideTransaction(const revision::Move& step, const migrations::Migration& migration,
                               bool last);
  // One statement outside a transaction: its backups, a leftover invalid index, the statement
  // (batched or not), each retried on lock timeouts; with `tracking`, its progress row too.
  Status RunStatementOutside(const revision::Move& step, const migrations::Migration& migration,
                             size_t index, bool tracking);
  // The statement and its progress row in one transaction (with the guards and backups).
  Status RunStatementWithProgress(const revision::Move& step, const sqltext::Statement& statement,
                                  const Origin& origin, const history::ProgressRow& done,
                                  const std::string& backups);
  // A "running" row found on resume: waits for the session that sent the statement to end,
  // then says whether the statement took effect (an index CREATE INDEX CONCURRENTLY built is
  // there and valid; the indexes DROP INDEX CONCURRENTLY drops are gone). False: run it again.
  Result<bool> ResolveInterrupted(const revision::Move& step,
                                  const migrations::Migration& migration, size_t index,
                                  const history::ProgressRow& row);
  // The version-table guard, plus the migration-lock guard on a live run.
  std::string GuardSql(const std::vector<std::string>& rows) const;
  std::vector<std::string> GuardStatements(const std::vector<std::string>& rows) const;
  // Opens the transaction that runs or records statement `done` of a transaction-none step:
  // the guards, then a refusal (SQLSTATE history::kAppliedElsewhere) if another session
  // recorded it done meanwhile.
  std::string BeginStatementSql(const revision::Move& step, const history::ProgressRow& done) const;
  // `progress` names the statement for the progress table (and holds what an earlier run
  // recorded about it); `tracking` says whether to record there.
  Status RunBatched(const migrations::Batch& batch, const std::string& sql, const Origin& origin,
                    history::ProgressRow progress, bool tracking);
  // A batch statement with `key=`: retort walks the key column in ranges (see backfill.h).
  Status RunKeyed(const migrations::Batch& batch, const std::string& sql, const Origin& origin,
                  history::ProgressRow progress, bool tracking);
  // The offline form of RunKeyed: a DO block that walks the key and commits after each range.
  Status ScriptKeyed(const migrations::Batch& batch, const std::string& sql);
  // The key column as the catalog describes it; InvalidInput naming the directive's file:line
  // unless it is a unique, NOT NULL column with a unique index on it alone.
  Result<KeyColumn> ResolveKey(const migrations::Batch& batch, const Origin& origin);
  std::optional<long> EstimateTotal(const migrations::Batch& batch, const Origin& origin);
  // Counts a committed batch for the summary and the progress bar, and notes the WAL position
  // that replicas must reach before the max-lag wait lets the next batch go.
  void RecordBatch(const migrations::Batch& batch, long affected, double elapsed_seconds,
                   BackfillSnapshot& snapshot, ProgressDisplay& display);
  Status WaitForReplicas(double max_lag_seconds);
  // Runs `attempt` until it succeeds, fails with something other than a lock timeout, or the
  // retries are used up; when `*position` moved during an attempt, the count starts again.
  Status WithLockRetries(const std::function<Status()>& attempt, const size_t* position = nullptr);
  std::string BackupsFor(const revision::Move& step, const std::string& statement) const;
  std::string BookkeepingSql(const revision::Move& step, const migrations::Migration& migration,
                             const std::string& started_at) const;
  std::vector<std::string> BookkeepingStatements(const revision::Move& step,
                                                 const migrations::Migration& migration,
                                                 const std::string& started_at) const;
  std::string TimeoutSql(const char* scope) const;
  std::vector<std::string> TimeoutStatements(const char* scope) const;
  // Which statement to start at (0-based) for a step that may be partially applied; refuses
  // when a statement that already ran was edited since.
  Result<size_t> ResumePoint(const revision::Move& step, const migrations::Migration& migration);
  // Runs again the session settings (SET, RESET, SELECT set_config) among the statements before
  // `start`, which a resumed step skips.
  Status ReplaySessionSettings(const revision::Move& step, const migrations::Migration& migration,
                               size_t start);
  Status LoadProgress(const revision::Path& plan, const MigrationIndex& migrations);
  void Log(const std::string& line) const;
  void Sleep(long milliseconds) const;

  Sink& sink_;
  const history::VersionStore& store_;
  Options options_;
  ProgressCallback progress_;
  std::vector<history::ProgressRow> progress_rows_;
  // Where the last failure happened, for retry messages: "statement 2 (file.sql:12)".
  std::string failed_at_;
  LagTracker lag_;
  bool warned_replica_visibility_ = false;
};

}  // namespace retort::executor
