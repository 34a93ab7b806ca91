CREATE TABLE visits (id bigint NOT NULL, site text NOT NULL, path text) PARTITION BY LIST (site);
CREATE TABLE visits_blog PARTITION OF visits FOR VALUES IN ('blog');
CREATE TABLE visits_shop PARTITION OF visits FOR VALUES IN ('shop');
ALTER TABLE visits_blog ADD CONSTRAINT visits_blog_pkey PRIMARY KEY (id);
ALTER TABLE visits_shop ADD CONSTRAINT visits_shop_path_key UNIQUE (path);
