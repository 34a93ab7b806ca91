ALTER TABLE public.visits_blog DROP CONSTRAINT visits_blog_pkey;

ALTER TABLE public.visits_shop DROP CONSTRAINT visits_shop_path_key;

-- Fails if public.visits_blog holds duplicates: the failed build leaves an INVALID index, which
-- the next `retort upgrade` drops before it builds again; remove the duplicates, then run it
-- again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY visits_blog_pkey ON public.visits_blog USING btree (id);

-- Fails if public.visits_shop holds duplicates: the failed build leaves an INVALID index, which
-- the next `retort upgrade` drops before it builds again; remove the duplicates, then run it
-- again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY visits_shop_path_key ON public.visits_shop USING btree (path);
