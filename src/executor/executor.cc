#include "executor/executor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <optional>
#include <random>
#include <thread>

#include "base/files.h"
#include "base/strings.h"
#include "executor/backfill.h"
#include "executor/backup.h"
#include "sqltext/classify.h"

namespace retort::executor {

namespace {

using Clock = std::chrono::steady_clock;

constexpr char kLockNotAvailable[] = "55P03";

const std::vector<sqltext::Statement>& StatementsFor(const revision::Move& step,
                                                     const migrations::Migration& migration) {
  return step.direction == revision::Direction::kUp ? migration.upgrade : migration.downgrade;
}

const migrations::Batch* BatchFor(const revision::Move& step,
                                  const migrations::Migration& migration, size_t index) {
  const auto& batches = step.direction == revision::Direction::kUp ? migration.upgrade_batches
                                                                   : migration.downgrade_batches;
  auto found = batches.find(index);
  return found == batches.end() ? nullptr : &found->second;
}

const char* DirectionName(revision::Direction direction) {
  return direction == revision::Direction::kUp ? "up" : "down";
}

const char* VerbFor(revision::Direction direction) {
  return direction == revision::Direction::kUp ? "upgrade" : "downgrade";
}

// Wall-clock time as an ISO timestamp with microseconds, for history rows of migrations that
// do not run in a transaction of their own (where now() would be the wrong start).
// The note a script shows before a step's statements.
std::string RunningNote(const revision::Move& step, const migrations::Migration& migration) {
  return "Running " + std::string(VerbFor(step.direction)) + " " +
         history::DescribeRows(step.rows_before) + " -> " + history::DescribeRows(step.rows_after) +
         ": " + step.revision + " " + migration.message + "\n(" + BaseName(migration.path) + ")";
}

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d.%06ld+00", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long>(micros));
  return buffer;
}

bool IsSet(const std::string& duration) { return !duration.empty() && duration != "0"; }

std::string Where(const migrations::Migration& migration, const sqltext::Statement& statement) {
  return migration.path + ":" + std::to_string(statement.line);
}

// "statement 2 of 5 (versions/r1.sql:12)": statement `index` (0-based) of `count`, for messages.
std::string StatementLabel(const migrations::Migration& migration,
                           const sqltext::Statement& statement, size_t index, size_t count) {
  return "statement " + std::to_string(index + 1) + " of " + std::to_string(count) + " (" +
         Where(migration, statement) + ")";
}

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string FingerprintOf(const std::string& statement) {
  auto fingerprint = migrations::StatementFingerprint(statement);
  return fingerprint.ok() ? *fingerprint : Sha256Hex(statement);
}

}  // namespace

// ---- preflight

Status Executor::Preflight(const revision::Path& plan, const MigrationIndex& migrations,
                           bool single_transaction) {
  // Enum labels added earlier in the transaction that is open at this point of the run.
  struct AddedLabel {
    std::string label;
    std::string where;
  };
  std::vector<AddedLabel> added;
  for (const revision::Move& step : plan.steps) {
    auto found = migrations.find(step.revision);
    if (found == migrations.end()) {
      return Status::InvalidInput("revision " + step.revision + " has no migration file");
    }
    const migrations::Migration& migration = *found->second;
    if (step.direction == revision::Direction::kDown && !migration.has_downgrade) {
      return Status::InvalidInput(migration.path + ":" + std::to_string(migration.revision_line) +
                                  ": revision " + step.revision +
                                  " has no downgrade section, so it cannot be downgraded; "
                                  "nothing was run");
    }
    if (!migration.needs_manual_conversion.empty()) {
      return Status::InvalidInput(
          migration.path + ":" + std::to_string(migration.needs_manual_conversion_line) +
          ": revision " + step.revision + " needs manual conversion (" +
          migration.needs_manual_conversion +
          "): write its SQL in the file and remove the '-- retort:needs-manual-conversion' "
          "line; nothing was run");
    }
    if (!migration.transactional || !single_transaction) added.clear();
    if (!migration.transactional) continue;
    const auto& statements = StatementsFor(step, migration);
    for (size_t i = 0; i < statements.size(); ++i) {
      const sqltext::Statement& statement = statements[i];
      std::string which = "statement " + std::to_string(i + 1) + " of revision " + step.revision +
                          " `" + Excerpt(statement.text, 80) + "`";
      sqltext::TransactionUse use = sqltext::ClassifyTransactionUse(statement.text);
      if (use == sqltext::TransactionUse::kOutsideTransactionBlock) {
        return Status::InvalidInput(
            Where(migration, statement) + ": " + which +
            " cannot run inside a transaction block, and this migration runs in one. Mark the "
            "file `-- retort:transaction none` (its statements then run one by one, and retort "
            "records how far it got), or move the statement into a migration of its own marked "
            "so; nothing was run");
      }
      if (use == sqltext::TransactionUse::kControlsTransaction) {
        return Status::InvalidInput(
            Where(migration, statement) + ": " + which +
            " controls the transaction, but retort runs this migration in a transaction of its "
            "own (with the version bookkeeping). Remove it, or mark the file "
            "`-- retort:transaction none`; nothing was run");
      }
      if (use != sqltext::TransactionUse::kAddsEnumValue) {
        for (const AddedLabel& label : added) {
          if (statement.text.find(QuoteLiteral(label.label)) == std::string::npos) continue;
          return Status::InvalidInput(
              Where(migration, statement) + ": " + which + " uses the enum value " +
              QuoteLiteral(label.label) + ", which ALTER TYPE ... ADD VALUE at " + label.where +
              " adds in the same transaction. PostgreSQL cannot use a new enum value before the "
              "transaction that added it commits (\"unsafe use of new value\"): move the "
              "statements that use it into a later migration, or mark the file "
              "`-- retort:transaction none`; nothing was run");
        }
      }
      if (auto label = sqltext::AddedEnumValue(statement.text)) {
        added.push_back(AddedLabel{*label, Where(migration, statement)});
      }
    }
  }
  return Status::Ok();
}

// ---- small pieces

void Executor::Log(const std::string& line) const {
  if (options_.log != nullptr) *options_.log << line << "\n" << std::flush;
}

void Executor::Sleep(long milliseconds) const {
  if (milliseconds <= 0) return;
  if (options_.sleep) {
    options_.sleep(milliseconds);
  } else {
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
  }
}

std::string Executor::TimeoutSql(const char* scope) const {
  return JoinStatements(TimeoutStatements(scope));
}

std::vector<std::string> Executor::TimeoutStatements(const char* scope) const {
  std::vector<std::string> statements;
  if (IsSet(options_.lock_timeout)) {
    statements.push_back(std::string("SET ") + scope +
                         "lock_timeout = " + QuoteLiteral(options_.lock_timeout));
  }
  if (IsSet(options_.statement_timeout)) {
    statements.push_back(std::string("SET ") + scope +
                         "statement_timeout = " + QuoteLiteral(options_.statement_timeout));
  }
  return statements;
}

std::string Executor::GuardSql(const std::vector<std::string>& rows) const {
  return JoinStatements(GuardStatements(rows));
}

std::vector<std::string> Executor::GuardStatements(const std::vector<std::string>& rows) const {
  return store_.GuardStatements(rows, options_.lock_guard_check);
}

std::string Executor::BeginStatementSql(const revision::Move& step,
                                        const history::ProgressRow& done) const {
  return "BEGIN;\n" + GuardSql(step.rows_before) +
         store_.RefuseDoneSql(done.revision, done.direction, done.statement);
}

