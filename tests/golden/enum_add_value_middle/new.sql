CREATE TYPE status AS ENUM ('idea', 'draft', 'review', 'published');
CREATE TABLE posts (id integer PRIMARY KEY, status status);
