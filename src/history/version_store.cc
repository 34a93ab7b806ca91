#include "history/version_store.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/strings.h"

namespace retort::history {

namespace {

constexpr char kUndefinedTable[] = "42P01";
constexpr char kUndefinedColumn[] = "42703";

std::string InList(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  quoted.reserve(values.size());
  for (const auto& value : values) quoted.push_back(QuoteLiteral(value));
  return Join(quoted, ", ");
}

}  // namespace

std::string DescribeRows(const std::vector<std::string>& rows) {
  return rows.empty() ? "base" : Join(rows, ", ");
}

std::string VersionStore::QualifiedVersionTable() const {
  return QuoteIdentifier(names_.schema) + "." + QuoteIdentifier(names_.version_table);
}

std::string VersionStore::QualifiedHistoryTable() const {
  return QuoteIdentifier(names_.schema) + "." + QuoteIdentifier(names_.history_table);
}

std::string VersionStore::QualifiedProgressTable() const {
  return QuoteIdentifier(names_.schema) + "." + QuoteIdentifier(names_.progress_table);
}

std::string VersionStore::QualifiedDigestTable() const {
  return QuoteIdentifier(names_.schema) + "." + QuoteIdentifier(names_.digest_table);
}

std::string VersionStore::EnsureTablesSql() const {
  std::string sql;
  if (names_.schema != "public") {
    sql += "CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(names_.schema) + ";\n";
  }
  // Same shape and constraint name as Alembic's table, so either tool can read the other's.
  sql += "CREATE TABLE IF NOT EXISTS " + QualifiedVersionTable() +
         " (\n    version_num varchar(32) NOT NULL,\n    CONSTRAINT " +
         QuoteIdentifier(names_.version_table + "_pkc") + " PRIMARY KEY (version_num)\n);\n";
  sql += "CREATE TABLE IF NOT EXISTS " + QualifiedHistoryTable() +
         " (\n"
         "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
         "    revision varchar(32) NOT NULL,\n"
         "    direction text NOT NULL CHECK (direction IN ('up', 'down', 'stamp', "
         "'checksum')),\n"
         "    started_at timestamptz NOT NULL,\n"
         "    finished_at timestamptz NOT NULL,\n"
         "    duration_ms numeric NOT NULL,\n"
         "    checksum text,\n"
         "    tool_version text NOT NULL,\n"
         "    db_user text NOT NULL DEFAULT current_user,\n"
         "    source text,\n"
         "    source_sha256 text\n"
         ");\n";
  // A table an older retort made: rows it recorded keep a NULL hash, which ReadChecksums
  // computes from their source.
  sql +=
      "ALTER TABLE " + QualifiedHistoryTable() + " ADD COLUMN IF NOT EXISTS source_sha256 text;\n";
  sql += "CREATE TABLE IF NOT EXISTS " + QualifiedDigestTable() +
         " (\n"
         "    version_table text PRIMARY KEY,\n"
         "    digest text NOT NULL,\n"
         "    history_rows bigint NOT NULL,\n"
         "    history_max_id bigint NOT NULL,\n"
         "    written_at timestamptz NOT NULL DEFAULT now()\n"
         ");\n";
  return sql;
}

std::string VersionStore::GuardSql(const std::vector<std::string>& expected,
                                   const std::string& also_check) const {
  return JoinStatements(GuardStatements(expected, also_check));
}

std::vector<std::string> VersionStore::GuardStatements(const std::vector<std::string>& expected,
                                                       const std::string& also_check) const {
  std::string expected_array =
      expected.empty() ? "'{}'::text[]" : "ARRAY[" + InList(expected) + "]::text[]";
  std::string description = expected.empty() ? "base (no rows)" : Join(expected, ", ");
  return {"LOCK TABLE " + QualifiedVersionTable() + " IN SHARE ROW EXCLUSIVE MODE",
          "DO $retort$ BEGIN IF ARRAY(SELECT version_num::text FROM " + QualifiedVersionTable() +
              " ORDER BY version_num COLLATE \"C\") <> " + expected_array +
              " THEN RAISE EXCEPTION 'retort: % is not at %', " +
              QuoteLiteral(QualifiedVersionTable()) + ", " + QuoteLiteral(description) +
              " USING HINT = 'another migrator moved it, or this script was generated for "
              "another revision'; END IF; " +
              (also_check.empty() ? "" : also_check + " ") + "END $retort$"};
}

std::string VersionStore::TransitionSql(const std::vector<std::string>& before,
                                        const std::vector<std::string>& after) const {
  return JoinStatements(TransitionStatements(before, after));
}

std::vector<std::string> VersionStore::TransitionStatements(
    const std::vector<std::string>& before, const std::vector<std::string>& after) const {
  std::vector<std::string> removed;
  std::vector<std::string> added;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(removed));
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(added));
  std::string table = QualifiedVersionTable();
  if (removed.size() == 1 && added.size() == 1) {
    return {"UPDATE " + table + " SET version_num = " + QuoteLiteral(added[0]) +
            " WHERE version_num = " + QuoteLiteral(removed[0])};
  }
  std::vector<std::string> statements;
  if (!removed.empty()) {
    statements.push_back("DELETE FROM " + table + " WHERE version_num IN (" + InList(removed) +
                         ")");
  }
  for (const auto& revision : added) {
    statements.push_back("INSERT INTO " + table + " (version_num) VALUES (" +
                         QuoteLiteral(revision) + ")");
  }
  return statements;
}

