CREATE TABLE measurements (id bigint NOT NULL, region text NOT NULL, value numeric, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE TABLE measurements_eu PARTITION OF measurements FOR VALUES IN ('eu');
CREATE TABLE measurements_us PARTITION OF measurements FOR VALUES IN ('us');
ALTER TABLE measurements_us REPLICA IDENTITY FULL;
