-- User schemas (public included), their comments and grants (as in tables.sql, from the
-- default ACL when nspacl is NULL).
-- Every catalog query leaves out the system schemas (pg_catalog, pg_toast, pg_temp_N and
-- pg_toast_temp_N all start with "pg_", a prefix users cannot create) and information_schema,
-- and every object an extension owns (pg_depend deptype 'e').
SELECT n.oid,
       n.nspname AS name,
       d.description AS comment,
       ARRAY(SELECT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END
             FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) g WHERE g.grantee <> n.nspowner
             GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type) AS grant_grantees,
       ARRAY(SELECT g.privilege_type
             FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) g WHERE g.grantee <> n.nspowner
             GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type) AS grant_privileges,
       ARRAY(SELECT bool_or(g.is_grantable)
             FROM aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) g WHERE g.grantee <> n.nspowner
             GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type) AS grant_options
FROM pg_namespace n
LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND n.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_namespace'::regclass AND e.deptype = 'e')
ORDER BY n.nspname;
