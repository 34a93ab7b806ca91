-- Installed extensions with their schema and version. plpgsql, which initdb puts in every
-- database (oid below FirstNormalObjectId), is left out, as pg_dump does.
SELECT x.extname AS name,
       n.nspname AS schema,
       x.extversion AS version
FROM pg_extension x
JOIN pg_namespace n ON n.oid = x.extnamespace
WHERE x.oid >= 16384
ORDER BY x.extname;
