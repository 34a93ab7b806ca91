CREATE TABLE metrics (id bigint NOT NULL, kind text NOT NULL, value numeric, at timestamptz) PARTITION BY LIST (kind);
CREATE TABLE metrics_cpu PARTITION OF metrics FOR VALUES IN ('cpu');
CREATE TABLE metrics_disk PARTITION OF metrics FOR VALUES IN ('disk');
