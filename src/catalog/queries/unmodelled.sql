-- Objects of kinds retort does not model yet, and settings of modelled objects it does not
-- model, each with PostgreSQL's own text for it: read so that a difference in one is reported
-- by kind and name ("retort cannot plan changes to casts yet") instead of going unseen. Members
-- of extensions and the system's own objects are left out; objects outside any schema (casts,
-- event triggers, languages, ...) count when they were made after initdb (oid >= 16384).
-- Columns: kind, schema ('' for objects outside any schema), identity, definition.
-- Column settings (kind 'column setting') come with columns.sql's rows instead (its `setting`),
-- which saves a second pass over pg_attribute.
WITH ext AS (
  SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
), ns AS (
  SELECT n.oid, n.nspname FROM pg_namespace n
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND n.nspname NOT LIKE 'pg\_temp\_%' AND n.nspname NOT LIKE 'pg\_toast\_temp\_%'
    AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_namespace'::regclass
                                      AND ext.objid = n.oid)
), rel AS (
  SELECT c.oid, c.relname, c.relkind, c.relam, c.reltablespace, n.nspname
  FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'm', 'f')
    AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
)
SELECT 'conversion' AS kind, n.nspname AS schema, format('%I.%I', n.nspname, c.conname) AS identity,
       format('FOR %s TO %s FROM %s%s', pg_encoding_to_char(c.conforencoding),
              pg_encoding_to_char(c.contoencoding), c.conproc::regprocedure,
              CASE WHEN c.condefault THEN ' DEFAULT' ELSE '' END) AS definition
FROM pg_conversion c JOIN ns n ON n.oid = c.connamespace
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_conversion'::regclass
                                    AND ext.objid = c.oid)
UNION ALL
SELECT 'text search configuration', n.nspname, format('%I.%I', n.nspname, c.cfgname),
       concat_ws(' ', 'PARSER = ' || p.prsnamespace::regnamespace::text || '.' || quote_ident(p.prsname),
         (SELECT string_agg(format('%s:%s', m.maptokentype, m.mapdict::regdictionary), ', '
                            ORDER BY m.maptokentype, m.mapseqno)
          FROM pg_ts_config_map m WHERE m.mapcfg = c.oid))
FROM pg_ts_config c JOIN ns n ON n.oid = c.cfgnamespace JOIN pg_ts_parser p ON p.oid = c.cfgparser
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_ts_config'::regclass
                                    AND ext.objid = c.oid)
UNION ALL
SELECT 'text search dictionary', n.nspname, format('%I.%I', n.nspname, d.dictname),
       concat_ws(' ', 'TEMPLATE = ' || t.tmplnamespace::regnamespace::text || '.'
                      || quote_ident(t.tmplname), d.dictinitoption)
FROM pg_ts_dict d JOIN ns n ON n.oid = d.dictnamespace JOIN pg_ts_template t ON t.oid = d.dicttemplate
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_ts_dict'::regclass AND ext.objid = d.oid)
UNION ALL
SELECT 'text search parser', n.nspname, format('%I.%I', n.nspname, p.prsname),
       concat_ws(' ', p.prsstart::regprocedure::text, p.prstoken::regprocedure::text,
                 p.prsend::regprocedure::text, nullif(p.prsheadline, 0)::regprocedure::text,
                 p.prslextype::regprocedure::text)
FROM pg_ts_parser p JOIN ns n ON n.oid = p.prsnamespace
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_ts_parser'::regclass
                                    AND ext.objid = p.oid)
UNION ALL
SELECT 'text search template', n.nspname, format('%I.%I', n.nspname, t.tmplname),
       concat_ws(' ', nullif(t.tmplinit, 0)::regprocedure::text,
                 t.tmpllexize::regprocedure::text)
FROM pg_ts_template t JOIN ns n ON n.oid = t.tmplnamespace
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_ts_template'::regclass
                                    AND ext.objid = t.oid)
UNION ALL
SELECT 'statistics', n.nspname, format('%I.%I', n.nspname, s.stxname),
       pg_get_statisticsobjdef(s.oid)
       || CASE WHEN s.stxstattarget >= 0 THEN ' STATISTICS ' || s.stxstattarget ELSE '' END
