-- User-defined operators (not members of extensions). Functions and operators they name are
-- schema-qualified, so that the statements retort writes work whatever the search_path;
-- types are format_type's, as columns have them.
SELECT o.oid,
       n.nspname AS schema,
       o.oprname AS name,
       coalesce(format_type(nullif(o.oprleft, 0), NULL), 'NONE') AS left_type,
       format_type(o.oprright, NULL) AS right_type,
       concat_ws(', ',
         (SELECT 'FUNCTION = ' || quote_ident(pn.nspname) || '.' || quote_ident(p.proname)
          FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace
          WHERE p.oid = o.oprcode),
         'LEFTARG = ' || format_type(nullif(o.oprleft, 0), NULL),
         'RIGHTARG = ' || format_type(o.oprright, NULL),
         (SELECT 'COMMUTATOR = OPERATOR(' || quote_ident(cn.nspname) || '.' || co.oprname || ')'
          FROM pg_operator co JOIN pg_namespace cn ON cn.oid = co.oprnamespace
          WHERE co.oid = nullif(o.oprcom, 0)),
         (SELECT 'NEGATOR = OPERATOR(' || quote_ident(nn.nspname) || '.' || no.oprname || ')'
          FROM pg_operator no JOIN pg_namespace nn ON nn.oid = no.oprnamespace
          WHERE no.oid = nullif(o.oprnegate, 0)),
         CASE WHEN o.oprcanhash THEN 'HASHES' END,
         CASE WHEN o.oprcanmerge THEN 'MERGES' END) AS definition,
       (SELECT CASE WHEN rn.nspname = 'pg_catalog' THEN quote_ident(r.proname)
                    ELSE quote_ident(rn.nspname) || '.' || quote_ident(r.proname) END
        FROM pg_proc r JOIN pg_namespace rn ON rn.oid = r.pronamespace
        WHERE r.oid = nullif(o.oprrest, 0)) AS restrict_estimator,
       (SELECT CASE WHEN jn.nspname = 'pg_catalog' THEN quote_ident(j.proname)
                    ELSE quote_ident(jn.nspname) || '.' || quote_ident(j.proname) END
        FROM pg_proc j JOIN pg_namespace jn ON jn.oid = j.pronamespace
        WHERE j.oid = nullif(o.oprjoin, 0)) AS join_estimator,
       d.description AS comment
FROM pg_operator o
JOIN pg_namespace n ON n.oid = o.oprnamespace
LEFT JOIN pg_description d
       ON d.objoid = o.oid AND d.classoid = 'pg_operator'::regclass AND d.objsubid = 0
WHERE o.oid >= 16384
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_depend e
                  WHERE e.classid = 'pg_operator'::regclass AND e.objid = o.oid
                    AND e.deptype = 'e');