std::string Executor::BookkeepingSql(const revision::Move& step,
                                     const migrations::Migration& migration,
                                     const std::string& started_at) const {
  return JoinStatements(BookkeepingStatements(step, migration, started_at));
}

std::vector<std::string> Executor::BookkeepingStatements(const revision::Move& step,
                                                         const migrations::Migration& migration,
                                                         const std::string& started_at) const {
  std::vector<std::string> statements =
      store_.TransitionStatements(step.rows_before, step.rows_after);
  statements.push_back(store_.RecordStepStatement(history::StepRecord{
      step.revision, DirectionName(step.direction), migration.checksum, options_.tool_version,
      migration.source, started_at, migration.source_sha256}));
  return statements;
}

std::string Executor::BackupsFor(const revision::Move& step, const std::string& statement) const {
  if (!options_.backup) return "";
  std::string sql;
  for (const sqltext::DestroyedData& destroyed : sqltext::FindDestroyedData(statement)) {
    // Pruning old backups by hand is not something to back up.
    if (destroyed.table.schema == options_.backup_schema) continue;
    sql += BackupSql(destroyed, BackupOrigin{step.revision, DirectionName(step.direction)},
                     options_.backup_schema);
  }
  if (sql.empty()) return "";
  return EnsureBackupRegistrySql(options_.backup_schema) + sql;
}

Status Executor::WithLockRetries(const std::function<Status()>& attempt, const size_t* position) {
  int retries = sink_.IsLive() ? std::max(0, options_.lock_retries) : 0;
  static thread_local std::mt19937 random(std::random_device{}());
  for (int retry = 0;; ++retry) {
    size_t position_before = position ? *position : 0;
    Status status = attempt();
    if (status.ok() || status.sqlstate() != kLockNotAvailable) return status;
    sink_.Abort();
    // Steps that committed before the one that timed out leave the next its whole budget.
    if (position && *position != position_before) retry = 0;
    if (retry >= retries) {
      if (retries == 0) return status;
      return Status::Failed(status.message() + "\ngave up after " + std::to_string(retries) +
                            " retries: another session kept a lock that " + failed_at_ +
                            " conflicts with for longer than lock_timeout (" +
                            options_.lock_timeout +
                            ") each time; pg_locks and pg_stat_activity show who holds it");
    }
    double delay =
        static_cast<double>(std::max(0L, options_.lock_retry_base_ms)) * std::pow(2.0, retry);
    delay = std::min(delay, static_cast<double>(std::max(0L, options_.lock_retry_max_ms)));
    long jittered = std::lround(delay * std::uniform_real_distribution<double>(0.5, 1.0)(random));
    Log("lock timeout on " + failed_at_ + ", retry " + std::to_string(retry + 1) + "/" +
        std::to_string(retries) + " in " + std::to_string(jittered) + " ms");
    Sleep(jittered);
  }
}

Status Executor::EnsureTables() {
  return sink_.Control("BEGIN;\n" + store_.EnsureTablesSql() + "COMMIT;\n");
}

// ---- migrations in a transaction

void Executor::Announce(const revision::Path& plan, size_t k, const MigrationIndex& migrations,
                        bool finished, double elapsed_ms) const {
  if (!progress_) return;
  const revision::Move& step = plan.steps[k];
  progress_(StepEvent{step, *migrations.find(step.revision)->second, finished, elapsed_ms});
}

std::vector<Piece> Executor::StepPieces(const revision::Path& plan, size_t k, bool opens,
                                        bool commits, const MigrationIndex& migrations) const {
  const revision::Move& step = plan.steps[k];
  const migrations::Migration& migration = *migrations.find(step.revision)->second;
  // A step's pieces go to the sink together (one round trip on a live session: nothing here
  // needs a reply before the next piece).
  std::vector<Piece> pieces;
  auto add = [&](Piece::Kind kind, std::string sql, std::string what, Origin origin = {}) {
    pieces.push_back(Piece{kind, std::move(sql), std::move(origin), {}, std::move(what)});
  };
  // Retort's own statements, built apart: the pipeline takes them one by one.
  auto add_control = [&](std::vector<std::string> statements, std::string what) {
    add(Piece::Kind::kControl, JoinStatements(statements), std::move(what));
    pieces.back().statements = std::move(statements);
  };
  add(Piece::Kind::kNote, RunningNote(step, migration), "");
  std::vector<std::string> guard;
  if (opens) {
    guard = TimeoutStatements("LOCAL ");
    guard.insert(guard.begin(), "BEGIN");
  }
  // The guard also keeps a pipelined step from running when the one before it did not commit:
  // the version table is then not at this step's rows_before.
  std::vector<std::string> checks = GuardStatements(step.rows_before);
  guard.insert(guard.end(), checks.begin(), checks.end());
  add_control(std::move(guard), "the version table (" + store_.QualifiedVersionTable() + ")");
  const auto& statements = StatementsFor(step, migration);
  int count = static_cast<int>(statements.size());
  for (int i = 0; i < count; ++i) {
    const sqltext::Statement& statement = statements[static_cast<size_t>(i)];
    std::string which =
        StatementLabel(migration, statement, static_cast<size_t>(i), static_cast<size_t>(count));
    std::string backups = BackupsFor(step, statement.text);
    if (!backups.empty()) {
      add(Piece::Kind::kNote, "back up what " + which + " destroys", "");
      add(Piece::Kind::kControl, std::move(backups), "the backup before " + which);
    }
    add(Piece::Kind::kStatement, statement.text, which,
        Origin{migration.path, statement.line, step.revision, i + 1, count});
  }
  // In a transaction of its own, now() is exactly when this migration started; in a shared
  // one, the clock now is, since the steps before it have completed.
  bool own_transaction = opens && commits && options_.transaction_per_migration;
  std::vector<std::string> bookkeeping =
      BookkeepingStatements(step, migration, own_transaction ? "" : UtcNow());
  if (k + 1 == plan.steps.size()) {
    bookkeeping.insert(bookkeeping.end(), options_.closing_statements.begin(),
                       options_.closing_statements.end());
  }
  add_control(std::move(bookkeeping), "the version bookkeeping of " + step.revision);
  // Deferred constraints are checked here, so a failure names the migration.
  if (commits)
    add_control({"COMMIT"}, "the COMMIT of " + step.revision + " (" + migration.path + ")");
  return pieces;
}

Status Executor::TryTransactionGroup(const revision::Path& plan, size_t begin, size_t end,
                                     const MigrationIndex& migrations) {
  for (size_t k = begin; k < end; ++k) {
    std::vector<Piece> pieces = StepPieces(plan, k, k == begin, k + 1 == end, migrations);
    size_t failed = 0;
    Status status = sink_.RunAll(pieces, &failed);
    if (!status.ok()) {
      failed_at_ = pieces[failed].what;
      return status;
    }
  }
  return Status::Ok();
}

Status Executor::RunTransactionGroup(const revision::Path& plan, size_t begin, size_t end,
                                     const MigrationIndex& migrations) {
  for (size_t k = begin; k < end; ++k) Announce(plan, k, migrations, false, 0);
  auto started = Clock::now();
  Status status =
      WithLockRetries([&] { return TryTransactionGroup(plan, begin, end, migrations); });
  if (!status.ok()) {
    sink_.Abort();
    return status;
  }
  // Every step of the group committed together; the time is the group's.
  double elapsed = MillisecondsSince(started) / static_cast<double>(end - begin);
  for (size_t k = begin; k < end; ++k) Announce(plan, k, migrations, true, elapsed);
  return Status::Ok();
}

