ALTER TABLE public.books DROP CONSTRAINT books_author_fkey;

-- DESTRUCTIVE: drops table public.authors and its data
DROP TABLE public.authors;

-- DESTRUCTIVE: drops table public.books and its data
DROP TABLE public.books;
