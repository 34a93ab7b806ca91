CREATE TABLE public.archive (
    id integer,
    body text
);

ALTER TABLE public.documents ADD COLUMN extra text;

ALTER TABLE public.archive ALTER COLUMN body SET STORAGE EXTERNAL;

ALTER TABLE public.documents ALTER COLUMN body SET STORAGE EXTERNAL;

ALTER TABLE public.documents ALTER COLUMN blob SET STORAGE MAIN;

ALTER TABLE public.documents ALTER COLUMN price SET STORAGE EXTENDED;

ALTER TABLE public.documents ALTER COLUMN tags SET STORAGE EXTENDED;

ALTER TABLE public.documents ALTER COLUMN extra SET STORAGE PLAIN;
