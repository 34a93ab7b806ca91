ALTER TABLE public.books DROP CONSTRAINT books_author_fkey;

ALTER TABLE public.books ADD CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES authors(id) NOT VALID;
