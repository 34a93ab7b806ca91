DROP INDEX public.docs_title_idx;

CREATE INDEX docs_title_idx ON public.docs USING hash (title);
