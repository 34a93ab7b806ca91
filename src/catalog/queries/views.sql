-- Views and materialized views. pg_get_viewdef(oid) is the same text pg_dump uses; retort
-- trims its surrounding white space and final semicolon. rule_oid is the view's _RETURN rule,
-- which pg_depend names as the dependent of what the view reads. Grants as in tables.sql.
SELECT c.oid,
       n.nspname AS schema,
       c.relname AS name,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified_sql,
       c.relkind = 'm' AS materialized,
       pg_get_viewdef(c.oid) AS definition,
       c.reloptions AS options,
       (SELECT r.oid FROM pg_rewrite r
        WHERE r.ev_class = c.oid AND r.rulename = '_RETURN') AS rule_oid,
       CASE WHEN c.relacl IS NOT NULL THEN
         ARRAY(SELECT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END
               FROM aclexplode(c.relacl) g WHERE g.grantee <> c.relowner
               GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type)
       END AS grant_grantees,
       CASE WHEN c.relacl IS NOT NULL THEN
         ARRAY(SELECT g.privilege_type
               FROM aclexplode(c.relacl) g WHERE g.grantee <> c.relowner
               GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type)
       END AS grant_privileges,
       CASE WHEN c.relacl IS NOT NULL THEN
         ARRAY(SELECT bool_or(g.is_grantable)
               FROM aclexplode(c.relacl) g WHERE g.grantee <> c.relowner
               GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type)
       END AS grant_options,
       d.description AS comment
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('v', 'm')
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND c.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_class'::regclass AND e.deptype = 'e');