Status Executor::RunEachInItsTransaction(const revision::Path& plan, size_t begin, size_t end,
                                         const MigrationIndex& migrations) {
  size_t next = begin;  // the first step not committed yet
  Clock::time_point started;
  auto attempt = [&] {
    size_t first = next;
    Segments segments{
        end - first,
        [&, first](size_t i) { return StepPieces(plan, first + i, true, true, migrations); },
        [&, first](size_t i) {
          Announce(plan, first + i, migrations, false, 0);
          started = Clock::now();
        },
        [&, first](size_t i) {
          next = first + i + 1;
          Announce(plan, first + i, migrations, true, MillisecondsSince(started));
        }};
    SegmentFailure failure;
    Status status = sink_.RunSegments(segments, &failure);
    if (!status.ok()) failed_at_ = failure.what;
    return status;
  };
  Status status = WithLockRetries(attempt, &next);
  if (!status.ok()) sink_.Abort();
  return status;
}

// ---- migrations outside a transaction

Result<size_t> Executor::ResumePoint(const revision::Move& step,
                                     const migrations::Migration& migration) {
  const auto& statements = StatementsFor(step, migration);
  std::map<int, const history::ProgressRow*> rows;
  for (const history::ProgressRow& row : progress_rows_) {
    if (row.revision == step.revision && row.direction == DirectionName(step.direction)) {
      rows[row.statement] = &row;
    }
  }
  size_t done = 0;
  while (true) {
    auto row = rows.find(static_cast<int>(done + 1));
    if (row == rows.end() || row->second->status != "done") break;
    ++done;
  }
  for (size_t i = 0; i < done; ++i) {
    const history::ProgressRow& row = *rows.at(static_cast<int>(i + 1));
    if (i < statements.size() && FingerprintOf(statements[i].text) == row.fingerprint) continue;
    std::string where = i < statements.size()
                            ? Where(migration, statements[i])
                            : migration.path + ":" + std::to_string(migration.revision_line);
    return Status::InvalidInput(
        where + ": revision " + step.revision + " is partially applied: statements 1-" +
        std::to_string(done) + " of its " + VerbFor(step.direction) +
        " ran in an earlier run, but statement " + std::to_string(i + 1) +
        (i < statements.size() ? " is no longer the statement that ran"
                               : " is no longer in the file") +
        ". Statements that already ran must stay as they are (compared by fingerprint: "
        "formatting and comments may change); only the failed statement and those after it may "
        "be fixed. Restore statement " +
        std::to_string(i + 1) +
        ", or undo the partial run by hand and `retort stamp` the database to where it is; "
        "nothing was run");
  }
  // A statement sent outside a transaction with no end recorded: the run that sent it died or
  // lost its lock while it ran.
  auto interrupted = rows.find(static_cast<int>(done + 1));
  if (interrupted != rows.end() && interrupted->second->status == "running" &&
      done < statements.size()) {
    const history::ProgressRow& row = *interrupted->second;
    RETORT_ASSIGN_OR_RETURN(bool completed, ResolveInterrupted(step, migration, done, row));
    // An edited statement is run in its new form, whatever the old one left.
    if (completed && FingerprintOf(statements[done].text) == row.fingerprint) {
      history::ProgressRow recorded = row;
      recorded.status = "done";
      RETORT_RETURN_IF_ERROR(sink_.Control(store_.RecordProgressSql(recorded)));
      ++done;
    }
  }
  if (done > 0) {
    Log("resuming " + step.revision + " (" + VerbFor(step.direction) + ") at statement " +
        std::to_string(done + 1) + " of " + std::to_string(statements.size()) + ": statements 1-" +
        std::to_string(done) + " ran in an earlier run");
  }
  return done;
}

// The statements before the resume point ran in an earlier session: the settings they made
// (SET check_function_bodies = off, SET search_path, ...) are gone with it, and the statements
// after the resume point were written to run under them. Only those statements run again:
// everything else that ran stays applied.
Status Executor::ReplaySessionSettings(const revision::Move& step,
                                       const migrations::Migration& migration, size_t start) {
  const auto& statements = StatementsFor(step, migration);
  int count = static_cast<int>(statements.size());
  for (size_t i = 0; i < start && i < statements.size(); ++i) {
    const sqltext::Statement& statement = statements[i];
    if (!sqltext::ChangesSessionSetting(statement.text)) continue;
    std::string where = StatementLabel(migration, statement, i, statements.size());
    Log("replaying the session setting of " + where + " before resuming: " + statement.text);
    failed_at_ = "replaying the session setting of " + where;
    Origin origin{migration.path, statement.line, step.revision, static_cast<int>(i) + 1, count};
    RETORT_RETURN_IF_ERROR(sink_.Statement(statement.text, origin));
  }
  return Status::Ok();
}

Status Executor::LoadProgress(const revision::Path& plan, const MigrationIndex& migrations) {
  std::map<std::pair<std::string, std::string>, const history::ProgressRow*> partial;
  // Rows come ordered by statement: the last of each step says where it stopped.
  for (const history::ProgressRow& row : progress_rows_) {
    partial[std::make_pair(row.revision, row.direction)] = &row;
  }
  for (const auto& [key, row] : partial) {
    bool resumed = false;
    for (const revision::Move& step : plan.steps) {
      if (step.revision == key.first && DirectionName(step.direction) == key.second) resumed = true;
    }
    if (resumed) continue;
    auto found = migrations.find(key.first);
    std::string where = found == migrations.end() ? "revision " + key.first : found->second->path;
    const char* verb = key.second == "up" ? "upgrade" : "downgrade";
    int next = row->statement + (row->status == "done" ? 1 : 0);
    std::string stopped = next > row->statement_count
                              ? " ran all " + std::to_string(row->statement_count) +
                                    " statements but was not recorded as done"
                              : " stopped at statement " + std::to_string(next) + " of " +
                                    std::to_string(row->statement_count);
    return Status::InvalidInput(
        where + ": revision " + key.first + " is partially applied: its " + verb + stopped +
        (row->error.empty() ? "" : " (" + row->error + ")") +
        ", and this run does not continue it. `retort " + verb +
        "` through that revision resumes it once the file is fixed; to abandon it, undo what "
        "its statements did by hand and `retort stamp` the database (stamp forgets partial "
        "migrations); nothing was run");
  }
  return Status::Ok();
}

