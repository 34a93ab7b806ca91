ALTER TABLE public.books DROP CONSTRAINT books_author_fkey;

ALTER TABLE public.authors DROP CONSTRAINT authors_pkey;

-- Fails if public.authors holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY authors_pkey ON public.authors USING btree (id) INCLUDE (name);

ALTER TABLE public.authors ADD CONSTRAINT authors_pkey PRIMARY KEY USING INDEX authors_pkey;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.books ADD CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES authors(id) NOT VALID;

ALTER TABLE public.books VALIDATE CONSTRAINT books_author_fkey;
