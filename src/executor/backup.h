// Backups before destruction: the SQL that copies the rows a statement is about to destroy
// (DROP TABLE, DROP COLUMN, TRUNCATE, DELETE without WHERE) into the backup schema and records
// them in its registry table. The SQL runs in the migration's own transaction (or, for a
// migration outside a transaction, in one of its own right before the statement), so a
// rolled-back migration leaves no backup and a committed one always has its backup.
// The tables are described in docs/formats.md ("Backups").
#pragma once

#include <string>

#include "sqltext/classify.h"

namespace retort::executor {

// Where a backup comes from, for the registry row.
struct BackupOrigin {
  std::string revision;
  std::string direction;  // "up" or "down"
};

// `retort_backup.backups`, qualified and quoted.
std::string QualifiedBackupRegistry(const std::string& backup_schema);

// Creates the backup schema and its registry table if missing.
std::string EnsureBackupRegistrySql(const std::string& backup_schema);

// A DO block that copies what `destroyed` names into a new table of `backup_schema` and
// records it; it does nothing when the object does not exist (`DROP ... IF EXISTS`). The
// backup table is named "<revision>_<table>" or "<revision>_<table>_<column>" (cut to fit 63
// bytes), with "_<id>" appended when that name is taken. A dropped column is kept with the
// table's primary key columns (the whole row when the table has no primary key).
std::string BackupSql(const sqltext::DestroyedData& destroyed, const BackupOrigin& origin,
                      const std::string& backup_schema);

// "table", "column", "truncate" or "delete": the registry's `kind`.
const char* BackupKindName(sqltext::Destruction kind);

}  // namespace retort::executor