Status Executor::WaitForReplicas(double max_lag_seconds) {
  bool waiting = false;
  bool probed = false;
  auto wait_started = Clock::now();
  auto last_logged = wait_started;
  while (true) {
    RETORT_ASSIGN_OR_RETURN(
        pg::PgResult replicas,
        sink_.Query("SELECT coalesce(application_name, ''), coalesce(client_addr::text, 'local'), "
                    "coalesce(replay_lsn::text, ''), "
                    "coalesce(extract(epoch FROM replay_lag), 0)::float8, "
                    "coalesce(replay_lsn < pg_current_wal_lsn(), false) "
                    "FROM pg_stat_replication"));
    auto now = Clock::now();
    double worst = 0;
    std::string laggard;
    uint64_t replayed_everywhere = std::numeric_limits<uint64_t>::max();
    for (int i = 0; i < replicas.rows(); ++i) {
      std::optional<uint64_t> replay = ParseLsn(replicas.Get(i, 2));
      if (!replay) {
        if (!warned_replica_visibility_) {
          Log("warning: cannot read the replay position of replica '" + replicas.Get(i, 0) +
              "' (pg_stat_replication shows it to superusers and pg_read_all_stats only); "
              "max-lag does not wait for it");
          warned_replica_visibility_ = true;
        }
        continue;
      }
      double lag = lag_.LagSeconds(*replay, now);
      if (replicas.Get(i, 4) == "t") lag = std::max(lag, std::atof(replicas.Get(i, 3).c_str()));
      if (lag > worst) {
        worst = lag;
        laggard = "'" + replicas.Get(i, 0) + "' (" + replicas.Get(i, 1) + ")";
      }
      replayed_everywhere = std::min(replayed_everywhere, *replay);
    }
    if (replayed_everywhere != std::numeric_limits<uint64_t>::max()) {
      lag_.Forget(replayed_everywhere);
    }
    if (worst <= max_lag_seconds) {
      if (waiting) {
        Log("replicas caught up after " + FixedPoint(MillisecondsSince(wait_started) / 1000, 1) +
            " s; continuing");
      }
      return Status::Ok();
    }
    // A standby reports what it replayed when WAL reaches it (or every
    // wal_receiver_status_interval): a tiny write makes it report now, so an idle standby that
    // has caught up does not look behind.
    (void)sink_.Query("SELECT txid_current()");
    if (probed && (!waiting || now - last_logged >= std::chrono::seconds(10))) {
      Log("waiting for replica lag: " + laggard + " is " + FixedPoint(worst, 1) +
          " s behind (max-lag " + FixedPoint(max_lag_seconds, 1) + " s)");
      last_logged = now;
      waiting = true;
    }
    probed = true;
    Sleep(200);
  }
}

std::optional<long> Executor::EstimateTotal(const migrations::Batch& batch, const Origin& origin) {
  if (batch.estimate_sql.empty()) return std::nullopt;
  auto estimate = sink_.Query(batch.estimate_sql);
  if (estimate.ok() && estimate->rows() > 0 && estimate->columns() > 0 && !estimate->IsNull(0, 0)) {
    return std::atol(estimate->Get(0, 0).c_str());
  }
  Log("warning: " + origin.file + ":" + std::to_string(batch.line) +
      ": the estimate query gave no number, so there is no ETA" +
      (estimate.ok() ? "" : ": " + estimate.status().message()));
  return std::nullopt;
}

namespace {

std::string Label(const Origin& origin) {
  return origin.revision + " statement " + std::to_string(origin.statement_number) + "/" +
         std::to_string(origin.statement_count);
}

// ", longest batch 87.1 ms, p50 41.0 ms, p95 80.2 ms"
std::string BatchTimes(const std::vector<double>& batch_ms) {
  double longest = batch_ms.empty() ? 0 : *std::max_element(batch_ms.begin(), batch_ms.end());
  return ", longest batch " + FixedPoint(longest, 1) + " ms, p50 " +
         FixedPoint(Quantile(batch_ms, 0.5), 1) + " ms, p95 " +
         FixedPoint(Quantile(batch_ms, 0.95), 1) + " ms";
}

// "batches of 10,000" or, when the size adapted, "batches of 2,500-41,250"
std::string BatchSizes(long smallest, long largest) {
  return "batches of " + GroupDigits(smallest) +
         (largest != smallest ? "-" + GroupDigits(largest) : "");
}

}  // namespace

void Executor::RecordBatch(const migrations::Batch& batch, long affected, double elapsed_seconds,
                           BackfillSnapshot& snapshot, ProgressDisplay& display) {
  snapshot.rows += affected;
  snapshot.batches += 1;
  snapshot.elapsed_seconds = elapsed_seconds;
  if (batch.max_lag_seconds) {
    auto position = sink_.Query("SELECT pg_current_wal_lsn()::text");
    if (position.ok() && position->rows() == 1) {
      if (auto lsn = ParseLsn(position->Get(0, 0))) lag_.Record(*lsn, Clock::now());
    }
  }
  display.Update(snapshot);
}

Status Executor::RunBatched(const migrations::Batch& batch, const std::string& sql,
                            const Origin& origin, history::ProgressRow progress, bool tracking) {
  if (batch.keyed()) return RunKeyed(batch, sql, origin, std::move(progress), tracking);
  std::string label = Label(origin);
  if (!sink_.IsLive()) {
    // A script cannot loop on the client: a DO block that commits after each batch (allowed
    // because the DO itself does not run inside a transaction block).
    std::string bound = migrations::BindBatchSize(sql, batch.size);
    sink_.Note("batched: runs until it affects no rows, committing after each batch of " +
               std::to_string(batch.size) +
               (batch.max_lag_seconds ? "; max-lag is not enforced by a script" : ""));
    std::string pause;
    if (batch.sleep_ms > 0) {
      pause = "    PERFORM pg_sleep(" + std::to_string(batch.sleep_ms / 1000) + "." +
              std::to_string(1000 + batch.sleep_ms % 1000).substr(1) + ");\n";
    }
    return sink_.Control("DO $retort$\nDECLARE\n  affected bigint;\nBEGIN\n  LOOP\n    EXECUTE " +
                         QuoteLiteral(bound) +
                         ";\n    GET DIAGNOSTICS affected = ROW_COUNT;\n    COMMIT;\n"
                         "    EXIT WHEN affected = 0;\n" +
                         pause + "  END LOOP;\nEND $retort$;\n");
  }

  BackfillSnapshot snapshot;
  snapshot.total = EstimateTotal(batch, origin);
  ProgressDisplay display(options_.log, options_.log_is_terminal ? options_.live_line : nullptr,
                          label);
  auto started = Clock::now();
  std::vector<double> batch_ms;
  BatchSizer sizer(batch.size, batch.EffectiveTargetMs());
  long size = batch.size;
  long smallest = size;
  long largest = size;
  while (true) {
    if (batch.max_lag_seconds) {
      Status waited = WaitForReplicas(*batch.max_lag_seconds);
      if (!waited.ok()) {
        display.Finish();
        return waited.WithContext("max-lag: ");
      }
    }
    size = sizer.size();
    std::string bound = migrations::BindBatchSize(sql, size);
    double this_ms = 0;
    Status status = WithLockRetries([&] {
      auto batch_started = Clock::now();
      Status ran = sink_.Statement(bound, origin);
      this_ms = MillisecondsSince(batch_started);
      return ran;
    });
    if (!status.ok()) {
      display.Finish();
      return Status::Failed(status.message() + "\nbatch " + std::to_string(snapshot.batches + 1) +
                            " failed; the " + GroupDigits(snapshot.rows) + " rows of the " +
                            std::to_string(snapshot.batches) +
                            " batches before it are committed, and the next run starts this "
                            "statement again (it picks up the rows still to do)");
    }
    long affected = sink_.LastAffectedRows();
    RecordBatch(batch, affected, MillisecondsSince(started) / 1000, snapshot, display);
    batch_ms.push_back(this_ms);
    if (affected == 0) break;
    // A batch smaller than its size was the last one with rows; its time says nothing.
    if (affected >= size) {
      sizer.Record(this_ms);
      smallest = std::min(smallest, sizer.size());
      largest = std::max(largest, sizer.size());
    }
    Sleep(batch.sleep_ms);
  }
  display.Finish();
  double seconds = MillisecondsSince(started) / 1000;
  Log("  " + label + " (" + origin.file + ":" + std::to_string(origin.line) +
      "): " + GroupDigits(snapshot.rows) + " rows in " + GroupDigits(snapshot.batches) + " " +
      BatchSizes(smallest, largest) + ", " + FixedPoint(seconds, 1) + " s, " +
      GroupDigits(seconds > 0 ? std::lround(snapshot.rows / seconds) : 0) + " rows/s" +
      BatchTimes(batch_ms));
  return Status::Ok();
}

