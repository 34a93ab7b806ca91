ALTER TABLE public.bookings ENABLE ROW LEVEL SECURITY;

CREATE POLICY this_year ON public.bookings USING ((EXTRACT('YEAR' FROM day) = EXTRACT('Year' FROM now()))) WITH CHECK (((EXTRACT('Month' FROM day) >= (1)::numeric) AND (EXTRACT('Month' FROM day) <= (12)::numeric)));
