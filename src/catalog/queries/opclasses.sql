-- Operator classes, to print an index column's opclass the way pg_get_indexdef does: only
-- when it is not the default opclass for the column's type and the index method, and then
-- schema-qualified only when not visible on the search path.
SELECT o.oid,
       o.opcmethod AS method_oid,
       o.opcintype AS input_type,
       o.opcdefault AS is_default,
       CASE WHEN pg_opclass_is_visible(o.oid) THEN quote_ident(o.opcname)
            ELSE quote_ident(n.nspname) || '.' || quote_ident(o.opcname) END AS name_sql
FROM pg_opclass o
JOIN pg_namespace n ON n.oid = o.opcnamespace;
