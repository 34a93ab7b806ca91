CREATE TABLE sales (id integer PRIMARY KEY, region text, amount numeric);
CREATE MATERIALIZED VIEW region_sales AS SELECT region, sum(amount) AS amount FROM sales GROUP BY region;
CREATE UNIQUE INDEX region_sales_region_idx ON region_sales (region);
