CREATE UNLOGGED TABLE public.scratch (
    v text
);

ALTER TABLE public.cache SET LOGGED;

ALTER TABLE public.durable SET UNLOGGED;
