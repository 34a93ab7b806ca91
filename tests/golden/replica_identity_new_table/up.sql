CREATE TABLE public.ledger (
    id bigint NOT NULL,
    amount numeric
) PARTITION BY RANGE (id);

CREATE TABLE public.ledger_1 PARTITION OF public.ledger FOR VALUES FROM ('0') TO ('1000');

CREATE TABLE public.outbox (
    id bigint NOT NULL,
    payload jsonb
);

ALTER TABLE public.ledger REPLICA IDENTITY FULL;

ALTER TABLE public.ledger_1 REPLICA IDENTITY FULL;

ALTER TABLE public.outbox ADD CONSTRAINT outbox_id_key UNIQUE (id);

ALTER TABLE public.outbox REPLICA IDENTITY USING INDEX outbox_id_key;
