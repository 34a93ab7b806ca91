CREATE TABLE readings (id bigint NOT NULL, sensor integer, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- Built partition by partition (as CONCURRENTLY would be): invalid until every partition's
-- index is attached.
CREATE INDEX readings_sensor_idx ON ONLY readings (sensor);
