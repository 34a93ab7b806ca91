DROP VIEW public.active_users;

CREATE TABLE public.active_users (
    id integer NOT NULL,
    name text
);

ALTER TABLE public.active_users ADD CONSTRAINT active_users_pkey PRIMARY KEY (id);
