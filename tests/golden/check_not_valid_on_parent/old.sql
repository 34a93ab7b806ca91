CREATE TABLE shipments (id integer NOT NULL, region integer NOT NULL, weight numeric) PARTITION BY LIST (region);
CREATE TABLE shipments_1 PARTITION OF shipments FOR VALUES IN (1);
CREATE TABLE shipments_2 PARTITION OF shipments FOR VALUES IN (2);
