-- Collations made with CREATE COLLATION in user schemas (not members of extensions), with their
-- options written as pg_dump writes them. The version (collversion) is the library's and is left
-- out. colliculocale is PostgreSQL 15 and 16's name; 17 renamed it colllocale.
WITH c AS (
  SELECT co.oid, co.collnamespace, co.collname, co.collprovider, co.collisdeterministic,
         co.collcollate, co.collctype,
         coalesce(to_jsonb(co) ->> 'colliculocale', to_jsonb(co) ->> 'colllocale') AS icu_locale
  FROM pg_collation co
  WHERE co.oid >= 16384
    AND NOT EXISTS (SELECT FROM pg_depend e
                    WHERE e.classid = 'pg_collation'::regclass AND e.objid = co.oid
                      AND e.deptype = 'e')
)
SELECT c.oid,
       n.nspname AS schema,
       c.collname AS name,
       concat_ws(', ',
         'provider = ' || CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc'
                                              ELSE 'default' END,
         CASE WHEN NOT c.collisdeterministic THEN 'deterministic = false' END,
         CASE WHEN c.collprovider = 'i' THEN 'locale = ' || quote_literal(c.icu_locale)
              WHEN c.collcollate = c.collctype THEN 'locale = ' || quote_literal(c.collcollate)
              ELSE 'lc_collate = ' || quote_literal(c.collcollate) || ', lc_ctype = '
                   || quote_literal(c.collctype) END) AS definition,
       d.description AS comment
FROM c
JOIN pg_namespace n ON n.oid = c.collnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_collation'::regclass AND d.objsubid = 0
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema';
