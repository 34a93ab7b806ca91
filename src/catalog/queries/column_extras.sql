-- What few columns have, for the relations ($1, an oid array such as '{16390,16402}' to run it
-- in psql) with a column whose has_extras columns.sql set. A row whose three grant arrays and
-- setting are all NULL says nothing.
-- Column privileges (attacl) as the grants of tables.sql. setting: what the model does not
-- carry of a table's or materialized view's column, for the unmodelled objects (kind
-- 'column setting'): tables' storage and compression are modelled, a materialized view's are
-- not.
-- pg_class and pg_type are read by subqueries, which look up each row by index: the session
-- plans without nested loops (kSessionSettings), and a join would hash the whole catalog for a
-- few rows.
SELECT a.relid,
       a.attnum,
       CASE WHEN a.attacl IS NOT NULL THEN
         ARRAY(SELECT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(g.grantee)::text END
               FROM aclexplode(a.attacl) g WHERE g.grantee <> a.relowner
               GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type)
       END AS grant_grantees,
       CASE WHEN a.attacl IS NOT NULL THEN
         ARRAY(SELECT g.privilege_type
               FROM aclexplode(a.attacl) g WHERE g.grantee <> a.relowner
               GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type)
       END AS grant_privileges,
       CASE WHEN a.attacl IS NOT NULL THEN
         ARRAY(SELECT bool_or(g.is_grantable)
               FROM aclexplode(a.attacl) g WHERE g.grantee <> a.relowner
               GROUP BY g.grantee, g.privilege_type ORDER BY g.grantee, g.privilege_type)
       END AS grant_options,
       CASE WHEN a.relkind IN ('r', 'p', 'm')
                 AND (a.attstattarget >= 0 OR a.attoptions IS NOT NULL
                      OR (a.relkind = 'm' AND (a.attstorage <> a.typstorage
                                               OR a.attcompression <> ''))) THEN
         concat_ws(' ',
                   CASE WHEN a.relkind = 'm' AND a.attstorage <> a.typstorage THEN
                        'STORAGE ' || CASE a.attstorage
                        WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN'
                        ELSE 'EXTENDED' END END,
                   CASE WHEN a.relkind = 'm' THEN CASE a.attcompression
                        WHEN 'p' THEN 'COMPRESSION pglz' WHEN 'l' THEN 'COMPRESSION lz4' END END,
                   CASE WHEN a.attstattarget >= 0 THEN 'STATISTICS ' || a.attstattarget END,
                   'OPTIONS ' || a.attoptions::text)
       END AS setting
FROM (SELECT a.attrelid AS relid, a.attnum, a.attacl, a.attstattarget, a.attoptions,
             a.attstorage, a.attcompression,
             (SELECT c.relkind FROM pg_class c WHERE c.oid = a.attrelid) AS relkind,
             (SELECT c.relowner FROM pg_class c WHERE c.oid = a.attrelid) AS relowner,
             (SELECT t.typstorage FROM pg_type t WHERE t.oid = a.atttypid) AS typstorage
      FROM pg_attribute a
      WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      OFFSET 0) a;  -- not merged into the outer query, which would look up relkind per use
