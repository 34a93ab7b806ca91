-- DESTRUCTIVE: drops partition public.ledger_1 and its data
DROP TABLE public.ledger_1;

-- DESTRUCTIVE: drops table public.ledger and its data
DROP TABLE public.ledger;

-- DESTRUCTIVE: drops table public.outbox and its data
DROP TABLE public.outbox;
