ALTER TABLE public.bookings ENABLE ROW LEVEL SECURITY;

CREATE POLICY this_year ON public.bookings USING ((EXTRACT(year FROM day) = EXTRACT(year FROM now()))) WITH CHECK (((EXTRACT(month FROM day) >= (1)::numeric) AND (EXTRACT(month FROM day) <= (12)::numeric)));
