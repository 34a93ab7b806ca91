CREATE TABLE timestamps (created_at timestamptz DEFAULT now(), updated_at timestamptz);
CREATE TABLE owned (owner_id integer NOT NULL);
CREATE TABLE posts (owner_id integer NOT NULL, id integer NOT NULL, title text) INHERITS (timestamps);
