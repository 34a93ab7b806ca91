CREATE TYPE status AS ENUM ('draft', 'published');
COMMENT ON TYPE status IS 'lifecycle';
CREATE TABLE posts (id integer PRIMARY KEY, status status DEFAULT 'draft' NOT NULL, history status[]);
CREATE VIEW published_posts AS SELECT id FROM posts WHERE status = 'published';
