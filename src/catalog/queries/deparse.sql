-- PostgreSQL's own printers, for what retort does not print itself. Runs last, with the oids
-- the other queries' rows led retort to choose (text arrays such as '{16390,16402}'; to run
-- it in psql, put arrays in place of $1..$8):
--   $1 indexes that pg_get_indexdef prints whole (rare: several expression columns, a
--      collation other than the column's, opclass options, ...)
--   $2 indexes whose expression column and predicate need printing,
--   $3 CHECK constraints, for their expression,
--   $5 defaults and generation expressions (pg_attrdef oids):
--      one object per distinct node tree (and names of the columns it reads), since printing
--      an expression that reads columns opens its table, the dominant cost on large schemas
--   $4 constraints that pg_get_constraintdef prints whole (EXCLUDE)
--   $6, $7 the distinct (type, type modifier) pairs of columns, for format_type
--   $8 the collations of columns, for their names
SELECT 'indexdef' AS kind, i.indexrelid AS oid, pg_get_indexdef(i.indexrelid) AS text,
       NULL AS text2
FROM pg_index i WHERE i.indexrelid = ANY ($1::oid[])
UNION ALL
SELECT 'index', i.indexrelid, pg_get_expr(i.indexprs, i.indrelid), pg_get_expr(i.indpred, i.indrelid)
FROM pg_index i WHERE i.indexrelid = ANY ($2::oid[])
UNION ALL
SELECT 'check', c.oid, pg_get_expr(c.conbin, c.conrelid), NULL
FROM pg_constraint c WHERE c.oid = ANY ($3::oid[])
UNION ALL
SELECT 'constraintdef', c.oid, pg_get_constraintdef(c.oid), NULL
FROM pg_constraint c WHERE c.oid = ANY ($4::oid[])
UNION ALL
SELECT 'attrdef', ad.oid, pg_get_expr(ad.adbin, ad.adrelid), NULL
FROM pg_attrdef ad WHERE ad.oid = ANY ($5::oid[])
UNION ALL
SELECT 'type', t.oid, format_type(t.oid, t.modifier), t.modifier::text
FROM unnest($6::oid[], $7::int[]) AS t(oid, modifier)
UNION ALL
SELECT 'collation', co.oid,
       CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
            ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END, NULL
FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
WHERE co.oid = ANY ($8::oid[]);
