CREATE TYPE status AS ENUM ('draft', 'published');
CREATE TABLE posts (id integer PRIMARY KEY, status status DEFAULT 'draft' NOT NULL);
