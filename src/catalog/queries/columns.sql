-- Every column of every user table, partition, composite type, view and materialized view,
-- keyed by relid (retort orders them by attnum); retort keeps those of the relations the other queries listed
-- (so this query needs no schema or extension filter) and decides itself which columns of a
-- partition or inheritance child are worth listing. Also the columns of indexes that carry
-- opclass options (attoptions), so retort knows to leave those indexes to pg_get_indexdef.
-- This is the largest result and the one the others wait for, so it holds pg_attribute's own
-- fields only: joins cost more than the rows they join. What the column's type says
-- (column_types.sql), comments (column_comments.sql), defaults and generation expressions
-- (column_defaults.sql) come from queries that run beside it, and what few columns have
-- (has_extras: privileges, settings) from column_extras.sql afterwards. Types are printed by
-- deparse.sql once per distinct (type_oid, type_modifier), collation names once per collation.
SELECT a.attrelid AS relid,
       a.attnum,
       a.attname AS name,
       a.atttypid AS type_oid,
       a.atttypmod AS type_modifier,
       a.attnotnull AS not_null,
       a.attidentity AS identity,
       a.attgenerated AS generated,
       a.attislocal AS is_local,
       a.attstorage AS storage,
       a.attcompression AS compression,
       a.attcollation AS collation_oid,
       a.attinhcount AS inherited_count,
       -- What column_extras.sql reads: column privileges, and what the model does not carry
       -- of a table's or materialized view's column (a materialized view's storage and
       -- compression, which only the type's storage tells apart from its defaults).
       a.attacl IS NOT NULL OR c.relkind = 'm'
         OR (c.relkind IN ('r', 'p') AND (a.attstattarget >= 0 OR a.attoptions IS NOT NULL))
         AS has_extras
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
WHERE c.oid >= 16384 AND a.attnum > 0 AND NOT a.attisdropped
  AND (c.relkind IN ('r', 'p', 'c', 'v', 'm')
       OR (c.relkind IN ('i', 'I') AND a.attoptions IS NOT NULL));
