-- Rules made with CREATE RULE on tables and views, with their enabled state (ev_enabled: O
-- origin, D disabled, R replica, A always). A view's _RETURN rule is the view itself (views.sql)
-- and is left out, as are rules of the system's and extensions' relations.
SELECT w.oid,
       n.nspname AS schema,
       c.relname AS table_name,
       w.rulename AS name,
       pg_get_ruledef(w.oid) AS definition,
       w.ev_enabled AS enabled,
       d.description AS comment
FROM pg_rewrite w
JOIN pg_class c ON c.oid = w.ev_class
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = w.oid AND d.classoid = 'pg_rewrite'::regclass AND d.objsubid = 0
WHERE w.rulename <> '_RETURN'
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND c.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_class'::regclass AND e.deptype = 'e');
