-- DESTRUCTIVE: drops table public.ledger, its partitions and their data
DROP TABLE public.ledger;

-- DESTRUCTIVE: drops table public.outbox and its data
DROP TABLE public.outbox;
