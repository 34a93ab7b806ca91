CREATE INDEX docs_created_desc_idx ON public.docs USING btree (created DESC NULLS LAST, id);

CREATE UNIQUE INDEX docs_lower_title_idx ON public.docs USING btree (lower(title)) INCLUDE (created);
