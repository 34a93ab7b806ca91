ALTER TABLE public.books DROP CONSTRAINT books_author_fkey;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.books ADD CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES authors(id) ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED NOT VALID;

ALTER TABLE public.books VALIDATE CONSTRAINT books_author_fkey;
