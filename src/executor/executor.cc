#include "executor/executor.h"

#include <chrono>
#include <ctime>

#include "base/files.h"
#include "base/strings.h"

namespace retort::executor {

namespace {

using Clock = std::chrono::steady_clock;

const std::vector<sqltext::Statement>& StatementsFor(const revision::Step& step,
                                                     const migrations::Migration& migration) {
  return step.direction == revision::Direction::kUp ? migration.upgrade : migration.downgrade;
}

const char* DirectionName(revision::Direction direction) {
  return direction == revision::Direction::kUp ? "up" : "down";
}

std::string DescribeRows(const std::vector<std::string>& rows) {
  return rows.empty() ? "base" : Join(rows, ", ");
}

// Wall-clock time as an ISO timestamp with microseconds, for history rows of migrations that
// do not run in a transaction of their own (where now() would be the wrong start).
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

}  // namespace

Status Executor::Preflight(const revision::Plan& plan, const MigrationIndex& migrations) {
  for (const revision::Step& step : plan.steps) {
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
  }
  return Status::Ok();
}

std::string Executor::TimeoutSql(const char* scope) const {
  std::string sql;
  if (IsSet(options_.lock_timeout)) {
    sql += std::string("SET ") + scope + "lock_timeout = " + QuoteLiteral(options_.lock_timeout) +
           ";\n";
  }
  if (IsSet(options_.statement_timeout)) {
    sql += std::string("SET ") + scope +
           "statement_timeout = " + QuoteLiteral(options_.statement_timeout) + ";\n";
  }
  return sql;
}

std::string Executor::BookkeepingSql(const revision::Step& step,
                                     const migrations::Migration& migration,
                                     const std::string& started_at) const {
  return store_.TransitionSql(step.rows_before, step.rows_after) +
         store_.RecordStepSql(history::StepRecord{step.revision, DirectionName(step.direction),
                                                  migration.checksum, options_.tool_version,
                                                  started_at});
}

Status Executor::EnsureTables() {
  return sink_.Control("BEGIN;\n" + store_.EnsureTablesSql() + "COMMIT;\n");
}

Status Executor::RunStatements(const revision::Step& step, const migrations::Migration& migration) {
  const auto& statements = StatementsFor(step, migration);
  int count = static_cast<int>(statements.size());
  for (int i = 0; i < count; ++i) {
    Origin origin{migration.path, statements[i].line, step.revision, i + 1, count};
    RETORT_RETURN_IF_ERROR(sink_.Statement(statements[i].text, origin));
  }
  return Status::Ok();
}

Status Executor::RunTransactional(const revision::Step& step,
                                  const migrations::Migration& migration, bool own_transaction) {
  std::string guard = store_.GuardSql(step.rows_before);
  RETORT_RETURN_IF_ERROR(
      sink_.Control(own_transaction ? "BEGIN;\n" + TimeoutSql("LOCAL ") + guard : guard));
  RETORT_RETURN_IF_ERROR(RunStatements(step, migration));
  // In a transaction of its own, now() is exactly when this migration started.
  std::string bookkeeping = BookkeepingSql(step, migration, own_transaction ? "" : UtcNow());
  if (own_transaction) bookkeeping += "COMMIT;\n";
  return sink_.Control(bookkeeping);
}

Status Executor::RunOutsideTransaction(const revision::Step& step,
                                       const migrations::Migration& migration) {
  std::string started_at = sink_.IsLive() ? UtcNow() : "";
  // Checked before the statements (nothing runs on the wrong revision) and again when the
  // version moves.
  RETORT_RETURN_IF_ERROR(
      sink_.Control("BEGIN;\n" + store_.GuardSql(step.rows_before) + "COMMIT;\n"));
  RETORT_RETURN_IF_ERROR(sink_.Control(TimeoutSql("")));
  Status ran = RunStatements(step, migration);
  if (IsSet(options_.lock_timeout) || IsSet(options_.statement_timeout)) {
    (void)sink_.Control("RESET lock_timeout;\nRESET statement_timeout;\n");
  }
  if (!ran.ok()) {
    return Status::Failed(ran.message() + "\nrevision " + step.revision +
                          " runs outside a transaction (-- retort:transaction none): the "
                          "statements before the failed one were not rolled back");
  }
  return sink_.Control("BEGIN;\n" + store_.GuardSql(step.rows_before) +
                       BookkeepingSql(step, migration, started_at) + "COMMIT;\n");
}

Status Executor::Run(const revision::Plan& plan, const MigrationIndex& migrations) {
  RETORT_RETURN_IF_ERROR(Preflight(plan, migrations));
  bool single_transaction = !options_.transaction_per_migration;
  bool run_transaction_open = false;
  for (const revision::Step& step : plan.steps) {
    const migrations::Migration& migration = *migrations.find(step.revision)->second;
    if (progress_) progress_(StepEvent{step, migration, false, 0});
    auto started = Clock::now();
    sink_.Note("Running " +
               std::string(step.direction == revision::Direction::kUp ? "upgrade" : "downgrade") +
               " " + DescribeRows(step.rows_before) + " -> " + DescribeRows(step.rows_after) +
               ": " + step.revision + " " + migration.message + "\n(" + BaseName(migration.path) +
               ")");
    Status status;
    if (!migration.transactional) {
      if (run_transaction_open) {
        RETORT_RETURN_IF_ERROR(sink_.Control("COMMIT;\n"));
        run_transaction_open = false;
      }
      status = RunOutsideTransaction(step, migration);
    } else if (single_transaction) {
      if (!run_transaction_open) {
        status = sink_.Control("BEGIN;\n" + TimeoutSql("LOCAL "));
        run_transaction_open = status.ok();
      }
      if (status.ok()) status = RunTransactional(step, migration, /*own_transaction=*/false);
    } else {
      status = RunTransactional(step, migration, /*own_transaction=*/true);
    }
    if (!status.ok()) {
      sink_.Abort();
      return status;
    }
    if (progress_) {
      double elapsed = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
      progress_(StepEvent{step, migration, true, elapsed});
    }
  }
  if (run_transaction_open) RETORT_RETURN_IF_ERROR(sink_.Control("COMMIT;\n"));
  return Status::Ok();
}

Status Executor::Stamp(const std::vector<std::string>& rows_before,
                       const std::vector<std::string>& rows_after, bool purge) {
  std::string sql = "BEGIN;\n";
  if (purge) {
    sql += "DELETE FROM " + store_.QualifiedVersionTable() + ";\n";
    sql += store_.TransitionSql({}, rows_after);
  } else {
    sql += store_.TransitionSql(rows_before, rows_after);
  }
  for (const std::string& revision : rows_after) {
    sql +=
        store_.RecordStepSql(history::StepRecord{revision, "stamp", "", options_.tool_version, ""});
  }
  sql += "COMMIT;\n";
  sink_.Note("Stamping " + DescribeRows(rows_before) + " -> " + DescribeRows(rows_after));
  Status status = sink_.Control(sql);
  if (!status.ok()) sink_.Abort();
  return status;
}

}  // namespace retort::executor
