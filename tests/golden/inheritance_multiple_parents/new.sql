CREATE TABLE timestamps (created_at timestamptz DEFAULT now(), updated_at timestamptz);
CREATE TABLE owned (owner_id integer NOT NULL, CONSTRAINT owned_owner_check CHECK (owner_id > 0));
CREATE TABLE posts (owner_id integer NOT NULL, id integer NOT NULL, title text, CONSTRAINT owned_owner_check CHECK (owner_id > 0)) INHERITS (timestamps);
ALTER TABLE posts INHERIT owned;
CREATE TABLE comments (id integer NOT NULL, body text) INHERITS (owned, timestamps);
