DROP MATERIALIZED VIEW public.region_sales;

CREATE MATERIALIZED VIEW public.region_sales AS
 SELECT sales.region,
    sum(sales.amount) AS amount,
    count(*) AS n
   FROM sales
  GROUP BY sales.region;

CREATE UNIQUE INDEX region_sales_region_idx ON public.region_sales USING btree (region);

COMMENT ON MATERIALIZED VIEW public.region_sales IS 'per region';
