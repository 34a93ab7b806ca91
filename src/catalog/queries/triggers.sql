-- User triggers (constraint triggers included) with their enabled state (tgenabled: O origin,
-- D disabled, R replica, A always). Left out: internal triggers (foreign keys' RI triggers)
-- and triggers cloned to partitions from a partitioned parent's trigger (tgparentid <> 0).
SELECT tg.oid,
       n.nspname AS schema,
       c.relname AS table_name,
       tg.tgname AS name,
       pg_get_triggerdef(tg.oid) AS definition,
       tg.tgenabled AS enabled,
       d.description AS comment
FROM pg_trigger tg
JOIN pg_class c ON c.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = tg.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0
WHERE NOT tg.tgisinternal AND tg.tgparentid = 0
  AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
  AND c.oid NOT IN (SELECT e.objid FROM pg_depend e
                    WHERE e.refclassid = 'pg_extension'::regclass
                      AND e.classid = 'pg_class'::regclass AND e.deptype = 'e');
