-- Indexes of tables, partitioned tables and materialized views, as raw catalog fields; retort
-- prints them exactly as pg_get_indexdef does: "CREATE [UNIQUE] INDEX name ON [ONLY]
-- schema.table USING method (columns [COLLATE c] [opclass] [DESC] [NULLS FIRST|LAST])
-- [INCLUDE (...)] [NULLS NOT DISTINCT] [WITH (...)] [WHERE predicate]". An index of a
-- partitioned table prints "ON ONLY". Raw node trees of expression columns and predicates are
-- printed by deparse.sql once per distinct tree, and pg_get_indexdef itself prints the rare
-- index retort cannot be sure to print the same way (several expression columns, a collation
-- other than the column's, opclass options (see columns.sql), ...). with_options is the WITH clause's content as
-- pg_get_indexdef prints it (reloptions in the order given).
-- Tables are named by oid (relid); tables.sql and views.sql have their names.
-- Left out: the indexes of partitions that are attached to a parent's index (relispartition);
-- the parent's index creates them. Indexes that implement a constraint are listed, and left out
-- by retort (constraints.sql has them), which is cheaper than a NOT IN over pg_constraint here.
SELECT ic.oid,
       i.indrelid AS relid,
       ic.relname AS name,
       quote_ident(ic.relname) AS quoted_name,
       ic.relkind = 'I' AS on_partitioned_table,
       am.quoted_name AS method,
       am.can_order,
       i.indisunique AS is_unique,
       i.indisvalid AS is_valid,
       i.indnullsnotdistinct AS nulls_not_distinct,
       i.indnkeyatts AS key_count,
       i.indkey AS key,
       i.indclass AS opclasses,
       i.indcollation AS collations,
       i.indoption AS options,
       i.indexprs::text AS expressions_tree,
       i.indpred::text AS predicate_tree,
       CASE WHEN ic.reloptions IS NOT NULL THEN
         (SELECT string_agg(quote_ident(split_part(o, '=', 1)) || '=' ||
                              CASE WHEN quote_ident(substr(o, strpos(o, '=') + 1))
                                        = substr(o, strpos(o, '=') + 1)
                                   THEN substr(o, strpos(o, '=') + 1)
                                   ELSE '''' || replace(substr(o, strpos(o, '=') + 1), '''', '''''')
                                        || '''' END,
                            ', ')
          FROM unnest(ic.reloptions) AS o)
       END AS with_options,
       d.description AS comment
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace n ON n.oid = tc.relnamespace
JOIN (SELECT oid, quote_ident(amname) AS quoted_name,
             pg_indexam_has_property(oid, 'can_order') AS can_order FROM pg_am) am
  ON am.oid = ic.relam
LEFT JOIN pg_description d
       ON d.objoid = ic.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE tc.relkind IN ('r', 'p', 'm')
  AND NOT ic.relispartition
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND tc.oid NOT IN (SELECT e.objid FROM pg_depend e
                     WHERE e.refclassid = 'pg_extension'::regclass
                       AND e.classid = 'pg_class'::regclass AND e.deptype = 'e');
