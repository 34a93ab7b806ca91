-- Comments on columns (of tables, views, materialized views and composite types), keyed like
-- columns.sql's rows; retort attaches each to a column columns.sql listed.
SELECT d.objoid AS relid,
       d.objsubid AS attnum,
       d.description AS comment
FROM pg_description d
WHERE d.classoid = 'pg_class'::regclass AND d.objsubid > 0 AND d.objoid >= 16384;
