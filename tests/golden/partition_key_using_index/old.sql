CREATE TABLE visits (id bigint NOT NULL, site text NOT NULL, path text) PARTITION BY LIST (site);
CREATE TABLE visits_blog PARTITION OF visits FOR VALUES IN ('blog');
CREATE TABLE visits_shop PARTITION OF visits FOR VALUES IN ('shop');
CREATE UNIQUE INDEX visits_blog_pkey ON visits_blog (id);
CREATE UNIQUE INDEX visits_shop_path_key ON visits_shop (path);
