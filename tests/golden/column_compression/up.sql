CREATE TABLE public.thumbnails (
    id integer,
    image bytea
);

ALTER TABLE public.pages ADD COLUMN snippet text;

ALTER TABLE public.pages ALTER COLUMN html SET COMPRESSION lz4;

ALTER TABLE public.pages ALTER COLUMN raw SET COMPRESSION pglz;

ALTER TABLE public.pages ALTER COLUMN meta SET COMPRESSION default;

ALTER TABLE public.pages ALTER COLUMN snippet SET COMPRESSION lz4;

ALTER TABLE public.thumbnails ALTER COLUMN image SET STORAGE EXTERNAL;

ALTER TABLE public.thumbnails ALTER COLUMN image SET COMPRESSION lz4;
