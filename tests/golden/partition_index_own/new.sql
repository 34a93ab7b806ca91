CREATE TABLE metrics (id bigint NOT NULL, kind text NOT NULL, value numeric, at timestamptz) PARTITION BY LIST (kind);
CREATE TABLE metrics_cpu PARTITION OF metrics FOR VALUES IN ('cpu');
CREATE TABLE metrics_disk PARTITION OF metrics FOR VALUES IN ('disk');
CREATE INDEX metrics_cpu_at_idx ON metrics_cpu USING brin (at);
ALTER TABLE metrics_disk ADD CONSTRAINT metrics_disk_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX metrics_cpu_id_key ON metrics_cpu (id);
ALTER TABLE metrics_cpu ADD CONSTRAINT metrics_cpu_id_key UNIQUE USING INDEX metrics_cpu_id_key;
