ALTER TABLE public.books VALIDATE CONSTRAINT books_author_fkey;
