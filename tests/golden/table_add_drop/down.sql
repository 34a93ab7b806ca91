CREATE TABLE public.old_things (
    id integer NOT NULL,
    label text
);

ALTER TABLE public.old_things ADD CONSTRAINT old_things_pkey PRIMARY KEY (id);

-- DESTRUCTIVE: drops table public.new_things and its data
DROP TABLE public.new_things;
