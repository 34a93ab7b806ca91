CREATE TABLE orders (id bigint NOT NULL, region text NOT NULL, customer integer) PARTITION BY LIST (region);
CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('eu');
CREATE TABLE orders_us PARTITION OF orders FOR VALUES IN ('us');
CREATE INDEX orders_eu_customer_idx ON orders_eu (customer);
CREATE INDEX orders_customer_idx ON orders (customer);
