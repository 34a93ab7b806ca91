CREATE INDEX CONCURRENTLY docs_created_desc_idx ON public.docs USING btree (created DESC NULLS LAST, id);

-- Fails if public.docs holds duplicates: the failed build leaves an INVALID index, which the next
-- `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY docs_lower_title_idx ON public.docs USING btree (lower(title)) INCLUDE (created);
