-- User schemas (public included) and their comments.
-- Every catalog query leaves out the system schemas (pg_catalog, pg_toast, pg_temp_N and
-- pg_toast_temp_N all start with "pg_", a prefix users cannot create) and information_schema,
-- and every object an extension owns (pg_depend deptype 'e').
SELECT n.oid,
       n.nspname AS name,
       d.description AS comment
FROM pg_namespace n
LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND n.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_namespace'::regclass AND e.deptype = 'e')
ORDER BY n.nspname;