std::string VersionStore::RecordStepSql(const StepRecord& record) const {
  return RecordStepStatement(record) + ";\n";
}

std::string VersionStore::RecordStepStatement(const StepRecord& record) const {
  std::string started =
      record.started_at.empty() ? "now()" : QuoteLiteral(record.started_at) + "::timestamptz";
  return "INSERT INTO " + QualifiedHistoryTable() +
         " (revision, direction, started_at, finished_at, duration_ms, checksum, tool_version,"
         " source, source_sha256) VALUES (" +
         QuoteLiteral(record.revision) + ", " + QuoteLiteral(record.direction) + ", " + started +
         ", clock_timestamp(), round(extract(epoch FROM clock_timestamp() - " + started +
         ") * 1000, 3), " + (record.checksum.empty() ? "NULL" : QuoteLiteral(record.checksum)) +
         ", " + QuoteLiteral(record.tool_version) + ", " +
         (record.source.empty() ? "NULL" : QuoteLiteral(record.source)) + ", " +
         (record.source.empty()
              ? "NULL"
              : QuoteLiteral(record.source_sha256.empty() ? Sha256Hex(record.source)
                                                          : record.source_sha256)) +
         ")";
}

std::string VersionStore::RecordChecksumSql(const std::string& revision,
                                            const std::string& checksum, const std::string& source,
                                            const std::string& tool_version) const {
  return RecordStepSql(StepRecord{revision, "checksum", checksum, tool_version, source, ""});
}

std::string VersionStore::NewestHistoryIdSql() const {
  return "(SELECT coalesce(max(id), 0) FROM " + QualifiedHistoryTable() + ")";
}

std::string VersionStore::DigestSql() const {
  return "SELECT digest, history_rows FROM " + QualifiedDigestTable() +
         " WHERE version_table = " + QuoteLiteral(names_.version_table) +
         " AND history_max_id = " + NewestHistoryIdSql();
}

StoredDigest VersionStore::ParseDigest(const pg::PgOutcome<pg::PgResult>& outcome) const {
  StoredDigest stored;
  // A digest that cannot be read (no table yet, no privilege) is a shortcut not taken.
  if (!outcome.ok()) return stored;
  stored.table_exists = true;
  if (outcome.value->rows() == 1) {
    stored.digest = outcome.value->Get(0, 0);
    stored.history_rows = std::stoll(outcome.value->Get(0, 1));
  }
  return stored;
}

