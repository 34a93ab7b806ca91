DROP MATERIALIZED VIEW public.region_sales;

CREATE MATERIALIZED VIEW public.region_sales AS
 SELECT sales.region,
    sum(sales.amount) AS amount
   FROM sales
  GROUP BY sales.region;

CREATE UNIQUE INDEX region_sales_region_idx ON public.region_sales USING btree (region);