FROM pg_statistic_ext s JOIN ns n ON n.oid = s.stxnamespace
UNION ALL
SELECT 'range type', n.nspname, format('%I.%I', n.nspname, t.typname),
       concat_ws(' ', 'SUBTYPE = ' || format_type(r.rngsubtype, NULL),
                 'SUBTYPE_OPCLASS = ' || r.rngsubopc::regclass::text,
                 'COLLATION = ' || nullif(r.rngcollation, 0)::regcollation::text,
                 'CANONICAL = ' || nullif(r.rngcanonical, 0)::regprocedure::text,
                 'SUBTYPE_DIFF = ' || nullif(r.rngsubdiff, 0)::regprocedure::text,
                 'MULTIRANGE_TYPE_NAME = ' || format_type(r.rngmultitypid, NULL))
FROM pg_range r JOIN pg_type t ON t.oid = r.rngtypid JOIN ns n ON n.oid = t.typnamespace
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'base type', n.nspname, format('%I.%I', n.nspname, t.typname),
       concat_ws(' ', 'INPUT = ' || t.typinput::regprocedure::text,
                 'OUTPUT = ' || t.typoutput::regprocedure::text,
                 'INTERNALLENGTH = ' || t.typlen, 'ALIGNMENT = ' || t.typalign::text,
                 'STORAGE = ' || t.typstorage::text, 'CATEGORY = ' || t.typcategory::text)
FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
WHERE t.typtype IN ('b', 'p') AND t.oid >= 16384
  AND NOT EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
  AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
UNION ALL
SELECT 'foreign table', r.nspname, format('%I.%I', r.nspname, r.relname),
       concat_ws(' ', 'SERVER ' || quote_ident(s.srvname), 'OPTIONS ' || f.ftoptions::text,
         (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                            || coalesce(' OPTIONS ' || a.attfdwoptions::text, ''),
                            ', ' ORDER BY a.attnum)
          FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped))
FROM rel r JOIN pg_foreign_table f ON f.ftrelid = r.oid
JOIN pg_foreign_server s ON s.oid = f.ftserver
WHERE r.relkind = 'f'
UNION ALL
-- Settings of tables and columns that the model does not carry.
SELECT 'table access method', r.nspname, format('%I.%I', r.nspname, r.relname), am.amname
FROM rel r JOIN pg_am am ON am.oid = r.relam
WHERE r.relkind IN ('r', 'm') AND am.amname <> 'heap'
UNION ALL
SELECT 'tablespace', r.nspname, format('%I.%I', r.nspname, r.relname), t.spcname
FROM rel r JOIN pg_tablespace t ON t.oid = r.reltablespace
UNION ALL
SELECT 'clustered index', r.nspname, format('%I.%I', r.nspname, r.relname), ic.relname
FROM rel r JOIN pg_index x ON x.indrelid = r.oid AND x.indisclustered
JOIN pg_class ic ON ic.oid = x.indexrelid
UNION ALL
-- Objects outside any schema.
SELECT 'cast', '', format('(%s AS %s)', format_type(c.castsource, NULL),
                          format_type(c.casttarget, NULL)),
       concat_ws(' ', CASE c.castmethod WHEN 'f' THEN 'WITH FUNCTION ' || c.castfunc::regprocedure::text
                      WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END,
                 CASE c.castcontext WHEN 'i' THEN 'AS IMPLICIT' WHEN 'a' THEN 'AS ASSIGNMENT' END)
FROM pg_cast c
WHERE c.oid >= 16384
  AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_cast'::regclass AND ext.objid = c.oid)
UNION ALL
SELECT 'event trigger', '', quote_ident(e.evtname),
       concat_ws(' ', 'ON ' || e.evtevent, 'WHEN TAG IN ' || e.evttags::text,
                 'EXECUTE ' || e.evtfoid::regprocedure::text, 'ENABLED ' || e.evtenabled::text)
FROM pg_event_trigger e
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_event_trigger'::regclass
                                    AND ext.objid = e.oid)
UNION ALL
SELECT 'language', '', quote_ident(l.lanname),
       concat_ws(' ', CASE WHEN l.lanpltrusted THEN 'TRUSTED' END,
                 'HANDLER ' || nullif(l.lanplcallfoid, 0)::regprocedure::text,
                 'INLINE ' || nullif(l.laninline, 0)::regprocedure::text,
                 'VALIDATOR ' || nullif(l.lanvalidator, 0)::regprocedure::text)