std::string VersionStore::DigestUpsertSql(const std::string& digest,
                                          long long expected_rows) const {
  std::string table = QualifiedDigestTable();
  // Counting reads every history row: once per run that migrates, never in a no-op run.
  return "INSERT INTO " + table + " (version_table, digest, history_rows, history_max_id) SELECT " +
         QuoteLiteral(names_.version_table) + ", " + QuoteLiteral(digest) + ", counted.rows, " +
         NewestHistoryIdSql() + " FROM (SELECT count(*) AS rows FROM " + QualifiedHistoryTable() +
         " WHERE direction IN ('up', 'checksum')) counted WHERE counted.rows = " +
         std::to_string(expected_rows) +
         " ON CONFLICT (version_table) DO UPDATE SET digest = EXCLUDED.digest, history_rows = "
         "EXCLUDED.history_rows, history_max_id = EXCLUDED.history_max_id, written_at = now() "
         "WHERE " +
         table + ".history_max_id <= EXCLUDED.history_max_id";
}

std::string VersionStore::RecordDigestStatement(const std::string& digest,
                                                long long expected_rows) const {
  // The digest is a shortcut: failing to write it (a role that may not, a table someone
  // dropped) must not fail the migration whose transaction it rides in.
  return "DO $retort$ BEGIN " + DigestUpsertSql(digest, expected_rows) +
         "; EXCEPTION WHEN OTHERS THEN NULL; END $retort$";
}

std::string VersionStore::RecordDigestSql(const std::string& digest,
                                          long long expected_rows) const {
  // SHARE conflicts with the ROW EXCLUSIVE lock of every transaction that appended a history
  // row, so once it is granted the history holds only committed rows, and a row appended later
  // gets a higher id.
  return "BEGIN;\nSET LOCAL lock_timeout = '200ms';\nSET LOCAL synchronous_commit = off;\n"
         "LOCK TABLE " +
         QualifiedHistoryTable() + " IN SHARE MODE;\n" + DigestUpsertSql(digest, expected_rows) +
         ";\nCOMMIT;\n";
}

std::string VersionStore::ChecksumsSql(bool stored_hash) const {
  // The hash of the recorded text was stored with it, so comparing with the file needs neither
  // a transfer of every file's text nor the server hashing them all on every deploy. Rows an
  // older retort recorded have no stored hash: the server computes theirs; and a table it made
  // may not have the column yet (the next run that migrates adds it).
  // Every row, unsorted: the newest per revision is picked by ParseChecksums. A server-side
  // DISTINCT ON sorted the whole history on every deploy, most of a no-op `upgrade`'s server time.
  return "SELECT revision, checksum, coalesce(" +
         std::string(stored_hash ? "source_sha256, " : "") +
         "encode(sha256(convert_to(source, 'UTF8')), 'hex'), ''), id FROM " +
         QualifiedHistoryTable() + " WHERE direction IN ('up', 'checksum')";
}

Result<std::map<std::string, VersionStore::RecordedChecksum>> VersionStore::ParseChecksums(
    pg::PgOutcome<pg::PgResult> outcome, pg::Connection& connection, long long* rows_read) const {
  std::map<std::string, RecordedChecksum> checksums;
  if (!outcome.ok() && outcome.error.sqlstate == kUndefinedColumn) {
    outcome = connection.Execute(ChecksumsSql(false));
  }
  if (!outcome.ok()) {
    if (outcome.error.sqlstate == kUndefinedTable) return checksums;
    return outcome.error.ToStatus("cannot read " + QualifiedHistoryTable() + ": ");
  }
  // The newest row of each revision decides, also when it recorded no checksum.
  const pg::PgResult& rows = *outcome.value;
  std::unordered_map<std::string_view, std::pair<long long, int>> newest;  // id, row
  newest.reserve(static_cast<size_t>(rows.rows()));
  if (rows_read != nullptr) *rows_read = rows.rows();
  for (int i = 0; i < rows.rows(); ++i) {
    long long id = std::stoll(rows.Get(i, 3));
    auto [entry, added] = newest.try_emplace(rows.View(i, 0), id, i);
    if (!added && id > entry->second.first) entry->second = {id, i};
  }
  for (const auto& [revision, newest_row] : newest) {
    int i = newest_row.second;
    if (rows.IsNull(i, 1)) continue;
    checksums[std::string(revision)] = RecordedChecksum{rows.Get(i, 1), rows.Get(i, 2)};
  }
  return checksums;
}

