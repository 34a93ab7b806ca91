-- Defaults and generation expressions (columns.sql's generated tells which), keyed like
-- columns.sql's rows. expression_tree is the raw node tree: deparse.sql prints each distinct
-- one once (by attrdef oid), not once per column.
SELECT ad.adrelid AS relid,
       ad.adnum AS attnum,
       ad.oid AS attrdef_oid,
       ad.adbin::text AS expression_tree
FROM pg_attrdef ad
WHERE ad.adrelid >= 16384;
