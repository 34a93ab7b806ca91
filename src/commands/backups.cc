// backups list / restore / prune: the rows that migrations destroyed, kept by the executor in
// the backup schema (executor/backup.h, docs/formats.md "Backups").
#include <map>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "commands/commands.h"
#include "executor/backup.h"

namespace retort::commands {

namespace {

using nlohmann::json;

constexpr char kInvalidInterval[] = "22007";  // invalid_datetime_format
constexpr char kBadInterval[] = "22008";      // datetime_field_overflow

std::string Registry(const config::Config& config) {
  return executor::QualifiedBackupRegistry(config.backup_schema);
}

std::string BackupTable(const config::Config& config, const BackupInfo& backup) {
  return QuoteIdentifier(config.backup_schema) + "." + QuoteIdentifier(backup.backup_table);
}

std::string TargetTable(const BackupInfo& backup) {
  return QuoteIdentifier(backup.schema) + "." + QuoteIdentifier(backup.table);
}

Result<bool> RegistryExists(const config::Config& config, pg::Connection& connection) {
  RETORT_ASSIGN_OR_RETURN(
      pg::PgResult found,
      connection.QueryParams("SELECT to_regclass($1) IS NOT NULL", {Registry(config)}));
  return found.Get(0, 0) == "t";
}

std::string SelectBackups(const config::Config& config, const std::string& where) {
  return "SELECT id, revision, direction, kind, schema_name, table_name, "
         "coalesce(column_name, ''), array_to_json(key_columns)::text, backup_table, rows, "
         "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
         "coalesce(to_char(restored_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '') "
         "FROM " +
         Registry(config) + " " + where + " ORDER BY id DESC";
}

std::vector<BackupInfo> ToBackups(const pg::PgResult& result) {
  std::vector<BackupInfo> backups;
  for (int i = 0; i < result.rows(); ++i) {
    BackupInfo backup;
    backup.id = std::atoll(result.Get(i, 0).c_str());
    backup.revision = result.Get(i, 1);
    backup.direction = result.Get(i, 2);
    backup.kind = result.Get(i, 3);
    backup.schema = result.Get(i, 4);
    backup.table = result.Get(i, 5);
    backup.column = result.Get(i, 6);
    json keys = json::parse(result.Get(i, 7), nullptr, /*allow_exceptions=*/false);
    if (keys.is_array()) {
      for (const json& key : keys) {
        if (key.is_string()) backup.key_columns.push_back(key.get<std::string>());
      }
    }
    backup.backup_table = result.Get(i, 8);
    backup.rows = std::atoll(result.Get(i, 9).c_str());
    backup.created_at = result.Get(i, 10);
    backup.restored_at = result.Get(i, 11);
    backups.push_back(std::move(backup));
  }
  return backups;
}

std::string Describe(const BackupInfo& backup) {
  std::string object = backup.schema + "." + backup.table;
  if (!backup.column.empty()) object += "." + backup.column;
  return "backup " + std::to_string(backup.id) + " (" + backup.kind + " " + object + ", revision " +
         backup.revision + " " + backup.direction + ")";
}

// Runs `sql` and returns the rows it affected.
Result<long long> Execute(pg::Connection& connection, const std::string& sql) {
  auto outcome = connection.Execute(sql);
  if (!outcome.ok()) return outcome.error.ToStatus();
  return static_cast<long long>(outcome.value->AffectedRows());
}

Result<long long> RestoreColumn(const config::Config& config, pg::Connection& connection,
                                const BackupInfo& backup, const std::string& why_missing) {
  std::string target = TargetTable(backup);
  if (backup.key_columns.empty()) {
    return Status::Failed(Describe(backup) +
                          ": the table had no primary key when the column was dropped, so its "
                          "values cannot be matched to rows; " +
                          BackupTable(config, backup) + " holds the whole rows");
  }
  std::vector<std::string> needed = backup.key_columns;
  needed.push_back(backup.column);
  std::map<std::string, std::string> types;  // column -> its type in the table as it is now
  for (const std::string& column : needed) {
    RETORT_ASSIGN_OR_RETURN(
        pg::PgResult found,
        connection.QueryParams("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE "
                               "attrelid = to_regclass($1) AND attname = $2 AND attnum > 0 AND "
                               "NOT attisdropped",
                               {target, column}));
    if (found.rows() == 0) {
      return Status::Failed(Describe(backup) + ": column " + backup.schema + "." + backup.table +
                            "." + column + " does not exist; " + why_missing);
    }
    types[column] = found.Get(0, 0);
  }
  // Backups keep user-defined types as text (executor/backup.cc): cast to the column's type.
  auto from_backup = [&](const std::string& column) {
    return "backup." + QuoteIdentifier(column) + "::" + types.at(column);
  };
  std::string match;
  for (const std::string& key : backup.key_columns) {
    if (!match.empty()) match += " AND ";
    match += "target." + QuoteIdentifier(key) + " = " + from_backup(key);
  }
  return Execute(connection, "UPDATE " + target + " AS target SET " +
                                 QuoteIdentifier(backup.column) + " = " +
                                 from_backup(backup.column) + " FROM " +
                                 BackupTable(config, backup) + " AS backup WHERE " + match);
}

Result<long long> RestoreRows(const config::Config& config, pg::Connection& connection,
                              const BackupInfo& backup) {
  std::string target = TargetTable(backup);
  // The backup's columns that the table (as it is now) can take: generated columns compute
  // themselves, and columns added since keep their defaults.
  RETORT_ASSIGN_OR_RETURN(
      pg::PgResult columns,
      connection.QueryParams(
          "SELECT quote_ident(b.attname), pg_get_serial_sequence($2, b.attname), "
          "format_type(t.atttypid, t.atttypmod) FROM pg_attribute b JOIN pg_attribute t ON "
          "t.attrelid = to_regclass($2) AND t.attname = b.attname AND t.attnum > 0 AND NOT "
          "t.attisdropped AND t.attgenerated = '' WHERE b.attrelid = to_regclass($1) AND "
          "b.attnum > 0 AND NOT b.attisdropped ORDER BY b.attnum",
          {BackupTable(config, backup), target}));
  if (columns.rows() == 0) {
    return Status::Failed(Describe(backup) + ": " + target +
                          " has none of the backup's columns any more");
  }
  std::vector<std::string> names;
  std::vector<std::string> values;  // cast: backups keep user-defined types as text
  for (int i = 0; i < columns.rows(); ++i) {
    names.push_back(columns.Get(i, 0));
    values.push_back(columns.Get(i, 0) + "::" + columns.Get(i, 2));
  }
  RETORT_ASSIGN_OR_RETURN(
      long long inserted,
      Execute(connection, "INSERT INTO " + target + " (" + Join(names, ", ") +
                              ") OVERRIDING SYSTEM VALUE SELECT " + Join(values, ", ") + " FROM " +
                              BackupTable(config, backup) + " ON CONFLICT DO NOTHING"));
  // Serial and identity columns: move their sequences past the restored values, so the next
  // insert does not collide with them.
  for (int i = 0; i < columns.rows(); ++i) {
    if (columns.IsNull(i, 1)) continue;
    std::string sequence = QuoteLiteral(columns.Get(i, 1));
    RETORT_RETURN_IF_ERROR(
        Execute(connection, "SELECT setval(" + sequence + ", m) FROM (SELECT max(" +
                                columns.Get(i, 0) + ") AS m FROM " + target +
                                ") AS restored WHERE m > (SELECT last_value FROM " +
                                columns.Get(i, 1) + ")")
            .status());
  }
  return inserted;
}

}  // namespace

Result<std::vector<BackupInfo>> ListBackups(const config::Config& config) {
  std::string conninfo;
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
  RETORT_ASSIGN_OR_RETURN(bool exists, RegistryExists(config, connection));
  if (!exists) return std::vector<BackupInfo>{};
  RETORT_ASSIGN_OR_RETURN(pg::PgResult result, connection.Query(SelectBackups(config, "")));
  return ToBackups(result);
}

Result<RestoreReport> RestoreBackup(const config::Config& config, long long id) {
  std::string conninfo;
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
  RETORT_ASSIGN_OR_RETURN(bool exists, RegistryExists(config, connection));
  std::string unknown =
      "no backup with id " + std::to_string(id) + " (`retort backups list` shows the backups)";
  if (!exists) return Status::InvalidInput(unknown);
  RETORT_ASSIGN_OR_RETURN(pg::PgResult found, connection.Query(SelectBackups(
                                                  config, "WHERE id = " + std::to_string(id))));
  std::vector<BackupInfo> backups = ToBackups(found);
  if (backups.empty()) return Status::InvalidInput(unknown);
  RestoreReport report;
  report.backup = backups.front();
  const BackupInfo& backup = report.backup;

  RETORT_ASSIGN_OR_RETURN(
      pg::PgResult tables,
      connection.QueryParams("SELECT to_regclass($1) IS NOT NULL, to_regclass($2) IS NOT NULL",
                             {BackupTable(config, backup), TargetTable(backup)}));
  if (tables.Get(0, 0) != "t") {
    return Status::Failed(Describe(backup) + ": its table " + BackupTable(config, backup) +
                          " is gone");
  }
  std::string why_missing = "bring it back first (e.g. `retort downgrade` to before revision " +
                            backup.revision + (backup.direction == "up" ? "" : ", or upgrade") +
                            "), then restore again";
  if (tables.Get(0, 1) != "t") {
    return Status::Failed(Describe(backup) + ": table " + backup.schema + "." + backup.table +
                          " does not exist; " + why_missing);
  }

  auto begun = connection.Execute("BEGIN");
  if (!begun.ok()) return begun.error.ToStatus();
  if (config.lock_timeout != "0" && !config.lock_timeout.empty()) {
    (void)connection.Execute("SET LOCAL lock_timeout = " + QuoteLiteral(config.lock_timeout));
  }
  Result<long long> restored = backup.kind == "column"
                                   ? RestoreColumn(config, connection, backup, why_missing)
                                   : RestoreRows(config, connection, backup);
  if (!restored.ok()) {
    (void)connection.Execute("ROLLBACK");
    return restored.status();
  }
  auto committed =
      connection.Execute("UPDATE " + Registry(config) +
                         " SET restored_at = now() WHERE id = " + std::to_string(id) + ";\nCOMMIT");
  if (!committed.ok()) {
    (void)connection.Execute("ROLLBACK");
    return committed.error.ToStatus(Describe(backup) + ": ");
  }
  report.restored = *restored;
  if (backup.kind == "column") {
    report.summary = "restored " + std::to_string(report.restored) + " of " +
                     std::to_string(backup.rows) + " values of " + backup.schema + "." +
                     backup.table + "." + backup.column + " (matched by " +
                     Join(backup.key_columns, ", ") + ")";
  } else {
    report.summary = "restored " + std::to_string(report.restored) + " of " +
                     std::to_string(backup.rows) + " rows into " + backup.schema + "." +
                     backup.table;
    if (report.restored < backup.rows) {
      report.summary +=
          " (" + std::to_string(backup.rows - report.restored) + " were already there: same key)";
    }
  }
  return report;
}

Result<std::vector<BackupInfo>> PruneBackups(const config::Config& config,
                                             const std::string& older_than) {
  std::string conninfo;
  RETORT_ASSIGN_OR_RETURN(pg::Connection connection, ConnectToDatabase(config, &conninfo));
  auto interval = connection.ExecuteParams("SELECT $1::interval", {older_than});
  if (!interval.ok()) {
    if (interval.error.sqlstate == kInvalidInterval || interval.error.sqlstate == kBadInterval) {
      return Status::InvalidInput("--older-than " + QuoteLiteral(older_than) +
                                  " is not an interval (like 30d, 12h, \"2 weeks\")");
    }
    return interval.error.ToStatus();
  }
  RETORT_ASSIGN_OR_RETURN(bool exists, RegistryExists(config, connection));
  if (!exists) return std::vector<BackupInfo>{};
  auto begun = connection.Execute("BEGIN");
  if (!begun.ok()) return begun.error.ToStatus();
  auto old = connection.ExecuteParams(
      SelectBackups(config, "WHERE created_at < now() - $1::interval") + " FOR UPDATE",
      {older_than});
  if (!old.ok()) {
    (void)connection.Execute("ROLLBACK");
    return old.error.ToStatus();
  }
  std::vector<BackupInfo> pruned = ToBackups(*old.value);
  std::string sql;
  for (const BackupInfo& backup : pruned) {
    sql += "DROP TABLE IF EXISTS " + BackupTable(config, backup) + ";\nDELETE FROM " +
           Registry(config) + " WHERE id = " + std::to_string(backup.id) + ";\n";
  }
  auto done = connection.Execute(sql + "COMMIT");
  if (!done.ok()) {
    (void)connection.Execute("ROLLBACK");
    return done.error.ToStatus();
  }
  return pruned;
}

}  // namespace retort::commands