Result<KeyColumn> Executor::ResolveKey(const migrations::Batch& batch, const Origin& origin) {
  std::string table = batch.key_table.Qualified();
  std::string where = origin.file + ":" + std::to_string(batch.line) +
                      ": key=" + batch.key_table.Qualified() + "." +
                      QuoteIdentifier(batch.key_column) + " in '-- retort:batch': ";
  std::string refused =
      "; retort walks the key in ranges and needs a unique, NOT NULL column "
      "with a unique index on it alone (a single-column primary key is the "
      "usual one); this statement did not run";
  // indisunique with no predicate or expression and one key column: each value once.
  RETORT_ASSIGN_OR_RETURN(
      pg::PgResult found,
      sink_.Query(
          "SELECT c.oid::regclass::text, a.attname IS NOT NULL, coalesce(quote_ident(a.attname), "
          "''), coalesce(format_type(a.atttypid, a.atttypmod), ''), coalesce(a.attnotnull, "
          "false), EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique "
          "AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indnkeyatts = 1 "
          "AND i.indkey[0] = a.attnum), EXISTS (SELECT FROM pg_index i WHERE i.indrelid = c.oid "
          "AND i.indisvalid AND i.indkey[0] = a.attnum) FROM pg_class c LEFT JOIN pg_attribute "
          "a ON a.attrelid = c.oid AND a.attname = " +
          QuoteLiteral(batch.key_column) +
          " AND a.attnum > 0 AND NOT a.attisdropped WHERE c.oid = to_regclass(" +
          QuoteLiteral(table) + ")"));
  if (found.rows() == 0) {
    return Status::InvalidInput(where + "table " + table + " does not exist" + refused);
  }
  KeyColumn key{found.Get(0, 0), found.Get(0, 2), found.Get(0, 3)};
  std::string column = key.table + "." + QuoteIdentifier(batch.key_column);
  if (found.Get(0, 1) != "t") {
    return Status::InvalidInput(where + "table " + key.table + " has no column " +
                                QuoteIdentifier(batch.key_column) + refused);
  }
  if (found.Get(0, 5) != "t") {
    return Status::InvalidInput(
        where + "column " + column + " is not unique (no unique index on it alone" +
        (found.Get(0, 6) == "t" ? ", only a non-unique one or one with more columns"
                                : ", and no index at all") +
        "): rows sharing a value would straddle two ranges" + refused);
  }
  if (found.Get(0, 4) != "t") {
    return Status::InvalidInput(where + "column " + column +
                                " may be NULL, and rows where it is NULL are in no range" +
                                refused);
  }
  return key;
}

Status Executor::ScriptKeyed(const migrations::Batch& batch, const std::string& sql) {
  // The catalog is not at hand: variables take the column's type with %TYPE, and the size
  // stays fixed.
  std::string table = batch.key_table.Qualified();
  std::string column = QuoteIdentifier(batch.key_column);
  std::string type = table + "." + column + "%TYPE";
  std::string bound = migrations::BindBatchRange(sql, batch.size, "$1", "$2");
  sink_.Note("batched by key " + table + "." + column + ": walks it in ranges of " +
             std::to_string(batch.size) + " keys, committing after each" +
             (batch.max_lag_seconds ? "; max-lag is not enforced by a script" : ""));
  std::string pause;
  if (batch.sleep_ms > 0) {
    pause = "    PERFORM pg_sleep(" + std::to_string(batch.sleep_ms / 1000) + "." +
            std::to_string(1000 + batch.sleep_ms % 1000).substr(1) + ");\n";
  }
  std::string from = " FROM " + table;
  return sink_.Control(
      "DO $retort$\nDECLARE\n  last_key " + type + ";\n  max_key " + type + ";\n  batch_start " +
      type + ";\n  batch_end " + type + ";\nBEGIN\n  SELECT " + column + " INTO max_key" + from +
      " ORDER BY " + column +
      " DESC LIMIT 1;\n  LOOP\n    IF last_key IS NULL THEN\n      SELECT " + column +
      " INTO batch_start" + from + " ORDER BY " + column + " LIMIT 1;\n    ELSE\n      SELECT " +
      column + " INTO batch_start" + from + " WHERE " + column + " > last_key ORDER BY " + column +
      " LIMIT 1;\n    END IF;\n    EXIT WHEN batch_start IS NULL OR batch_start > max_key;\n"
      "    SELECT " +
      column + " INTO batch_end" + from + " WHERE " + column + " >= batch_start AND " + column +
      " <= max_key ORDER BY " + column + " OFFSET " + std::to_string(batch.size - 1) +
      " LIMIT 1;\n    batch_end := coalesce(batch_end, max_key);\n    EXECUTE " +
      QuoteLiteral(bound) +
      " USING batch_start, batch_end;\n    COMMIT;\n    last_key := batch_end;\n"
      "    EXIT WHEN last_key >= max_key;\n" +
      pause + "  END LOOP;\nEND $retort$;\n");
}

