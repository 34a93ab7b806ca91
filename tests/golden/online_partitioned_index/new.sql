-- LIST partitions, one of them partitioned again, one with an index of the shape the parent's
-- new index has (attached, as CREATE INDEX on the parent would).
CREATE TABLE events (id bigint NOT NULL, kind text NOT NULL, shard int NOT NULL, at timestamptz) PARTITION BY LIST (kind);
CREATE TABLE events_click PARTITION OF events FOR VALUES IN ('click');
CREATE TABLE events_view PARTITION OF events FOR VALUES IN ('view');
CREATE TABLE events_buy PARTITION OF events FOR VALUES IN ('buy') PARTITION BY LIST (shard);
CREATE TABLE events_buy_0 PARTITION OF events_buy FOR VALUES IN (0);
CREATE TABLE events_buy_1 PARTITION OF events_buy FOR VALUES IN (1);
CREATE INDEX events_view_at_idx ON events_view (at);
CREATE INDEX events_at_kind_idx ON events (at, kind) WHERE id > 0;
CREATE INDEX events_at_idx ON events (at);
CREATE INDEX events_at_kind_idx1 ON events (at, kind);
-- A key of the partitioned table: each partition's built first, then attached.
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, kind, shard);
