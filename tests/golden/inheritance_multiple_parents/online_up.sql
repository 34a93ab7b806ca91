CREATE TABLE public.comments (
    id integer NOT NULL,
    body text
) INHERITS (public.owned, public.timestamps);

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.posts ADD CONSTRAINT owned_owner_check CHECK ((owner_id > 0)) NOT VALID;

ALTER TABLE public.posts VALIDATE CONSTRAINT owned_owner_check;

-- Checked apart from the lock: NOT VALID now, VALIDATE below.
ALTER TABLE public.owned ADD CONSTRAINT owned_owner_check CHECK ((owner_id > 0)) NOT VALID;

ALTER TABLE public.owned VALIDATE CONSTRAINT owned_owner_check;

ALTER TABLE public.posts INHERIT public.owned;
