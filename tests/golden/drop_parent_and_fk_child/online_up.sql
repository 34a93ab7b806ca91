ALTER TABLE public.invoices DROP CONSTRAINT invoices_customer_id_fkey;

-- DESTRUCTIVE: drops table public.customers and its data
DROP TABLE public.customers;
