ALTER TABLE public.books DROP CONSTRAINT books_author_fkey;

ALTER TABLE public.authors DROP CONSTRAINT authors_pkey;

ALTER TABLE public.authors ADD CONSTRAINT authors_pkey PRIMARY KEY (id);

ALTER TABLE public.books ADD CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES authors(id);
