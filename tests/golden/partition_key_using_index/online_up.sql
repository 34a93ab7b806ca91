ALTER TABLE public.visits_blog ADD CONSTRAINT visits_blog_pkey PRIMARY KEY USING INDEX visits_blog_pkey;

ALTER TABLE public.visits_shop ADD CONSTRAINT visits_shop_path_key UNIQUE USING INDEX visits_shop_path_key;
