CREATE TABLE public.events (
    id bigint NOT NULL,
    region text NOT NULL,
    payload jsonb
) PARTITION BY LIST (region);

CREATE TABLE public.events_eu PARTITION OF public.events (
    payload WITH OPTIONS DEFAULT '{}'::jsonb
) FOR VALUES IN ('eu');

CREATE TABLE public.events_us PARTITION OF public.events FOR VALUES IN ('us');

CREATE TABLE public.events_us_sub PARTITION OF public.events FOR VALUES IN ('sub') PARTITION BY RANGE (id);

CREATE TABLE public.events_us_sub_low PARTITION OF public.events_us_sub FOR VALUES FROM ('0') TO ('1000');

ALTER TABLE public.events ADD CONSTRAINT events_pkey PRIMARY KEY (id, region);

CREATE INDEX events_payload_idx ON public.events USING gin (payload);
