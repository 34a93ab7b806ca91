-- Sequences with their options. owner_deptype 'a' is OWNED BY a column (serial columns, or
-- ALTER SEQUENCE ... OWNED BY); 'i' is the internal sequence of an identity column, whose
-- options belong to that column rather than to a free-standing sequence. Grants as in
-- tables.sql.
SELECT c.oid,
       n.nspname AS schema,
       c.relname AS name,
       s.seqtypid AS data_type_oid,  -- smallint, integer or bigint
       s.seqstart AS start,
       s.seqincrement AS increment,
       s.seqmin AS min_value,
       s.seqmax AS max_value,
       s.seqcache AS cache,
       s.seqcycle AS cycle,
       dep.deptype AS owner_deptype,
       dep.refobjid AS owner_relid,
       dep.refobjsubid AS owner_attnum,
       d.description AS comment,
       ARRAY(SELECT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END
             FROM aclexplode(coalesce(c.relacl, acldefault('s', c.relowner))) g WHERE g.grantee <> c.relowner
             GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type) AS grant_grantees,
       ARRAY(SELECT g.privilege_type
             FROM aclexplode(coalesce(c.relacl, acldefault('s', c.relowner))) g WHERE g.grantee <> c.relowner
             GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type) AS grant_privileges,
       ARRAY(SELECT bool_or(g.is_grantable)
             FROM aclexplode(coalesce(c.relacl, acldefault('s', c.relowner))) g WHERE g.grantee <> c.relowner
             GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type) AS grant_options
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend dep
       ON dep.classid = 'pg_class'::regclass AND dep.objid = s.seqrelid AND dep.objsubid = 0
      AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND c.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_class'::regclass AND e.deptype = 'e');
