CREATE TABLE authors (id integer, name text, CONSTRAINT authors_pkey PRIMARY KEY (id) INCLUDE (name));
CREATE TABLE books (id integer PRIMARY KEY, author_id integer, title text);
ALTER TABLE books ADD CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES authors (id);