Status Executor::RunKeyed(const migrations::Batch& batch, const std::string& sql,
                          const Origin& origin, history::ProgressRow progress, bool tracking) {
  if (!sink_.IsLive()) return ScriptKeyed(batch, sql);
  std::string label = Label(origin);
  RETORT_ASSIGN_OR_RETURN(KeyColumn key, ResolveKey(batch, origin));
  std::string key_name = key.table + "." + key.column;
  auto scalar = [&](const std::string& query) -> Result<std::string> {
    RETORT_ASSIGN_OR_RETURN(pg::PgResult result, sink_.Query(query));
    return result.rows() > 0 ? result.Get(0, 0) : std::string();
  };

  // Where an earlier run stopped. Its batches committed with their progress row, so the rows
  // up to that key are done exactly once; a different key starts over.
  std::string last_done;
  if (!progress.batch_key.empty() && progress.batch_key_column == key_name) {
    last_done = progress.batch_key;
    Log("resuming " + label + " after " + key.column + " = " + last_done + " (" +
        GroupDigits(progress.batch_rows) + " rows done by earlier runs)");
  } else {
    if (!progress.batch_key.empty()) {
      Log("warning: an earlier run walked " + progress.batch_key_column + ", this one walks " +
          key_name + ": starting from its first key");
    }
    progress.batch_rows = 0;
  }
  progress.batch_key_column = key_name;

  // The largest key now is where the walk ends: rows added later with larger keys are left to
  // the application that adds them (a walk chasing inserts might never end).
  RETORT_ASSIGN_OR_RETURN(std::string max_key, scalar(LastKeySql(key)));

  BackfillSnapshot snapshot;
  snapshot.total = EstimateTotal(batch, origin);
  if (!snapshot.total) {
    // Without an estimate, the table's size as the planner knows it.
    auto tuples =
        scalar("SELECT reltuples::bigint FROM pg_class WHERE oid = " + QuoteLiteral(key.table) +
               "::regclass");
    if (tuples.ok() && std::atol(tuples->c_str()) > 0) snapshot.total = std::atol(tuples->c_str());
  }
  ProgressDisplay display(options_.log, options_.log_is_terminal ? options_.live_line : nullptr,
                          label);
  auto started = Clock::now();
  std::vector<double> batch_ms;
  BatchSizer sizer(batch.size, batch.EffectiveTargetMs());
  long smallest = batch.size;
  long largest = batch.size;
  std::string first_done;
  auto fail = [&](const Status& status, const std::string& range) {
    display.Finish();
    std::string done = snapshot.batches == 0
                           ? std::string("no batch of this run committed")
                           : "the " + GroupDigits(snapshot.rows) + " rows of the " +
                                 GroupDigits(snapshot.batches) + " batches before it are committed";
    return Status::Failed(
        status.message() + "\nbatch " + std::to_string(snapshot.batches + 1) + range + " failed; " +
        done +
        (tracking ? (last_done.empty()
                         ? std::string(", and the next run starts at the first key")
                         : ", and the next run resumes after " + key.column + " = " + last_done)
                  : std::string(", and the next run starts at the first key again")));
  };
  while (!max_key.empty()) {
    long size = sizer.size();
    Result<pg::PgResult> bounds = sink_.Query(RangeSql(key, last_done, max_key, size));
    if (!bounds.ok()) return fail(bounds.status(), "");
    if (bounds->rows() == 0) break;
    const std::string start = bounds->Get(0, 0);
    const std::string end = bounds->Get(0, 1);
    std::string range = " (" + key.column + " " + start + " to " + end + ")";

    if (batch.max_lag_seconds) {
      Status waited = WaitForReplicas(*batch.max_lag_seconds);
      if (!waited.ok()) {
        display.Finish();
        return waited.WithContext("max-lag: ");
      }
    }
    std::string bound = migrations::BindBatchRange(sql, size, key.Literal(start), key.Literal(end));
    history::ProgressRow after = progress;
    double this_ms = 0;
    long affected = 0;
    Status status = WithLockRetries([&] {
      auto batch_started = Clock::now();
      // BEGIN on the statement's line, so error positions keep their line: one round trip.
      constexpr std::string_view kBegin = "BEGIN;";
      Origin statement_origin = origin;
      statement_origin.own_prefix = kBegin.size();
      RETORT_RETURN_IF_ERROR(sink_.Statement(std::string(kBegin) + bound, statement_origin));
      affected = sink_.LastAffectedRows();
      std::string commit = "COMMIT;\n";
      if (tracking) {
        after.batch_key = end;
        after.batch_rows = progress.batch_rows + affected;
        after.error = "stopped after " + key.column + " = " + end + " (" +
                      GroupDigits(after.batch_rows) + " rows done)";
        commit = store_.RecordBatchProgressSql(after) + commit;
      }
      RETORT_RETURN_IF_ERROR(sink_.Control(commit));
      this_ms = MillisecondsSince(batch_started);
      return Status::Ok();
    });
    if (!status.ok()) {
      sink_.Abort();
      return fail(status, range);
    }
    progress = after;
    last_done = end;
    if (first_done.empty()) first_done = start;
    RecordBatch(batch, affected, MillisecondsSince(started) / 1000, snapshot, display);
    batch_ms.push_back(this_ms);
    if (end == max_key) break;
    sizer.Record(this_ms);
    smallest = std::min(smallest, sizer.size());
    largest = std::max(largest, sizer.size());
    Sleep(batch.sleep_ms);
  }
  display.Finish();
  if (!max_key.empty()) {
    auto added = scalar("SELECT EXISTS (SELECT FROM " + key.table + " WHERE " + key.column + " > " +
                        key.Literal(max_key) + ")::text");
    if (added.ok() && *added == "true") {
      Log("note: " + label + ": rows with " + key.column + " above " + max_key +
          " (the largest when the walk began) were added while it ran and were not visited");
    }
  }
  double seconds = MillisecondsSince(started) / 1000;
  Log("  " + label + " (" + origin.file + ":" + std::to_string(origin.line) +
      "): " + GroupDigits(snapshot.rows) + " rows in " + GroupDigits(snapshot.batches) + " " +
      BatchSizes(smallest, largest) + " by " + key.column +
      (first_done.empty() ? "" : " (" + first_done + " to " + last_done + ")") + ", " +
      FixedPoint(seconds, 1) + " s, " +
      GroupDigits(seconds > 0 ? std::lround(snapshot.rows / seconds) : 0) + " rows/s" +
      BatchTimes(batch_ms));
  return Status::Ok();
}

Status Executor::RunStatementWithProgress(const revision::Move& step,
                                          const sqltext::Statement& statement, const Origin& origin,
                                          const history::ProgressRow& done,
                                          const std::string& backups) {
  bool applied_elsewhere = false;
  Status status = WithLockRetries([&] {
    // The guards first: they wait for (and then see the work of) an earlier run's orphaned
    // session that is still inside the same kind of transaction.
    Status began = sink_.Control(BeginStatementSql(step, done) + backups);
    if (began.sqlstate() == history::kAppliedElsewhere) {
      applied_elsewhere = true;
      sink_.Abort();
      return Status::Ok();
    }
    RETORT_RETURN_IF_ERROR(began);
    RETORT_RETURN_IF_ERROR(sink_.Statement(statement.text, origin));
    return sink_.Control(store_.RecordProgressSql(done) + "COMMIT;\n");
  });
  if (applied_elsewhere) {
    Log("statement " + std::to_string(done.statement) + " of " + step.revision + " (" +
        origin.file + ":" + std::to_string(origin.line) +
        ") was committed by a session of an earlier run after this run began; it is not run "
        "again");
  }
  return status;
}

Result<bool> Executor::ResolveInterrupted(const revision::Move& step,
                                          const migrations::Migration& migration, size_t index,
                                          const history::ProgressRow& row) {
  const sqltext::Statement& statement = StatementsFor(step, migration)[index];
  std::string which = "statement " + std::to_string(index + 1) + " of " + step.revision + " (" +
                      Where(migration, statement) + ")";
  if (row.running_pid > 0 && !row.running_since.empty()) {
    // A killed migrator's backend runs on until it notices (client_connection_check_interval)
    // or finishes; until then nobody knows whether the statement takes effect.
    std::string alive_sql = "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pid = " +
                            std::to_string(row.running_pid) +
                            " AND backend_start = " + QuoteLiteral(row.running_since) +
                            "::timestamptz)::text";
    auto deadline = Clock::now() + std::chrono::milliseconds(options_.interrupted_wait_ms);
    bool waited = false;
    while (true) {
      RETORT_ASSIGN_OR_RETURN(pg::PgResult alive, sink_.Query(alive_sql));
      if (alive.Get(0, 0) != "true") break;
      if (Clock::now() > deadline) {
        return Status::Failed(
            which + " is still being executed by session pid " + std::to_string(row.running_pid) +
            " of an earlier run (killed, or it lost the migration lock) after waiting " +
            std::to_string(options_.interrupted_wait_ms / 1000) +
            " s; let it finish or stop it (SELECT pg_cancel_backend(" +
            std::to_string(row.running_pid) + ")), then run again; nothing was run");
      }
      if (!waited) {
        Log(which + " was sent by session pid " + std::to_string(row.running_pid) +
            " of an earlier run, which is still executing it; waiting for it to end");
        waited = true;
      }
      Sleep(100);
    }
  }
  if (auto built = sqltext::ConcurrentlyBuiltIndex(statement.text)) {
    auto found = sink_.Query(
        "SELECT c.oid::text, i.indisvalid::text FROM pg_class c JOIN pg_index i ON "
        "i.indexrelid = c.oid WHERE c.relname = " +
        QuoteLiteral(built->index) +
        " AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass(" +
        QuoteLiteral(built->table.Qualified()) + "))");
    if (!found.ok()) return found.status();
    // Valid and new (or accepted as it was, with IF NOT EXISTS): the build completed. An
    // invalid one is dropped and built again by the statement's run.
    if (found->rows() == 1 && found->Get(0, 1) == "true" &&
        (found->Get(0, 0) != row.prior_index || built->if_not_exists)) {
      Log(which + " completed after the run that sent it ended (index " + built->index +
          " is valid); recorded as done");
      return true;
    }
    return false;
  }
  std::vector<sqltext::RelationName> dropped = sqltext::ConcurrentlyDroppedIndexes(statement.text);
  if (!dropped.empty()) {
    std::string remaining;
    for (const sqltext::RelationName& name : dropped) {
      remaining += (remaining.empty() ? "" : " OR ") + std::string("to_regclass(") +
                   QuoteLiteral(name.Qualified()) + ") IS NOT NULL";
    }
    RETORT_ASSIGN_OR_RETURN(pg::PgResult left, sink_.Query("SELECT (" + remaining + ")::text"));
    if (left.Get(0, 0) == "false") {
      Log(which +
          " completed after the run that sent it ended (the index is gone); recorded "
          "as done");
      return true;
    }
    return false;
  }
  Log(which + " was interrupted and cannot be checked for its effect; running it again");
  return false;
}

