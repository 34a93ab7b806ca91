CREATE TABLE public.authors (
    id integer NOT NULL,
    name text
);

CREATE TABLE public.books (
    id integer NOT NULL,
    author_id integer,
    title text
);

ALTER TABLE public.authors ADD CONSTRAINT authors_pkey PRIMARY KEY (id);

ALTER TABLE public.books ADD CONSTRAINT books_pkey PRIMARY KEY (id);

CREATE INDEX books_author_idx ON public.books USING btree (author_id);

ALTER TABLE public.books ADD CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES authors(id) ON DELETE CASCADE;
