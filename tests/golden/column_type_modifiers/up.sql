ALTER TABLE public.products ALTER COLUMN name TYPE character varying(100) USING name::character varying(100);

ALTER TABLE public.products ALTER COLUMN price TYPE numeric(12,4) USING price::numeric(12,4);

ALTER TABLE public.products ALTER COLUMN created_at TYPE timestamp(6) without time zone USING created_at::timestamp(6) without time zone;

ALTER TABLE public.products ALTER COLUMN stamp TYPE time with time zone USING stamp::time with time zone;

ALTER TABLE public.products ALTER COLUMN code TYPE character(8) USING code::character(8);

ALTER TABLE public.products ALTER COLUMN raw TYPE bit varying(32) USING raw::bit varying(32);

ALTER TABLE public.products ALTER COLUMN span TYPE interval day to second(3) USING span::interval day to second(3);

ALTER TABLE public.products ALTER COLUMN amount TYPE numeric(20,0) USING amount::numeric(20,0);
