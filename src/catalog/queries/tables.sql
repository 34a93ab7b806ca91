-- Ordinary and partitioned tables. A partition has a bound ("FOR VALUES IN (1)", "DEFAULT"; its
-- parent is parent_oids[1]); a sub-partition has both a bound and a partition key. Classic
-- inheritance parents come in inhseqno order. Bounds hold no column references, so they are
-- printed without opening the table (pg_get_expr with relation 0), which is much cheaper.
-- Grants: privileges from aclexplode(relacl), one entry per grantee and privilege (merged over
-- grantors, grantable if any grant is), leaving out the owner's own privileges, so a table
-- only its owner uses has none; grantee 0 is PUBLIC. The three arrays run in parallel.
-- replica_identity_index names the index of REPLICA IDENTITY USING INDEX (NULL when that index
-- was dropped since).
SELECT c.oid,
       n.nspname AS schema,
       c.relname AS name,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qualified_sql,
       c.relkind AS kind,
       c.relpersistence = 'u' AS unlogged,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
       c.relispartition AS is_partition,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, 0) END AS partition_bound,
       inh.parent_oids,
       c.reloptions AS options,
       c.relrowsecurity AS row_security,
       c.relforcerowsecurity AS force_row_security,
       c.relreplident AS replica_identity,
       CASE WHEN c.relreplident = 'i' THEN
         (SELECT ic.relname FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
          WHERE x.indrelid = c.oid AND x.indisreplident)
       END AS replica_identity_index,
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
LEFT JOIN (SELECT i.inhrelid, array_agg(i.inhparent ORDER BY i.inhseqno) AS parent_oids
           FROM pg_inherits i GROUP BY i.inhrelid) inh ON inh.inhrelid = c.oid
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND c.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_class'::regclass AND e.deptype = 'e');
