// The version table (Alembic's shape: one `version_num varchar(32)` row per applied head) and,
// beside it, the history table that records every step with timing and checksum.
//
// Bookkeeping is emitted as SQL text, so the live run and the offline `--sql` script record
// versions with the very same statements.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "pg/connection.h"

namespace retort::history {

// SQLSTATE of RefuseDoneSql's error (a class no PostgreSQL error uses).
inline constexpr char kAppliedElsewhere[] = "RT001";

// Version rows as people read them: "a1, b2", or "base" when there are none.
std::string DescribeRows(const std::vector<std::string>& rows);

struct TableNames {
  std::string schema = "public";
  std::string version_table = "retort_version";
  std::string history_table = "retort_history";
  std::string progress_table = "retort_progress";
  // One row per version table: the digest of the applied migrations' files last found to match
  // what ran (AppliedDigest below).
  std::string digest_table = "retort_digest";
};

// What the digest table says for this version table, read with the version rows (ReadState).
// A digest row holds the newest history id when it was written, and is current while that is
// still the newest: retort only ever appends to the history, and a row appended later (by any
// retort, old or new, or a script) gets a higher id.
struct StoredDigest {
  // False where it cannot be read: an older retort made the tables (or none ran a migration yet),
  // or this role may not read it.
  bool table_exists = false;
  // The digest written for the history as it is now; empty when there is none or the history
  // moved on since it was written (a row appended by anyone, this retort or another).
  std::string digest;
  // How many checksum rows (directions "up" and "checksum") the history held when it was written.
  long long history_rows = 0;
};

// One statement of a non-transactional migration that ran (status "done"), failed ("failed"), or
// was started and not seen to end ("running": a statement that cannot run in a transaction
// block, recorded before it is sent, since its effect and its progress row cannot commit
// together). The rows of a step exist from its first statement until it completes: while any
// exist, the revision is partially applied.
struct ProgressRow {
  std::string revision;
  std::string direction;  // "up" or "down"
  int statement = 0;      // 1-based index into the direction's statements
  int statement_count = 0;
  std::string fingerprint;  // migrations::StatementFingerprint of the statement that ran
  std::string status;       // "done", "failed" or "running"
  std::string error;        // the server's message, for "failed"
  std::string finished_at;  // ISO 8601 UTC
  // A statement batched by key (`-- retort:batch ... key=COLUMN`) records after each batch,
  // in the batch's transaction, the column it walks and the last key done (as text): a rerun
  // resumes after it. Empty for other statements.
  std::string batch_key_column = "";
  std::string batch_key = "";
  long batch_rows = 0;  // rows the committed batches affected
  // "running" rows: the session that sent the statement (its pid and backend_start tell a
  // session still at work from one that ended), and the oid of an index of the name a
  // CREATE INDEX CONCURRENTLY builds that existed before it ran ("" when none did).
  int running_pid = 0;
  std::string running_since = "";
  std::string prior_index = "";
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
  std::string source;  // the migration file's text; empty for stamps
  // Literal start time; empty means now() (the start of the enclosing transaction, which is the
  // migration's start when it runs in its own transaction).
  std::string started_at;
  // SHA-256 of `source` when the caller has it already (Migration::source_sha256); empty:
  // computed here.
  std::string source_sha256 = "";
};

class VersionStore {
 public:
  explicit VersionStore(TableNames names) : names_(std::move(names)) {}

  const TableNames& names() const { return names_; }
  std::string QualifiedVersionTable() const;
  std::string QualifiedHistoryTable() const;
  std::string QualifiedProgressTable() const;
  std::string QualifiedDigestTable() const;

  // Creates the schema (if missing), the version, history and digest tables. Idempotent; run under
  // the migration lock, since concurrent CREATE TABLE IF NOT EXISTS can collide in pg_type.
  std::string EnsureTablesSql() const;

  // Locks the version table for the rest of the transaction and fails unless it holds exactly
  // `expected`. Runs at the start of every migration's transaction, so a second migrator (one
  // that started while an orphaned transaction of a killed one was still committing) or a
  // script run against the wrong revision stops instead of applying a migration twice.
  // `also_check`: PL/pgSQL statements run in the same DO block after the version check (the
  // migration-lock check, pg::AdvisoryLock::GuardCheck).
  std::string GuardSql(const std::vector<std::string>& expected,
                       const std::string& also_check = "") const;
  // The same as single statements (no terminators), for a pipeline, which takes one statement
  // per query: built apart, never split apart. Likewise for the two below.
  std::vector<std::string> GuardStatements(const std::vector<std::string>& expected,
                                           const std::string& also_check = "") const;

  // Moves the version rows from `before` to `after` (an UPDATE when one row replaces another,
  // otherwise DELETEs and INSERTs).
  std::string TransitionSql(const std::vector<std::string>& before,
                            const std::vector<std::string>& after) const;
  std::vector<std::string> TransitionStatements(const std::vector<std::string>& before,
                                                const std::vector<std::string>& after) const;
  std::string RecordStepSql(const StepRecord& record) const;
  std::string RecordStepStatement(const StepRecord& record) const;

  // Records that the applied revision's file changed and the change was accepted
  // (`stamp --update-checksums`).
  std::string RecordChecksumSql(const std::string& revision, const std::string& checksum,
                                const std::string& source, const std::string& tool_version) const;

