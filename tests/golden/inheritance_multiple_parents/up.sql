CREATE TABLE public.comments (
    id integer NOT NULL,
    body text
) INHERITS (public.owned, public.timestamps);

ALTER TABLE public.posts ADD CONSTRAINT owned_owner_check CHECK ((owner_id > 0));

ALTER TABLE public.owned ADD CONSTRAINT owned_owner_check CHECK ((owner_id > 0));

ALTER TABLE public.posts INHERIT public.owned;
