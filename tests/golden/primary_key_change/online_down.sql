ALTER TABLE public.books DROP CONSTRAINT books_author_fkey;

-- Fails if public.authors holds duplicates: the failed build leaves an INVALID index, which the
-- next `retort upgrade` drops before it builds again; remove the duplicates, then run it again.
-- retort:lint-ignore adding-unique-index
CREATE UNIQUE INDEX CONCURRENTLY authors_pkey__retort_new ON public.authors USING btree (id);

-- The old key and the new one swapped in one statement (ACCESS EXCLUSIVE, briefly): the index
-- built above takes the constraint's name.
ALTER TABLE public.authors DROP CONSTRAINT authors_pkey, ADD CONSTRAINT authors_pkey PRIMARY KEY USING INDEX authors_pkey__retort_new;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.books ADD CONSTRAINT books_author_fkey FOREIGN KEY (author_id) REFERENCES authors(id) NOT VALID;

ALTER TABLE public.books VALIDATE CONSTRAINT books_author_fkey;
