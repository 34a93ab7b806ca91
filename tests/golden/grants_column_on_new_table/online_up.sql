CREATE TABLE public.child (
    id integer NOT NULL,
    label text
);

-- Rewrites public.parent under ACCESS EXCLUSIVE: a stored generated column has no online form.
-- Online: a plain column filled in batches and kept current by a trigger.
-- retort:lint-ignore adding-generated-column
ALTER TABLE public.parent ADD COLUMN total integer GENERATED ALWAYS AS ((id * 2)) STORED;

ALTER TABLE public.child ADD CONSTRAINT child_pkey PRIMARY KEY (id);

GRANT REFERENCES (id), SELECT (id) ON TABLE public.child TO golden_reader;

GRANT SELECT (label) ON TABLE public.child TO golden_reader;

GRANT SELECT (total) ON TABLE public.parent TO golden_reader;