Result<std::map<std::string, VersionStore::RecordedChecksum>> VersionStore::ReadChecksums(
    pg::Connection& connection, long long* rows_read) const {
  return ParseChecksums(connection.Execute(ChecksumsSql(true)), connection, rows_read);
}

Result<std::map<std::string, std::string>> VersionStore::ReadSources(
    pg::Connection& connection, const std::vector<std::string>& revisions) const {
  std::map<std::string, std::string> sources;
  if (revisions.empty()) return sources;
  auto outcome = connection.Execute("SELECT DISTINCT ON (revision) revision, source FROM " +
                                    QualifiedHistoryTable() +
                                    " WHERE direction IN ('up', 'checksum') AND revision IN (" +
                                    InList(revisions) + ") ORDER BY revision, id DESC");
  if (!outcome.ok()) {
    return outcome.error.ToStatus("cannot read " + QualifiedHistoryTable() + ": ");
  }
  for (int i = 0; i < outcome.value->rows(); ++i) {
    if (!outcome.value->IsNull(i, 1)) sources[outcome.value->Get(i, 0)] = outcome.value->Get(i, 1);
  }
  return sources;
}

std::string VersionStore::EnsureProgressTableSql() const {
  return "CREATE TABLE IF NOT EXISTS " + QualifiedProgressTable() +
         " (\n"
         "    revision varchar(32) NOT NULL,\n"
         "    direction text NOT NULL CHECK (direction IN ('up', 'down')),\n"
         "    statement integer NOT NULL,\n"
         "    statement_count integer NOT NULL,\n"
         "    fingerprint text NOT NULL,\n"
         "    status text NOT NULL,\n"
         "    error text,\n"
         "    finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
         "    batch_key_column text,\n"
         "    batch_key text,\n"
         "    batch_rows bigint,\n"
         "    running_pid integer,\n"
         "    running_since timestamptz,\n"
         "    prior_index text,\n"
         "    PRIMARY KEY (revision, direction, statement)\n"
         ");\n"
         // A table left partial by an older retort: before batching by key, and before "running"
         // rows (its CHECK allowed only done and failed).
         "ALTER TABLE " +
         QualifiedProgressTable() +
         " ADD COLUMN IF NOT EXISTS batch_key_column text, ADD COLUMN IF NOT EXISTS batch_key "
         "text, ADD COLUMN IF NOT EXISTS batch_rows bigint, ADD COLUMN IF NOT EXISTS running_pid "
         "integer, ADD COLUMN IF NOT EXISTS running_since timestamptz, ADD COLUMN IF NOT EXISTS "
         "prior_index text, DROP CONSTRAINT IF EXISTS " +
         QuoteIdentifier(names_.progress_table + "_status_check") + ";\n";
}

std::string VersionStore::RecordProgressSql(const ProgressRow& row) const {
  return "INSERT INTO " + QualifiedProgressTable() +
         " (revision, direction, statement, statement_count, fingerprint, status, error) VALUES (" +
         QuoteLiteral(row.revision) + ", " + QuoteLiteral(row.direction) + ", " +
         std::to_string(row.statement) + ", " + std::to_string(row.statement_count) + ", " +
         QuoteLiteral(row.fingerprint) + ", " + QuoteLiteral(row.status) + ", " +
         (row.error.empty() ? "NULL" : QuoteLiteral(row.error)) +
         ") ON CONFLICT (revision, direction, statement) DO UPDATE SET statement_count = "
         "EXCLUDED.statement_count, fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, "
         "error = EXCLUDED.error, finished_at = clock_timestamp(), running_pid = NULL, "
         "running_since = NULL, prior_index = NULL;\n";
}

std::string VersionStore::RecordRunningSql(const ProgressRow& row,
                                           const std::string& prior_index_sql) const {
  return "INSERT INTO " + QualifiedProgressTable() +
         " (revision, direction, statement, statement_count, fingerprint, status, running_pid, "
         "running_since, prior_index) SELECT " +
         QuoteLiteral(row.revision) + ", " + QuoteLiteral(row.direction) + ", " +
         std::to_string(row.statement) + ", " + std::to_string(row.statement_count) + ", " +
         QuoteLiteral(row.fingerprint) + ", 'running', pid, backend_start, " +
         (prior_index_sql.empty() ? "NULL" : prior_index_sql) +
         " FROM pg_stat_activity WHERE pid = pg_backend_pid() "
         "ON CONFLICT (revision, direction, statement) DO UPDATE SET statement_count = "
         "EXCLUDED.statement_count, fingerprint = EXCLUDED.fingerprint, status = 'running', "
         "error = NULL, finished_at = clock_timestamp(), running_pid = EXCLUDED.running_pid, "
         "running_since = EXCLUDED.running_since, prior_index = EXCLUDED.prior_index;\n";
}

