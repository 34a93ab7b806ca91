-- Enums (labels in enumsortorder), domains (with their named constraints, ordered by name) and
-- free-standing composite types (their attributes come from columns.sql, keyed by relid).
-- Row types of tables and views, array types and base types are not listed; array_oid is the
-- type's array type, so that a dependency on it counts as one on the type.
SELECT t.oid,
       n.nspname AS schema,
       t.typname AS name,
       t.typtype AS kind,
       el.labels AS enum_labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN
         CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
              ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
       END AS collation,
       pg_get_expr(t.typdefaultbin, 0) AS default_expr,
       t.typnotnull AS not_null,
       dc.names AS constraint_names,
       dc.definitions AS constraint_definitions,
       dc.comments AS constraint_comments,
       t.typrelid AS composite_relid,
       t.typarray AS array_oid,
       d.description AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
LEFT JOIN pg_collation co ON co.oid = t.typcollation
LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
LEFT JOIN (SELECT l.enumtypid, array_agg(l.enumlabel ORDER BY l.enumsortorder) AS labels
           FROM pg_enum l GROUP BY l.enumtypid) el ON el.enumtypid = t.oid
LEFT JOIN (SELECT c.contypid,
                  array_agg(c.conname ORDER BY c.conname) AS names,
                  array_agg(pg_get_constraintdef(c.oid) ORDER BY c.conname) AS definitions,
                  array_agg(cd.description ORDER BY c.conname) AS comments
           FROM pg_constraint c
           LEFT JOIN pg_description cd
                  ON cd.objoid = c.oid AND cd.classoid = 'pg_constraint'::regclass
           WHERE c.contypid <> 0
           GROUP BY c.contypid) dc ON dc.contypid = t.oid
LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
WHERE t.oid >= 16384
  AND (t.typtype IN ('e', 'd')
       OR (t.typtype = 'c' AND t.typrelid IN (SELECT oid FROM pg_class WHERE relkind = 'c')))
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND t.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_type'::regclass AND e.deptype = 'e');
