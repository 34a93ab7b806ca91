CREATE EXTENSION pg_trgm WITH SCHEMA public VERSION '1.6';

CREATE INDEX CONCURRENTLY docs_title_trgm_idx ON public.docs USING gin (title gin_trgm_ops);
