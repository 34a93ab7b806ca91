DROP FUNCTION public.as_written();

DROP FUNCTION public.booking_year(b bookings);

DROP FUNCTION public.this_year();
