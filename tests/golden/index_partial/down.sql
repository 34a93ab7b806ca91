DROP INDEX public.docs_created_idx;

CREATE INDEX docs_created_idx ON public.docs USING btree (created);
