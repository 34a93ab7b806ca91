DROP INDEX CONCURRENTLY public.docs_title_trgm_idx;

DROP EXTENSION pg_trgm;
