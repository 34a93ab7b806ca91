DROP POLICY this_year ON public.bookings;

ALTER TABLE public.bookings DISABLE ROW LEVEL SECURITY;
