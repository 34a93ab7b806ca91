-- Normal dependencies (pg_depend deptype 'n') between user objects (both oids >=
-- FirstNormalObjectId) that a plan must respect, and no others:
--   views (through their _RETURN rule in pg_rewrite) on the tables, columns, views, functions
--   and types they use; functions on the tables, functions and types their signatures and
--   BEGIN ATOMIC bodies use; column defaults (pg_attrdef) on sequences and functions;
--   triggers and policies on functions and tables; indexes, constraints and domains on
--   functions; foreign keys on the index (unique key) they reference; columns and domains on
--   types; columns, domains (and their checks), indexes, constraints, defaults and views (and
--   rules) on the
--   collations and operators they use; operators on their functions; indexes on their
--   operator classes. What operator classes and families hold comes with them
--   (operator_classes.sql).
-- What a generation expression reads, retort takes from the expression itself. retort
-- resolves rules, defaults, array types and column numbers with what the other queries read,
-- and keeps the rows whose two ends are objects of the model.
SELECT coalesce(dc.domain_catalog, d.classid) AS catalog,
       coalesce(dc.contypid, d.objid) AS objid,
       d.objsubid,
       d.refclassid AS referenced_catalog,
       d.refobjid AS referenced_objid,
       d.refobjsubid AS referenced_objsubid
FROM pg_depend d
-- A domain's CHECK constraint stands for its domain when it uses a collation or an operator
-- (which cannot be replaced under it).
LEFT JOIN (SELECT c.oid, c.contypid, 'pg_type'::regclass::oid AS domain_catalog
           FROM pg_constraint c WHERE c.contypid <> 0) dc
       ON d.classid = 'pg_constraint'::regclass AND dc.oid = d.objid
      AND d.refclassid IN ('pg_collation'::regclass, 'pg_operator'::regclass)
WHERE d.objid >= 16384 AND d.refobjid >= 16384 AND d.deptype = 'n'
  AND (d.refclassid = 'pg_proc'::regclass
       OR (d.refclassid = 'pg_type'::regclass
           AND (d.classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass,
                              'pg_policy'::regclass)
                OR (d.classid = 'pg_class'::regclass AND d.objsubid > 0)))
       OR (d.refclassid = 'pg_class'::regclass
           AND (d.classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass,
                              'pg_attrdef'::regclass, 'pg_trigger'::regclass,
                              'pg_policy'::regclass)
                OR (d.classid = 'pg_constraint'::regclass AND d.refobjsubid = 0)))
       OR d.refclassid IN ('pg_collation'::regclass, 'pg_operator'::regclass,
                           'pg_opclass'::regclass))
  AND d.classid IN ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass,
                    'pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass,
                    'pg_rewrite'::regclass, 'pg_attrdef'::regclass, 'pg_operator'::regclass);
