DROP VIEW public.periods;

ALTER TABLE public.bookings DROP CONSTRAINT bookings_day_check;

DROP INDEX CONCURRENTLY public.bookings_year;
