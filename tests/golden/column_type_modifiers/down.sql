ALTER TABLE public.products ALTER COLUMN name TYPE character varying(50) USING name::character varying(50);

ALTER TABLE public.products ALTER COLUMN price TYPE numeric(10,2) USING price::numeric(10,2);

ALTER TABLE public.products ALTER COLUMN created_at TYPE timestamp(3) without time zone USING created_at::timestamp(3) without time zone;

ALTER TABLE public.products ALTER COLUMN stamp TYPE time(2) with time zone USING stamp::time(2) with time zone;

ALTER TABLE public.products ALTER COLUMN code TYPE character(4) USING code::character(4);

ALTER TABLE public.products ALTER COLUMN raw TYPE bit varying(16) USING raw::bit varying(16);

ALTER TABLE public.products ALTER COLUMN span TYPE interval USING span::interval;

ALTER TABLE public.products ALTER COLUMN amount TYPE numeric USING amount::numeric;