Status Executor::RunStatementOutside(const revision::Move& step,
                                     const migrations::Migration& migration, size_t index,
                                     bool tracking) {
  const auto& statements = StatementsFor(step, migration);
  const sqltext::Statement& statement = statements[index];
  int count = static_cast<int>(statements.size());
  Origin origin{migration.path, statement.line, step.revision, static_cast<int>(index) + 1, count};
  std::string where = StatementLabel(migration, statement, index, statements.size());
  history::ProgressRow done{step.revision,
                            DirectionName(step.direction),
                            static_cast<int>(index) + 1,
                            count,
                            FingerprintOf(statement.text),
                            "done",
                            "",
                            ""};
  const migrations::Batch* batch = BatchFor(step, migration, index);
  sqltext::TransactionUse use = sqltext::ClassifyTransactionUse(statement.text);
  std::string backups = BackupsFor(step, statement.text);

  // Most statements of such a file can run in a transaction block: one of their own, with
  // their progress row, so that a kill between the two cannot make the next run repeat them.
  // A migration's own BEGIN ... COMMIT is left alone (the rows then commit with its COMMIT).
  if (tracking && batch == nullptr && !sink_.InTransaction() &&
      (use == sqltext::TransactionUse::kAny || use == sqltext::TransactionUse::kAddsEnumValue)) {
    failed_at_ = where;
    if (!backups.empty()) sink_.Note("back up what " + where + " destroys");
    Status status = RunStatementWithProgress(step, statement, origin, done, backups);
    if (!status.ok()) sink_.Abort();
    return status;
  }

  // A CREATE INDEX CONCURRENTLY that failed leaves its index behind, INVALID: unused by
  // queries, still updated by every write, and in the way of building it again.
  std::optional<sqltext::ConcurrentIndex> index_built =
      sqltext::ConcurrentlyBuiltIndex(statement.text);
  std::string index_namespace;
  if (index_built) {
    index_namespace = "(SELECT relnamespace FROM pg_class WHERE oid = to_regclass(" +
                      QuoteLiteral(index_built->table.Qualified()) + "))";
  }
  auto invalid_index = [&]() -> std::optional<std::string> {
    if (!index_built || !sink_.IsLive()) return std::nullopt;
    auto found = sink_.Query(
        "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE NOT i.indisvalid AND c.relname = " +
        QuoteLiteral(index_built->index) + " AND c.relnamespace = " + index_namespace);
    if (!found.ok() || found->rows() == 0) return std::nullopt;
    return found->Get(0, 0);
  };
  // Before every attempt: a leftover of an earlier run, or of this run's own attempt that a lock
  // timeout ended, would make the build fail with "already exists".
  auto drop_invalid_index = [&]() -> Status {
    auto leftover = invalid_index();
    if (!leftover) return Status::Ok();
    Log("found INVALID index " + *leftover +
        " (left by a CREATE INDEX CONCURRENTLY that failed); dropping it before " + where +
        " builds it again: DROP INDEX CONCURRENTLY IF EXISTS " + *leftover);
    failed_at_ = "dropping the invalid index " + *leftover;
    return sink_.Control("DROP INDEX CONCURRENTLY IF EXISTS " + *leftover + ";\n");
  };

  if (!backups.empty()) {
    failed_at_ = "the backup before " + where;
    sink_.Note("back up what " + where + " destroys (in a transaction of its own)");
    RETORT_RETURN_IF_ERROR(
        WithLockRetries([&] { return sink_.Control("BEGIN;\n" + backups + "COMMIT;\n"); }));
  }

  if (tracking && batch == nullptr && use == sqltext::TransactionUse::kOutsideTransactionBlock) {
    // Its effect and its progress row cannot commit together: record that it is being sent,
    // by which session, so that the next run can tell a statement still running from one that
    // ended, and check what it left.
    std::string prior_index;
    if (index_built) {
      prior_index =
          "(SELECT oid::text FROM pg_class WHERE relname = " + QuoteLiteral(index_built->index) +
          " AND relnamespace = " + index_namespace + ")";
    }
    failed_at_ = "recording the start of " + where;
    Status began = sink_.Control(BeginStatementSql(step, done) +
                                 store_.RecordRunningSql(done, prior_index) + "COMMIT;\n");
    if (!began.ok()) {
      bool applied_elsewhere = began.sqlstate() == history::kAppliedElsewhere;
      sink_.Abort();
      if (!applied_elsewhere) return began;
      Log(where +
          " was completed by a session of an earlier run after this run began; it is "
          "not run again");
      return Status::Ok();
    }
  }

  failed_at_ = where;
  Status status;
  bool lifted_lock_timeout = false;
  if (batch != nullptr) {
    history::ProgressRow progress = done;
    progress.status = "failed";
    for (const history::ProgressRow& row : progress_rows_) {
      if (row.revision == progress.revision && row.direction == progress.direction &&
          row.statement == progress.statement) {
        progress.batch_key_column = row.batch_key_column;
        progress.batch_key = row.batch_key;
        progress.batch_rows = row.batch_rows;
      }
    }
    status = RunBatched(*batch, statement.text, origin, std::move(progress),
                        options_.track_progress && sink_.IsLive());
  } else if (use == sqltext::TransactionUse::kControlsTransaction || sink_.InTransaction()) {
    // Inside the migration's own transaction a lock timeout aborts all of it: no retry alone.
    status = sink_.Statement(statement.text, origin);
  } else if (sqltext::WaitsForOlderTransactions(statement.text)) {
    // lock_timeout keeps retort from queueing application queries behind a strong lock. A
    // CONCURRENTLY statement takes none that reads or writes wait for, and then waits for every
    // older transaction through lock waits: under lock_timeout one long report query would fail
    // the build again and again. It runs without one (statement_timeout still applies).
    lifted_lock_timeout = IsSet(options_.lock_timeout);
    if (lifted_lock_timeout) RETORT_RETURN_IF_ERROR(sink_.Control("SET lock_timeout = 0;\n"));
    status = WithLockRetries([&] {
      Status dropped = drop_invalid_index();
      if (!dropped.ok()) return dropped;
      failed_at_ = where;
      return sink_.Statement(statement.text, origin);
    });
  } else {
    status = WithLockRetries([&] { return sink_.Statement(statement.text, origin); });
  }
  // A script run by psql without ON_ERROR_STOP must not go on to the version bookkeeping after a
  // statement outside a transaction failed: nothing would roll that bookkeeping back.
  if (!sink_.IsLive()) {
    std::string message = "retort: " + where + " of revision " + step.revision +
                          " failed; stopping before the version table moves";
    RETORT_RETURN_IF_ERROR(
        sink_.Control("\\if :ERROR\n\\echo " + QuoteLiteral(message) + "\n\\quit\n\\endif\n"));
  }
  // Restored after that check: any statement in between would reset psql's ERROR.
  if (lifted_lock_timeout) {
    Status restored = sink_.Control(TimeoutSql(""));
    if (status.ok()) status = restored;
  }
  if (!status.ok()) {
    sink_.Abort();
    if (auto leftover = invalid_index()) {
      status =
          Status::Failed(status.message() + "\nthe failed build left INVALID index " + *leftover +
                         " behind (pg_index.indisvalid = false): queries do not use it but "
                         "every write still updates it; the next run drops it (DROP INDEX "
                         "CONCURRENTLY IF EXISTS) before building it again");
    }
    return status;
  }
  if (!tracking) return status;
  Status recorded = sink_.Control(store_.RecordProgressSql(done));
  if (!recorded.ok()) {
    return Status::Failed("cannot record the progress of " + step.revision + " after statement " +
                          std::to_string(index + 1) + ": " + recorded.message());
  }
  return Status::Ok();
}