std::string VersionStore::RefuseDoneSql(const std::string& revision, const std::string& direction,
                                        int statement) const {
  return "DO $retort$ BEGIN IF EXISTS (SELECT FROM " + QualifiedProgressTable() +
         " WHERE revision = " + QuoteLiteral(revision) +
         " AND direction = " + QuoteLiteral(direction) +
         " AND statement = " + std::to_string(statement) +
         " AND status = 'done') THEN RAISE EXCEPTION 'retort: statement % of % was applied by "
         "another session', " +
         std::to_string(statement) + ", " + QuoteLiteral(revision) + " USING ERRCODE = '" +
         kAppliedElsewhere + "'; END IF; END $retort$;\n";
}

std::string VersionStore::RecordBatchProgressSql(const ProgressRow& row) const {
  return "INSERT INTO " + QualifiedProgressTable() +
         " (revision, direction, statement, statement_count, fingerprint, status, error, "
         "batch_key_column, batch_key, batch_rows) VALUES (" +
         QuoteLiteral(row.revision) + ", " + QuoteLiteral(row.direction) + ", " +
         std::to_string(row.statement) + ", " + std::to_string(row.statement_count) + ", " +
         QuoteLiteral(row.fingerprint) + ", 'failed', " + QuoteLiteral(row.error) + ", " +
         QuoteLiteral(row.batch_key_column) + ", " + QuoteLiteral(row.batch_key) + ", " +
         std::to_string(row.batch_rows) +
         ") ON CONFLICT (revision, direction, statement) DO UPDATE SET statement_count = "
         "EXCLUDED.statement_count, fingerprint = EXCLUDED.fingerprint, status = EXCLUDED.status, "
         "error = EXCLUDED.error, batch_key_column = EXCLUDED.batch_key_column, batch_key = "
         "EXCLUDED.batch_key, batch_rows = EXCLUDED.batch_rows, finished_at = "
         "clock_timestamp();\n";
}

std::string VersionStore::ClearProgressSql(const std::string& revision,
                                           const std::string& direction) const {
  std::string table = QualifiedProgressTable();
  return "DO $retort$ BEGIN IF to_regclass(" + QuoteLiteral(table) +
         ") IS NOT NULL THEN DELETE FROM " + table + " WHERE revision = " + QuoteLiteral(revision) +
         " AND direction = " + QuoteLiteral(direction) + "; IF NOT EXISTS (SELECT FROM " + table +
         ") THEN DROP TABLE " + table + "; END IF; END IF; END $retort$;\n";
}

std::string VersionStore::DropProgressSql() const {
  return "DROP TABLE IF EXISTS " + QualifiedProgressTable() + ";\n";
}

std::string VersionStore::ProgressSql() const {
  return "SELECT revision, direction, statement, statement_count, fingerprint, status, "
         "coalesce(error, ''), to_char(finished_at AT TIME ZONE 'UTC', "
         "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
         // Through jsonb: a table made by an older retort has no batch columns.
         "coalesce(to_jsonb(p) ->> 'batch_key_column', ''), coalesce(to_jsonb(p) ->> 'batch_key', "
         "''), coalesce(to_jsonb(p) ->> 'batch_rows', '0'), coalesce(to_jsonb(p) ->> "
         "'running_pid', '0'), coalesce(to_jsonb(p) ->> 'running_since', ''), coalesce(to_jsonb(p) "
         "->> 'prior_index', '') FROM " +
         QualifiedProgressTable() + " p ORDER BY revision, direction, statement";
}

