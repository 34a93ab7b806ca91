// The version table (Alembic's shape: one `version_num varchar(32)` row per applied head) and,
// beside it, the history table that records every step with timing and checksum.
//
// Bookkeeping is emitted as SQL text, so the live run and the offline `--sql` script record
// versions with the very same statements.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "pg/connection.h"

namespace retort::history {

struct TableNames {
  std::string schema = "public";
  std::string version_table = "retort_version";
  std::string history_table = "retort_history";
};

struct HistoryEntry {
  std::string revision;
  std::string direction;  // "up", "down", "stamp"
  std::string started_at;
  std::string finished_at;
  double duration_ms = 0;
  std::string checksum;
  std::string tool_version;
  std::string db_user;
};

// What a step records in the history table.
struct StepRecord {
  std::string revision;
  std::string direction;
  std::string checksum;
  std::string tool_version;
  // Literal start time; empty means now() (the start of the enclosing transaction, which is the
  // migration's start when it runs in its own transaction).
  std::string started_at;
};

class VersionStore {
 public:
  explicit VersionStore(TableNames names) : names_(std::move(names)) {}

  const TableNames& names() const { return names_; }
  std::string QualifiedVersionTable() const;
  std::string QualifiedHistoryTable() const;

  // Creates the schema (if missing) and both tables. Idempotent; run under the migration lock,
  // since concurrent CREATE TABLE IF NOT EXISTS can collide in pg_type.
  std::string EnsureTablesSql() const;

  // Locks the version table for the rest of the transaction and fails unless it holds exactly
  // `expected`. Runs at the start of every migration's transaction, so a second migrator (one
  // that started while an orphaned transaction of a killed one was still committing) or a
  // script run against the wrong revision stops instead of applying a migration twice.
  std::string GuardSql(const std::vector<std::string>& expected) const;

  // Moves the version rows from `before` to `after` (an UPDATE when one row replaces another,
  // otherwise DELETEs and INSERTs).
  std::string TransitionSql(const std::vector<std::string>& before,
                            const std::vector<std::string>& after) const;
  std::string RecordStepSql(const StepRecord& record) const;

  // Current rows, sorted; empty when the table does not exist yet. One round trip.
  Result<std::vector<std::string>> ReadRows(pg::Connection& connection) const;
  // Newest first; empty when the table does not exist.
  Result<std::vector<HistoryEntry>> ReadHistory(pg::Connection& connection, int limit) const;

 private:
  TableNames names_;
};

}  // namespace retort::history