Status Executor::RunOutsideTransaction(const revision::Move& step,
                                       const migrations::Migration& migration, bool last) {
  std::string started_at = sink_.IsLive() ? UtcNow() : "";
  const auto& statements = StatementsFor(step, migration);
  bool tracking = options_.track_progress && sink_.IsLive();
  // Checked before the statements (nothing runs on the wrong revision) and again when the
  // version moves.
  RETORT_RETURN_IF_ERROR(sink_.Control("BEGIN;\n" + GuardSql(step.rows_before) + "COMMIT;\n"));
  size_t start = 0;
  if (tracking) {
    RETORT_RETURN_IF_ERROR(sink_.Control(store_.EnsureProgressTableSql()));
    RETORT_ASSIGN_OR_RETURN(start, ResumePoint(step, migration));
  }
  RETORT_RETURN_IF_ERROR(sink_.Control(TimeoutSql("")));
  if (start > 0) RETORT_RETURN_IF_ERROR(ReplaySessionSettings(step, migration, start));
  Status ran;
  size_t index = start;
  for (; index < statements.size(); ++index) {
    ran = RunStatementOutside(step, migration, index, tracking);
    if (ran.ok()) continue;
    if (tracking) {
      history::ProgressRow failed{step.revision,
                                  DirectionName(step.direction),
                                  static_cast<int>(index) + 1,
                                  static_cast<int>(statements.size()),
                                  FingerprintOf(statements[index].text),
                                  "failed",
                                  ran.message(),
                                  ""};
      (void)sink_.Control(store_.RecordProgressSql(failed));
    }
    break;
  }
  if (IsSet(options_.lock_timeout) || IsSet(options_.statement_timeout)) {
    (void)sink_.Control("RESET lock_timeout;\nRESET statement_timeout;\n");
  }
  if (!ran.ok()) {
    std::string verb = VerbFor(step.direction);
    std::string number = std::to_string(index + 1);
    std::string message = ran.message() + "\nrevision " + step.revision +
                          " runs outside a transaction (-- retort:transaction none): ";
    if (tracking) {
      message += (index == 0 ? std::string("no statement before it ran")
                             : "statements 1-" + std::to_string(index) + " ran and stay applied") +
                 "; the database is marked partially applied at statement " + number + " of " +
                 std::to_string(statements.size()) + " of " + step.revision +
                 " (`retort current` " + "shows it). Fix statement " + number +
                 " (the statements before it must stay as they are) and run `retort " + verb +
                 "` again: it resumes at statement " + number;
    } else {
      message += "the statements before the failed one were not rolled back";
    }
    return Status::Failed(message);
  }
  std::string bookkeeping =
      "BEGIN;\n" + GuardSql(step.rows_before) + BookkeepingSql(step, migration, started_at);
  if (tracking)
    bookkeeping += store_.ClearProgressSql(step.revision, DirectionName(step.direction));
  if (last) bookkeeping += JoinStatements(options_.closing_statements);
  return sink_.Control(bookkeeping + "COMMIT;\n");
}

// ---- the run

Status Executor::Run(const revision::Path& plan, const MigrationIndex& migrations) {
  RETORT_RETURN_IF_ERROR(Preflight(plan, migrations, !options_.transaction_per_migration));
  RETORT_RETURN_IF_ERROR(LoadProgress(plan, migrations));
  if (options_.statement_progress && options_.live_line != nullptr && !plan.steps.empty()) {
    sink_.ShowStatementProgress(*options_.live_line, options_.statement_progress_display);
  }
  size_t begin = 0;
  while (begin < plan.steps.size()) {
    const revision::Move& step = plan.steps[begin];
    const migrations::Migration& migration = *migrations.find(step.revision)->second;
    if (migration.transactional) {
      size_t end = begin + 1;
      while (end < plan.steps.size() &&
             migrations.find(plan.steps[end].revision)->second->transactional) {
        ++end;
      }
      RETORT_RETURN_IF_ERROR(options_.transaction_per_migration
                                 ? RunEachInItsTransaction(plan, begin, end, migrations)
                                 : RunTransactionGroup(plan, begin, end, migrations));
      begin = end;
      continue;
    }
    if (progress_) progress_(StepEvent{step, migration, false, 0});
    auto started = Clock::now();
    sink_.Note(RunningNote(step, migration));
    Status status = RunOutsideTransaction(step, migration, begin + 1 == plan.steps.size());
    if (!status.ok()) {
      sink_.Abort();
      return status;
    }
    if (progress_) progress_(StepEvent{step, migration, true, MillisecondsSince(started)});
    ++begin;
  }
  return Status::Ok();
}

Status Executor::Stamp(const std::vector<std::string>& rows_before,
                       const std::vector<std::string>& rows_after, bool purge) {
  std::string sql = "BEGIN;\n";
  if (!options_.lock_guard_check.empty()) {
    sql += "DO $retort$ BEGIN " + options_.lock_guard_check + " END $retort$;\n";
  }
  if (purge) {
    sql += "DELETE FROM " + store_.QualifiedVersionTable() + ";\n";
    sql += store_.TransitionSql({}, rows_after);
  } else {
    sql += store_.TransitionSql(rows_before, rows_after);
  }
  for (const std::string& revision : rows_after) {
    sql += store_.RecordStepSql(
        history::StepRecord{revision, "stamp", "", options_.tool_version, "", ""});
  }
  sql += store_.DropProgressSql();
  sql += "COMMIT;\n";
  sink_.Note("Stamping " + history::DescribeRows(rows_before) + " -> " +
             history::DescribeRows(rows_after));
  Status status = sink_.Control(sql);
  if (!status.ok()) sink_.Abort();
  return status;
}

}  // namespace retort::executor
