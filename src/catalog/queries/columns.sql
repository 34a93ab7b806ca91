-- Every column of every user table, partition, composite type, view and materialized view, in
-- attnum order, keyed by relid; retort keeps those of the relations the other queries listed
-- (so this query needs no schema or extension filter), and decides itself which columns of a
-- partition or inheritance child are worth listing. quoted_name is quote_ident(name), for
-- the index and constraint definitions retort prints.
-- A default cannot reference columns, so it is printed without opening the table
-- (pg_get_expr with relation 0, which is much cheaper). A generation expression does
-- reference columns: generated_tree is its raw node tree, printed later (deparse.sql) once per
-- distinct tree.
SELECT a.attrelid AS relid,
       a.attnum,
       a.attname AS name,
       quote_ident(a.attname) AS quoted_name,
       a.atttypid AS type_oid,
       format_type(a.atttypid, a.atttypmod) AS type,
       t.typtype AS type_kind,
       t.typcategory AS type_category,
       a.attcollation AS collation_oid,
       CASE WHEN a.attcollation <> t.typcollation THEN
         (SELECT CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
          FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
          WHERE co.oid = a.attcollation)
       END AS collation,
       a.attnotnull AS not_null,
       a.attidentity AS identity,
       a.attgenerated AS generated,
       a.attislocal AS is_local,
       a.attinhcount AS inherited_count,
       ad.oid AS attrdef_oid,
       CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END AS default_expr,
       CASE WHEN a.attgenerated <> '' THEN ad.adbin::text END AS generated_tree,
       d.description AS comment
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE c.oid >= 16384 AND c.relkind IN ('r', 'p', 'c', 'v', 'm')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum;
