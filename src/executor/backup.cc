#include "executor/backup.h"

#include "base/strings.h"

namespace retort::executor {

const char* BackupKindName(sqltext::Destruction kind) {
  switch (kind) {
    case sqltext::Destruction::kDropTable:
      return "table";
    case sqltext::Destruction::kDropColumn:
      return "column";
    case sqltext::Destruction::kTruncate:
      return "truncate";
    case sqltext::Destruction::kDeleteAll:
      return "delete";
  }
  return "table";
}

std::string QualifiedBackupRegistry(const std::string& backup_schema) {
  return QuoteIdentifier(backup_schema) + ".backups";
}

std::string EnsureBackupRegistrySql(const std::string& backup_schema) {
  return "CREATE SCHEMA IF NOT EXISTS " + QuoteIdentifier(backup_schema) +
         ";\n"
         "CREATE TABLE IF NOT EXISTS " +
         QualifiedBackupRegistry(backup_schema) +
         " (\n"
         "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
         "    revision varchar(32) NOT NULL,\n"
         "    direction text NOT NULL,\n"
         "    kind text NOT NULL CHECK (kind IN ('table', 'column', 'truncate', 'delete')),\n"
         "    schema_name text NOT NULL,\n"
         "    table_name text NOT NULL,\n"
         "    column_name text,\n"
         "    key_columns text[] NOT NULL DEFAULT '{}',\n"
         "    backup_table text NOT NULL,\n"
         "    rows bigint NOT NULL,\n"
         "    created_at timestamptz NOT NULL DEFAULT now(),\n"
         "    restored_at timestamptz\n"
         ");\n";
}

std::string BackupSql(const sqltext::DestroyedData& destroyed, const BackupOrigin& origin,
                      const std::string& backup_schema) {
  bool is_column = destroyed.kind == sqltext::Destruction::kDropColumn;
  std::string registry = QualifiedBackupRegistry(backup_schema);
  std::string column = QuoteLiteral(destroyed.column);
  // Columns of types outside pg_catalog (enums, domains, composites, extension types) are kept
  // as text: a backup table must not depend on anything, or it would block a later DROP TYPE or
  // DROP EXTENSION. Restore casts them back.
  std::string sql =
      "DO $retort$\n"
      "DECLARE\n"
      "  source regclass := to_regclass(" +
      QuoteLiteral(destroyed.table.Qualified()) +
      ");\n"
      "  source_schema text;\n"
      "  source_table text;\n"
      "  keys text[] := '{}';\n"
      "  wanted text[];\n"
      "  copied_columns text;\n"
      "  backup_id bigint;\n"
      "  backup_name text;\n"
      "  copied bigint;\n"
      "BEGIN\n"
      "  IF source IS NULL THEN RETURN; END IF;\n"
      "  SELECT n.nspname, c.relname INTO source_schema, source_table FROM pg_class c\n"
      "    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = source;\n";
  if (is_column) {
    sql += "  IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = source AND attname = " +
           column +
           " AND attnum > 0 AND NOT attisdropped) THEN RETURN; END IF;\n"
           "  SELECT coalesce(array_agg(a.attname::text ORDER BY k.ord), '{}') INTO keys\n"
           "    FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, "
           "ord)\n"
           "    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum\n"
           "    WHERE i.indrelid = source AND i.indisprimary;\n"
           "  IF keys <> '{}' THEN wanted := keys || " +
           column + "::text; END IF;\n";
  }
  sql +=
      "  SELECT string_agg(CASE WHEN t.typnamespace = 'pg_catalog'::regnamespace\n"
      "      THEN quote_ident(a.attname)\n"
      "      ELSE quote_ident(a.attname) || '::text AS ' || quote_ident(a.attname) END,\n"
      "      ', ' ORDER BY a.attnum) INTO copied_columns\n"
      "    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid\n"
      "    WHERE a.attrelid = source AND a.attnum > 0 AND NOT a.attisdropped\n"
      "      AND (wanted IS NULL OR a.attname = ANY (wanted));\n"
      "  INSERT INTO " +
      registry +
      " (revision, direction, kind, schema_name, table_name, column_name, key_columns,\n"
      "      backup_table, rows)\n"
      "    VALUES (" +
      QuoteLiteral(origin.revision) + ", " + QuoteLiteral(origin.direction) + ", " +
      QuoteLiteral(BackupKindName(destroyed.kind)) + ", source_schema, source_table, " +
      (is_column ? column : "NULL") +
      ", keys, '', 0)\n"
      "    RETURNING id INTO backup_id;\n"
      "  backup_name := left(" +
      QuoteLiteral(origin.revision + "_") + " || source_table" +
      (is_column ? " || '_' || " + column : "") +
      ", 48);\n"
      "  IF to_regclass(format('%I.%I', " +
      QuoteLiteral(backup_schema) +
      ", backup_name)) IS NOT NULL THEN\n"
      "    backup_name := backup_name || '_' || backup_id;\n"
      "  END IF;\n"
      "  EXECUTE format('CREATE TABLE %I.%I AS SELECT %s FROM " +
      (destroyed.only ? std::string("ONLY ") : std::string()) + "%I.%I', " +
      QuoteLiteral(backup_schema) +
      ", backup_name, copied_columns, source_schema, source_table);\n"
      "  GET DIAGNOSTICS copied = ROW_COUNT;\n"
      "  UPDATE " +
      registry +
      " SET backup_table = backup_name, rows = copied WHERE id = backup_id;\n"
      "END $retort$;\n";
  return sql;
}

}  // namespace retort::executor
