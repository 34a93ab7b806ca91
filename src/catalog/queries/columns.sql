-- Every column of every user table, partition, composite type, view and materialized view,
-- keyed by relid (retort orders them by attnum); retort keeps those of the relations the other queries listed
-- (so this query needs no schema or extension filter) and decides itself which columns of a
-- partition or inheritance child are worth listing. Also the columns of indexes that carry
-- opclass options (attoptions), so retort knows to leave those indexes to pg_get_indexdef.
-- Column privileges (attacl) as the grants of tables.sql.
-- Types and expressions are printed by deparse.sql once per distinct value, not per column:
-- format_type for each distinct (type_oid, type_modifier); expression_tree is the raw node
-- tree of the default (generated = '') or generation expression (generated = 's').
SELECT a.attrelid AS relid,
       a.attnum,
       a.attname AS name,
       a.atttypid AS type_oid,
       a.atttypmod AS type_modifier,
       -- Nine one-letter codes in one field (a result holds 16 bytes per field and row, and at
       -- 10,000 tables this result has 100,000 rows): typtype, typcategory, attnotnull (t/f),
       -- attidentity, attgenerated (a space for none), attislocal (t/f), attstorage,
       -- typstorage, attcompression (a space for none).
       t.typtype::text || t.typcategory::text || CASE WHEN a.attnotnull THEN 't' ELSE 'f' END
         || coalesce(nullif(a.attidentity::text, ''), ' ')
         || coalesce(nullif(a.attgenerated::text, ''), ' ')
         || CASE WHEN a.attislocal THEN 't' ELSE 'f' END
         || a.attstorage::text || t.typstorage::text
         || coalesce(nullif(a.attcompression::text, ''), ' ') AS flags,
       a.attcollation AS collation_oid,
       -- A join, not a subquery per row: the subquery's plan cost 20% of this query.
       CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
            ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation,
       a.attinhcount AS inherited_count,
       ad.oid AS attrdef_oid,
       ad.adbin::text AS expression_tree,
       d.description AS comment,
       CASE WHEN a.attacl IS NOT NULL THEN
         ARRAY(SELECT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END
               FROM aclexplode(a.attacl) g WHERE g.grantee <> c.relowner
               GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type)
       END AS grant_grantees,
       CASE WHEN a.attacl IS NOT NULL THEN
         ARRAY(SELECT g.privilege_type
               FROM aclexplode(a.attacl) g WHERE g.grantee <> c.relowner
               GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type)
       END AS grant_privileges,
       CASE WHEN a.attacl IS NOT NULL THEN
         ARRAY(SELECT bool_or(g.is_grantable)
               FROM aclexplode(a.attacl) g WHERE g.grantee <> c.relowner
               GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type)
       END AS grant_options,
       -- What the model does not carry of a table's or materialized view's column, for the
       -- unmodelled objects (kind 'column setting'): tables' storage and compression are
       -- modelled, a materialized view's are not.
       CASE WHEN c.relkind IN ('r', 'p', 'm')
                 AND (a.attstattarget >= 0 OR a.attoptions IS NOT NULL
                      OR (c.relkind = 'm' AND (a.attstorage <> t.typstorage
                                               OR a.attcompression <> ''))) THEN
         concat_ws(' ',
                   CASE WHEN c.relkind = 'm' AND a.attstorage <> t.typstorage THEN
                        'STORAGE ' || CASE a.attstorage
                        WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN'
                        ELSE 'EXTENDED' END END,
                   CASE WHEN c.relkind = 'm' THEN CASE a.attcompression
                        WHEN 'p' THEN 'COMPRESSION pglz' WHEN 'l' THEN 'COMPRESSION lz4' END END,
                   CASE WHEN a.attstattarget >= 0 THEN 'STATISTICS ' || a.attstattarget END,
                   'OPTIONS ' || a.attoptions::text)
       END AS setting
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN (pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace)
       ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE c.oid >= 16384 AND a.attnum > 0 AND NOT a.attisdropped
  AND (c.relkind IN ('r', 'p', 'c', 'v', 'm')
       OR (c.relkind IN ('i', 'I') AND a.attoptions IS NOT NULL));
