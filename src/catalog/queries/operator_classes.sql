-- User-defined operator families and classes (not members of extensions), one row each:
-- kind 'f' (family) with its loose members (those ALTER OPERATOR FAMILY ... ADD gave it, which
-- pg_depend ties to the family), kind 'c' (class) with its CREATE OPERATOR CLASS text after the
-- name (members tied to the class). Operators and functions outside pg_catalog are
-- schema-qualified. The member arrays name the operators and functions each one uses (oids,
-- for dependencies).
WITH member_op AS (
  SELECT ao.oid, ao.amopfamily, ao.amopstrategy, ao.amoplefttype, ao.amoprighttype, ao.amopopr,
         dep.refclassid, dep.refobjid,
         format('OPERATOR %s %s%s(%s,%s)%s', ao.amopstrategy,
                CASE WHEN n.nspname = 'pg_catalog' THEN '' ELSE quote_ident(n.nspname) || '.' END,
                o.oprname, format_type(o.oprleft, NULL), format_type(o.oprright, NULL),
                CASE WHEN ao.amoppurpose = 'o' THEN
                  ' FOR ORDER BY ' || (SELECT quote_ident(sn.nspname) || '.' || quote_ident(sf.opfname)
                                       FROM pg_opfamily sf JOIN pg_namespace sn ON sn.oid = sf.opfnamespace
                                       WHERE sf.oid = ao.amopsortfamily) ELSE '' END) AS text,
         format('OPERATOR %s (%s, %s)', ao.amopstrategy, format_type(ao.amoplefttype, NULL),
                format_type(ao.amoprighttype, NULL)) AS identity
  FROM pg_amop ao
  JOIN pg_operator o ON o.oid = ao.amopopr
  JOIN pg_namespace n ON n.oid = o.oprnamespace
  JOIN pg_depend dep ON dep.classid = 'pg_amop'::regclass AND dep.objid = ao.oid
                    AND dep.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass)
                    AND dep.deptype IN ('a', 'i')
  WHERE ao.amopfamily >= 16384
), member_proc AS (
  SELECT ap.oid, ap.amprocfamily, ap.amprocnum, ap.amproc::oid AS amproc, dep.refclassid, dep.refobjid,
         format('FUNCTION %s (%s, %s) %s%s(%s)', ap.amprocnum,
                format_type(ap.amproclefttype, NULL), format_type(ap.amprocrighttype, NULL),
                CASE WHEN n.nspname = 'pg_catalog' THEN '' ELSE quote_ident(n.nspname) || '.' END,
                quote_ident(p.proname), oidvectortypes(p.proargtypes)) AS text,
         format('FUNCTION %s (%s, %s)', ap.amprocnum, format_type(ap.amproclefttype, NULL),
                format_type(ap.amprocrighttype, NULL)) AS identity
  FROM pg_amproc ap
  JOIN pg_proc p ON p.oid = ap.amproc
  JOIN pg_namespace n ON n.oid = p.pronamespace
  JOIN pg_depend dep ON dep.classid = 'pg_amproc'::regclass AND dep.objid = ap.oid
                    AND dep.refclassid IN ('pg_opclass'::regclass, 'pg_opfamily'::regclass)
                    AND dep.deptype IN ('a', 'i')
  WHERE ap.amprocfamily >= 16384
)
SELECT 'f' AS kind,
       f.oid,
       n.nspname AS schema,
       f.opfname AS name,
       am.amname AS method,
       NULL AS definition,
       ARRAY(SELECT m.text FROM (SELECT text, identity, amopstrategy AS num FROM member_op
                                 WHERE refclassid = 'pg_opfamily'::regclass AND refobjid = f.oid
                                 UNION ALL
                                 SELECT text, identity, amprocnum + 1000 FROM member_proc
                                 WHERE refclassid = 'pg_opfamily'::regclass AND refobjid = f.oid) m
             ORDER BY m.num, m.identity) AS member_definitions,
       ARRAY(SELECT m.identity FROM (SELECT text, identity, amopstrategy AS num FROM member_op
                                     WHERE refclassid = 'pg_opfamily'::regclass AND refobjid = f.oid
                                     UNION ALL
                                     SELECT text, identity, amprocnum + 1000 FROM member_proc
                                     WHERE refclassid = 'pg_opfamily'::regclass AND refobjid = f.oid) m
             ORDER BY m.num, m.identity) AS member_identities,
       ARRAY(SELECT amopopr FROM member_op
             WHERE refclassid = 'pg_opfamily'::regclass AND refobjid = f.oid) AS operator_oids,
       ARRAY(SELECT amproc FROM member_proc
             WHERE refclassid = 'pg_opfamily'::regclass AND refobjid = f.oid) AS function_oids,
       0::oid AS family_oid,
       d.description AS comment
FROM pg_opfamily f
JOIN pg_namespace n ON n.oid = f.opfnamespace
JOIN pg_am am ON am.oid = f.opfmethod
LEFT JOIN pg_description d
       ON d.objoid = f.oid AND d.classoid = 'pg_opfamily'::regclass AND d.objsubid = 0
WHERE f.oid >= 16384
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_depend e
                  WHERE e.classid = 'pg_opfamily'::regclass AND e.objid = f.oid
                    AND e.deptype = 'e')
UNION ALL
SELECT 'c',
       c.oid,
       n.nspname,
       c.opcname,
       am.amname,
       concat_ws(' ', CASE WHEN c.opcdefault THEN 'DEFAULT' END,
                 'FOR TYPE ' || format_type(c.opcintype, NULL),
                 'USING ' || quote_ident(am.amname),
                 'FAMILY ' || quote_ident(fn.nspname) || '.' || quote_ident(f.opfname),
                 'AS ' || concat_ws(', ',
                   (SELECT string_agg(m.text, ', ' ORDER BY m.num, m.identity)
                    FROM (SELECT text, identity, amopstrategy AS num FROM member_op
                          WHERE refclassid = 'pg_opclass'::regclass AND refobjid = c.oid
                          UNION ALL
                          SELECT text, identity, amprocnum + 1000 FROM member_proc
                          WHERE refclassid = 'pg_opclass'::regclass AND refobjid = c.oid) m),
                   'STORAGE ' || format_type(nullif(c.opckeytype, 0), NULL))),
       NULL,
       NULL,
       ARRAY(SELECT amopopr FROM member_op
             WHERE refclassid = 'pg_opclass'::regclass AND refobjid = c.oid),
       ARRAY(SELECT amproc FROM member_proc
             WHERE refclassid = 'pg_opclass'::regclass AND refobjid = c.oid),
       c.opcfamily,
       d.description
FROM pg_opclass c
JOIN pg_namespace n ON n.oid = c.opcnamespace
JOIN pg_am am ON am.oid = c.opcmethod
JOIN pg_opfamily f ON f.oid = c.opcfamily
JOIN pg_namespace fn ON fn.oid = f.opfnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_opclass'::regclass AND d.objsubid = 0
WHERE c.oid >= 16384
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_depend e
                  WHERE e.classid = 'pg_opclass'::regclass AND e.objid = c.oid
                    AND e.deptype = 'e');
