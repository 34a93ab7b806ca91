-- DESTRUCTIVE: drops table public.log and its data
DROP TABLE public.log;

DROP PROCEDURE public.write_log(IN message text);
