-- Functions, procedures, window functions and aggregates. pg_get_functiondef prints a
-- complete CREATE OR REPLACE statement but refuses aggregates, so for those this query
-- assembles the CREATE OR REPLACE AGGREGATE statement from pg_aggregate the way pg_dump does,
-- writing only the options that differ from their defaults. Grants as in tables.sql, from the
-- default ACL (EXECUTE for PUBLIC) when proacl is NULL. A SQL-standard body (BEGIN ATOMIC,
-- RETURN) is printed by the server, not kept as written.
SELECT p.oid,
       n.nspname AS schema,
       p.proname AS name,
       pg_get_function_identity_arguments(p.oid) AS arguments,
       p.prokind AS kind,
       CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid)
       ELSE
         'CREATE OR REPLACE AGGREGATE ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname)
         || '(' || CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_arguments(p.oid) END
         || E') (\n    '
         || concat_ws(E',\n    ',
              'SFUNC = ' || a.aggtransfn::regproc::text,
              'STYPE = ' || format_type(a.aggtranstype, NULL),
              CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
              CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC = ' || a.aggfinalfn::regproc::text END,
              CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
              CASE WHEN a.aggfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
                   THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                                   WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END
              END,
              CASE WHEN a.aggcombinefn <> 0
                   THEN 'COMBINEFUNC = ' || a.aggcombinefn::regproc::text END,
              CASE WHEN a.aggserialfn <> 0 THEN 'SERIALFUNC = ' || a.aggserialfn::regproc::text END,
              CASE WHEN a.aggdeserialfn <> 0
                   THEN 'DESERIALFUNC = ' || a.aggdeserialfn::regproc::text END,
              CASE WHEN a.agginitval IS NOT NULL THEN 'INITCOND = ' || quote_literal(a.agginitval) END,
              CASE WHEN a.aggmtransfn <> 0 THEN 'MSFUNC = ' || a.aggmtransfn::regproc::text END,
              CASE WHEN a.aggminvtransfn <> 0
                   THEN 'MINVFUNC = ' || a.aggminvtransfn::regproc::text END,
              CASE WHEN a.aggmtranstype <> 0
                   THEN 'MSTYPE = ' || format_type(a.aggmtranstype, NULL) END,
              CASE WHEN a.aggmtransspace <> 0 THEN 'MSSPACE = ' || a.aggmtransspace END,
              CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || a.aggmfinalfn::regproc::text END,
              CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
              CASE WHEN a.aggmtransfn <> 0
                    AND a.aggmfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END
                   THEN 'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                                    WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END
              END,
              CASE WHEN a.aggminitval IS NOT NULL
                   THEN 'MINITCOND = ' || quote_literal(a.aggminitval) END,
              CASE WHEN a.aggsortop <> 0 THEN
                (SELECT 'SORTOP = OPERATOR(' || quote_ident(opn.nspname) || '.' || op.oprname || ')'
                 FROM pg_operator op JOIN pg_namespace opn ON opn.oid = op.oprnamespace
                 WHERE op.oid = a.aggsortop)
              END,
              CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END,
              CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE'
                                 WHEN 'r' THEN 'PARALLEL = RESTRICTED' END)
         || E'\n)\n'
       END AS definition,
       pg_get_function_result(p.oid) AS result,
       d.description AS comment,
       ARRAY(SELECT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END
             FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) g WHERE g.grantee <> p.proowner
             GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type) AS grant_grantees,
       ARRAY(SELECT g.privilege_type
             FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) g WHERE g.grantee <> p.proowner
             GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type) AS grant_privileges,
       ARRAY(SELECT bool_or(g.is_grantable)
             FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) g WHERE g.grantee <> p.proowner
             GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type) AS grant_options,
       p.prosqlbody IS NOT NULL AS sql_standard_body
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
LEFT JOIN pg_description d
       ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND p.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_proc'::regclass AND e.deptype = 'e');
