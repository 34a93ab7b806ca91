CREATE TABLE measurements (id bigint NOT NULL, region text NOT NULL, value numeric, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
ALTER TABLE measurements REPLICA IDENTITY FULL;
CREATE TABLE measurements_eu PARTITION OF measurements FOR VALUES IN ('eu');
ALTER TABLE measurements_eu REPLICA IDENTITY USING INDEX measurements_eu_pkey;
CREATE TABLE measurements_us PARTITION OF measurements FOR VALUES IN ('us');
CREATE TABLE measurements_asia PARTITION OF measurements FOR VALUES IN ('asia');
ALTER TABLE measurements_asia REPLICA IDENTITY USING INDEX measurements_asia_pkey;
