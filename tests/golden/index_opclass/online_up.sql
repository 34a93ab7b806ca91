DROP INDEX CONCURRENTLY public.docs_title_idx;

CREATE INDEX CONCURRENTLY docs_title_idx ON public.docs USING btree (title text_pattern_ops);
