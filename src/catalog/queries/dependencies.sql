-- Dependencies between user objects (both oids >= FirstNormalObjectId), for ordering a plan:
-- normal ones (deptype 'n': views on what they read, through their _RETURN rule in
-- pg_rewrite; functions on the tables, functions and types their BEGIN ATOMIC bodies and
-- signatures use; column defaults (pg_attrdef) on sequences and functions; triggers, policies,
-- indexes and constraints on functions; columns and domains on types), and the automatic ones
-- of generation expressions (a pg_attrdef on the columns it reads). retort resolves rules,
-- defaults, array types and column numbers with what the other queries read, and keeps the
-- rows whose two ends are objects of the model.
SELECT d.classid AS catalog,
       d.objid,
       d.objsubid,
       d.refclassid AS referenced_catalog,
       d.refobjid AS referenced_objid,
       d.refobjsubid AS referenced_objsubid
FROM pg_depend d
WHERE d.objid >= 16384 AND d.refobjid >= 16384
  AND d.refclassid IN ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass)
  AND (d.deptype = 'n'
       OR (d.deptype = 'a' AND d.classid = 'pg_attrdef'::regclass AND d.refobjsubid > 0))
  AND d.classid IN ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass,
                    'pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass,
                    'pg_rewrite'::regclass, 'pg_attrdef'::regclass);