FROM pg_language l
WHERE l.oid >= 16384
  AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_language'::regclass AND ext.objid = l.oid)
UNION ALL
SELECT 'access method', '', quote_ident(a.amname),
       concat_ws(' ', 'TYPE ' || a.amtype::text, 'HANDLER ' || a.amhandler::regprocedure::text)
FROM pg_am a
WHERE a.oid >= 16384
  AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_am'::regclass AND ext.objid = a.oid)
UNION ALL
SELECT 'transform', '', format('FOR %s LANGUAGE %I', format_type(t.trftype, NULL), l.lanname),
       concat_ws(' ', 'FROM SQL ' || nullif(t.trffromsql, 0)::regprocedure::text,
                 'TO SQL ' || nullif(t.trftosql, 0)::regprocedure::text)
FROM pg_transform t JOIN pg_language l ON l.oid = t.trflang
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_transform'::regclass
                                    AND ext.objid = t.oid)
UNION ALL
SELECT 'foreign data wrapper', '', quote_ident(w.fdwname),
       concat_ws(' ', 'HANDLER ' || nullif(w.fdwhandler, 0)::regprocedure::text,
                 'VALIDATOR ' || nullif(w.fdwvalidator, 0)::regprocedure::text,
                 'OPTIONS ' || w.fdwoptions::text)
FROM pg_foreign_data_wrapper w
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_foreign_data_wrapper'::regclass
                                    AND ext.objid = w.oid)
UNION ALL
SELECT 'server', '', quote_ident(s.srvname),
       concat_ws(' ', 'TYPE ' || quote_literal(s.srvtype), 'VERSION ' || quote_literal(s.srvversion),
                 'FOREIGN DATA WRAPPER ' || quote_ident(w.fdwname), 'OPTIONS ' || s.srvoptions::text)
FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
WHERE NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_foreign_server'::regclass
                                    AND ext.objid = s.oid)
UNION ALL
-- A user mapping's options hold passwords: only a hash of them is read.
SELECT 'user mapping', '',
       format('FOR %s SERVER %I', CASE WHEN u.umuser = 0 THEN 'PUBLIC'
                                       ELSE u.umuser::regrole::text END, s.srvname),
       'OPTIONS sha256:' || coalesce(encode(sha256(convert_to(u.umoptions::text, 'UTF8')), 'hex'),
                                     'none')
FROM pg_user_mapping u JOIN pg_foreign_server s ON s.oid = u.umserver
UNION ALL
SELECT 'publication', '', quote_ident(p.pubname),
       concat_ws(' ', CASE WHEN p.puballtables THEN 'FOR ALL TABLES' END,
                 'PUBLISH ' || concat_ws(',', CASE WHEN p.pubinsert THEN 'insert' END,
                                         CASE WHEN p.pubupdate THEN 'update' END,
                                         CASE WHEN p.pubdelete THEN 'delete' END,
                                         CASE WHEN p.pubtruncate THEN 'truncate' END),
                 CASE WHEN p.pubviaroot THEN 'VIA ROOT' END,
                 (SELECT 'TABLES ' || string_agg(pr.prrelid::regclass::text
                                                 || coalesce(' WHERE ' || pg_get_expr(pr.prqual, pr.prrelid), ''),
                                                 ', ' ORDER BY pr.prrelid::regclass::text)
                  FROM pg_publication_rel pr WHERE pr.prpubid = p.oid),
                 (SELECT 'SCHEMAS ' || string_agg(pn.pnnspid::regnamespace::text, ', '
                                                  ORDER BY pn.pnnspid::regnamespace::text)
                  FROM pg_publication_namespace pn WHERE pn.pnpubid = p.oid))
FROM pg_publication p
UNION ALL
SELECT 'default privileges', coalesce(n.nspname, ''),
       format('FOR ROLE %s%s ON %s', d.defaclrole::regrole,
              coalesce(' IN SCHEMA ' || quote_ident(n.nspname), ''),
              CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'
                   WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END),
       d.defaclacl::text
FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
