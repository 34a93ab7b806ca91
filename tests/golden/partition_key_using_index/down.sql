ALTER TABLE public.visits_blog DROP CONSTRAINT visits_blog_pkey;

ALTER TABLE public.visits_shop DROP CONSTRAINT visits_shop_path_key;

CREATE UNIQUE INDEX visits_blog_pkey ON public.visits_blog USING btree (id);

CREATE UNIQUE INDEX visits_shop_path_key ON public.visits_shop USING btree (path);
