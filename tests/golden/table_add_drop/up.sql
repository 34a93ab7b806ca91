CREATE TABLE public.new_things (
    id bigint NOT NULL,
    label text NOT NULL,
    created timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE public.new_things ADD CONSTRAINT new_things_pkey PRIMARY KEY (id);

COMMENT ON TABLE public.new_things IS 'things, new style';

-- DESTRUCTIVE: drops table public.old_things and its data
DROP TABLE public.old_things;
