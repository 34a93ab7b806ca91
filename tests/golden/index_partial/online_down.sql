DROP INDEX CONCURRENTLY public.docs_created_idx;

CREATE INDEX CONCURRENTLY docs_created_idx ON public.docs USING btree (created);