Result<std::vector<ProgressRow>> VersionStore::ParseProgress(
    const pg::PgOutcome<pg::PgResult>& outcome) const {
  std::vector<ProgressRow> rows;
  if (!outcome.ok()) {
    if (outcome.error.sqlstate == kUndefinedTable) return rows;
    return outcome.error.ToStatus("cannot read " + QualifiedProgressTable() + ": ");
  }
  const pg::PgResult& result = *outcome.value;
  for (int i = 0; i < result.rows(); ++i) {
    rows.push_back(ProgressRow{
        result.Get(i, 0), result.Get(i, 1), std::atoi(result.Get(i, 2).c_str()),
        std::atoi(result.Get(i, 3).c_str()), result.Get(i, 4), result.Get(i, 5), result.Get(i, 6),
        result.Get(i, 7), result.Get(i, 8), result.Get(i, 9), std::atol(result.Get(i, 10).c_str()),
        std::atoi(result.Get(i, 11).c_str()), result.Get(i, 12), result.Get(i, 13)});
  }
  return rows;
}

Result<std::vector<ProgressRow>> VersionStore::ReadProgress(pg::Connection& connection) const {
  return ParseProgress(connection.Execute(ProgressSql()));
}

std::string VersionStore::RowsSql() const {
  return "SELECT version_num FROM " + QualifiedVersionTable() + " ORDER BY 1";
}

Result<std::vector<std::string>> VersionStore::ParseRows(
    const pg::PgOutcome<pg::PgResult>& outcome) const {
  std::vector<std::string> rows;
  if (!outcome.ok()) {
    if (outcome.error.sqlstate == kUndefinedTable) return rows;
    return outcome.error.ToStatus("cannot read " + QualifiedVersionTable() + ": ");
  }
  for (int i = 0; i < outcome.value->rows(); ++i) rows.push_back(outcome.value->Get(i, 0));
  return rows;
}

Result<std::vector<std::string>> VersionStore::ReadRows(pg::Connection& connection) const {
  return ParseRows(connection.Execute(RowsSql()));
}

Result<VersionStore::RecordedState> VersionStore::ReadState(pg::Connection& connection,
                                                            StateParts parts) const {
  std::vector<std::string> queries = {RowsSql()};
  if (parts.checksums) queries.push_back(ChecksumsSql(true));
  if (parts.digest) queries.push_back(DigestSql());
  if (parts.progress) queries.push_back(ProgressSql());
  std::vector<pg::PgOutcome<pg::PgResult>> outcomes = connection.ExecuteEach(queries);
  RecordedState state;
  size_t next = 0;
  RETORT_ASSIGN_OR_RETURN(state.rows, ParseRows(outcomes[next++]));
  if (parts.checksums) {
    RETORT_ASSIGN_OR_RETURN(state.checksums, ParseChecksums(std::move(outcomes[next++]), connection,
                                                            &state.checksum_rows));
  }
  if (parts.digest) state.digest = ParseDigest(outcomes[next++]);
  if (parts.progress) {
    RETORT_ASSIGN_OR_RETURN(state.progress, ParseProgress(outcomes[next++]));
  }
  return state;
}

Result<std::vector<HistoryEntry>> VersionStore::ReadHistory(pg::Connection& connection,
                                                            int limit) const {
  auto outcome = connection.Execute(
      "SELECT revision, direction, to_char(started_at AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), to_char(finished_at AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), duration_ms, coalesce(checksum, ''), tool_version, "
      "db_user FROM " +
      QualifiedHistoryTable() + " ORDER BY id DESC LIMIT " + std::to_string(limit));
  std::vector<HistoryEntry> entries;
  if (!outcome.ok()) {
    if (outcome.error.sqlstate == kUndefinedTable) return entries;
    return outcome.error.ToStatus("cannot read " + QualifiedHistoryTable() + ": ");
  }
  const pg::PgResult& result = *outcome.value;
  for (int i = 0; i < result.rows(); ++i) {
    entries.push_back(HistoryEntry{result.Get(i, 0), result.Get(i, 1), result.Get(i, 2),
                                   result.Get(i, 3), std::atof(result.Get(i, 4).c_str()),
                                   result.Get(i, 5), result.Get(i, 6), result.Get(i, 7)});
  }
  return entries;
}

}  // namespace retort::history
