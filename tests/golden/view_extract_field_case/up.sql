ALTER TABLE public.bookings ADD CONSTRAINT bookings_day_check CHECK (((EXTRACT('Month' FROM day) >= (1)::numeric) AND (EXTRACT('Month' FROM day) <= (12)::numeric)));

CREATE INDEX bookings_year ON public.bookings USING btree (EXTRACT('YEAR' FROM day));

CREATE VIEW public.periods AS
 SELECT 'ytd'::text AS id,
    (((EXTRACT('YEAR' FROM now()))::text || '-01-01'::text))::date AS date_from,
    'EXTRACT(YEAR FROM now())'::text AS as_text
UNION
 SELECT 'last_year'::text AS id,
    ((((EXTRACT('YEAR' FROM now()) - (1)::numeric))::text || '-01-01'::text))::date AS date_from,
    ''::text AS as_text;
