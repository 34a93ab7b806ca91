-- PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY and EXCLUDE constraints of tables, as raw catalog
-- fields; retort prints them exactly as pg_get_constraintdef does (column names come from
-- columns.sql; a CHECK expression's raw node tree is printed by deparse.sql once per distinct
-- tree; EXCLUDE constraints are printed by pg_get_constraintdef through deparse.sql).
-- referenced_sql is the referenced table as pg_get_constraintdef names it: unqualified when
-- visible on the search path (`public`, and not hidden by a pg_catalog relation of that name).
-- For keys, index_key lists the index's columns (INCLUDE columns follow the key columns) and
-- index_with_options the index's storage parameters as indexes.sql prints them, which
-- pg_get_constraintdef leaves out (pg_dump adds them as WITH (...)).
-- Tables are named by oid (relid, referenced_relid); tables.sql has their names.
-- Left out: constraints a partition got from its parent (conparentid <> 0 for keys and foreign
-- keys, including the per-partition copies of a foreign key that references a partitioned
-- table) and CHECK constraints that only come from a parent (NOT conislocal, except a
-- partition's validated copy of a NOT VALID check, see below); constraint
-- triggers ('t') come from triggers.sql and NOT NULL is a column property.
SELECT con.oid,
       con.conrelid AS relid,
       con.conname AS name,
       con.contype AS type,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       con.convalidated AS validated,
       con.connoinherit AS no_inherit,
       con.conkey AS key,
       con.confrelid AS referenced_relid,
       con.confkey AS referenced_key,
       con.confmatchtype AS match_type,
       con.confupdtype AS on_update,
       con.confdeltype AS on_delete,
       con.confdelsetcols AS on_delete_columns,
       CASE WHEN rn.nspname = 'public'
                 AND rc.relname NOT IN (SELECT x.relname FROM pg_class x
                                        WHERE x.relnamespace = 'pg_catalog'::regnamespace)
            THEN quote_ident(rc.relname)
            ELSE quote_ident(rn.nspname) || '.' || quote_ident(rc.relname)
       END AS referenced_sql,
       CASE WHEN con.contype = 'c' THEN con.conbin::text END AS check_tree,
       CASE WHEN con.contype IN ('p', 'u', 'x') THEN con.conindid END AS index_oid,
       i.indkey AS index_key,
       i.indnullsnotdistinct AS nulls_not_distinct,
       d.description AS comment,
       CASE WHEN con.contype IN ('p', 'u') AND ix.reloptions IS NOT NULL THEN
         (SELECT string_agg(quote_ident(split_part(o, '=', 1)) || '=' ||
                              CASE WHEN quote_ident(substr(o, strpos(o, '=') + 1))
                                        = substr(o, strpos(o, '=') + 1)
                                   THEN substr(o, strpos(o, '=') + 1)
                                   ELSE '''' || replace(substr(o, strpos(o, '=') + 1), '''', '''''')
                                        || '''' END,
                            ', ')
          FROM unnest(ix.reloptions) AS o)
       END AS index_with_options
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index i ON con.contype IN ('p', 'u') AND i.indexrelid = con.conindid
LEFT JOIN pg_class ix ON con.contype IN ('p', 'u') AND ix.oid = con.conindid
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = con.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
WHERE con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND con.conparentid = 0
  AND (con.conislocal
       -- Kept although inherited: a partition's CHECK that the partition validated while its
       -- parent's stays NOT VALID (ALTER TABLE partition VALIDATE CONSTRAINT), a state the
       -- parent's constraint alone does not tell.
       OR (con.contype = 'c' AND con.convalidated AND c.relispartition
           AND EXISTS (SELECT 1
                       FROM pg_inherits inh
                       JOIN pg_constraint pc ON pc.conrelid = inh.inhparent
                       WHERE inh.inhrelid = c.oid AND pc.conname = con.conname
                         AND pc.contype = 'c' AND NOT pc.convalidated)))
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND c.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_class'::regclass AND e.deptype = 'e');
