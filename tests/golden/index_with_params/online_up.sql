DROP INDEX CONCURRENTLY public.docs_created_idx;

CREATE INDEX CONCURRENTLY docs_created_idx ON public.docs USING btree (created) WITH (fillfactor='70');

CREATE INDEX CONCURRENTLY docs_tags_idx ON public.docs USING gin (tags) WITH (fastupdate=off);