  // The checksum each revision had when it last ran up (or was accepted); revisions without a
  // recorded checksum are absent. Empty when the table does not exist.
  struct RecordedChecksum {
    std::string checksum;       // the migration's semantic checksum
    std::string source_sha256;  // SHA-256 of the file text recorded with it; "" if none
  };
  // `rows_read`, when given, receives the number of checksum rows read.
  Result<std::map<std::string, RecordedChecksum>> ReadChecksums(
      pg::Connection& connection, long long* rows_read = nullptr) const;
  // The file text recorded with that checksum, for showing what changed.
  Result<std::map<std::string, std::string>> ReadSources(
      pg::Connection& connection, const std::vector<std::string>& revisions) const;

  // The progress table exists only while a non-transactional migration runs or is partially
  // applied: created before its first statement, dropped when the last step's rows go.
  std::string EnsureProgressTableSql() const;
  // Upserts one statement's row: in the statement's own transaction where it can run in one,
  // so that the effect and the record commit together; otherwise right after it.
  std::string RecordProgressSql(const ProgressRow& row) const;
  // Upserts a "running" row for a statement that is about to be sent outside any transaction,
  // naming this session. `prior_index_sql` is a scalar subquery giving the oid (as text) of the
  // index the statement builds when one of that name exists already, or "" for none.
  std::string RecordRunningSql(const ProgressRow& row, const std::string& prior_index_sql) const;
  // Fails the transaction with SQLSTATE kAppliedElsewhere when the statement is recorded done:
  // a session of an earlier run (orphaned by a kill, or one that lost the migration lock)
  // committed it after this run read the progress table.
  std::string RefuseDoneSql(const std::string& revision, const std::string& direction,
                            int statement) const;
  // Records a committed batch of a statement batched by key: the row stays "failed" (the
  // statement is not done) with a message saying how far it got, until RecordProgressSql marks
  // it done. Runs inside the batch's transaction. RecordProgressSql keeps the batch columns.
  std::string RecordBatchProgressSql(const ProgressRow& row) const;
  // Removes a completed step's rows, and the table when none remain. A no-op without the table.
  std::string ClearProgressSql(const std::string& revision, const std::string& direction) const;
  // Forgets every partial migration (`stamp` declares the state outright).
  std::string DropProgressSql() const;
  // Every progress row, ordered by revision, direction, statement; empty without the table.
  Result<std::vector<ProgressRow>> ReadProgress(pg::Connection& connection) const;

  // Stores `digest` (docs/formats.md, "The applied digest") for the history as it stands when
  // the statement runs, provided its checksum rows number `expected_rows` then: the writer
  // checked the files against that many rows (and appended the rest itself), and rows are only
  // ever appended, so they are the same rows. Otherwise, or when a digest written for a newer
  // history is there already, it leaves the row alone. A single statement, for the transaction
  // that records a run's last migration, which holds the migration lock and the version table's
  // lock: no other history writer can be between appending a row and committing it. An error
  // writing it is swallowed: the migration commits without a digest.
  std::string RecordDigestStatement(const std::string& digest, long long expected_rows) const;
  // The same after a no-op run compared every file, holding no lock: in a transaction of its own
  // that first waits for every transaction that wrote to the history to end (at most a moment,
  // or it gives up) and need not reach the disk (the digest is a shortcut the next run can do
  // without).
  std::string RecordDigestSql(const std::string& digest, long long expected_rows) const;

  // Current rows, sorted; empty when the table does not exist yet. One round trip.
  Result<std::vector<std::string>> ReadRows(pg::Connection& connection) const;
  struct StateParts {
    bool checksums = false;
    bool digest = false;
    bool progress = false;
  };
  struct RecordedState {
    std::vector<std::string> rows;
    std::map<std::string, RecordedChecksum> checksums;
    long long checksum_rows = 0;  // the history rows `checksums` was read from
    StoredDigest digest;
    std::vector<ProgressRow> progress;
  };
  // The rows, and the checksums and progress rows when asked for, in one round trip: what a
  // no-op `upgrade` or `current` reads.
  Result<RecordedState> ReadState(pg::Connection& connection, StateParts parts) const;
  // Newest first; empty when the table does not exist.
  Result<std::vector<HistoryEntry>> ReadHistory(pg::Connection& connection, int limit) const;

 private:
  // Each read as its SQL and the parse of its outcome, so ReadState can send them together.
  std::string RowsSql() const;
  Result<std::vector<std::string>> ParseRows(const pg::PgOutcome<pg::PgResult>& outcome) const;
  std::string ChecksumsSql(bool stored_hash) const;
  // Reads again without the stored hash when the table predates that column.
  Result<std::map<std::string, RecordedChecksum>> ParseChecksums(
      pg::PgOutcome<pg::PgResult> outcome, pg::Connection& connection, long long* rows_read) const;
  std::string DigestSql() const;
  StoredDigest ParseDigest(const pg::PgOutcome<pg::PgResult>& outcome) const;
  // The upsert of RecordDigestStatement and RecordDigestSql.
  std::string DigestUpsertSql(const std::string& digest, long long expected_rows) const;
  // The history's newest id (0 when empty), as a scalar subquery: one step down its primary key.
  std::string NewestHistoryIdSql() const;
  std::string ProgressSql() const;
  Result<std::vector<ProgressRow>> ParseProgress(const pg::PgOutcome<pg::PgResult>& outcome) const;

  TableNames names_;
};

}  // namespace retort::history
