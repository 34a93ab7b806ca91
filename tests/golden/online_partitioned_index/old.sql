-- LIST partitions, one of them partitioned again, one with an index of the shape the parent's
-- new index has (attached, as CREATE INDEX on the parent would).
CREATE TABLE events (id bigint NOT NULL, kind text NOT NULL, shard int NOT NULL, at timestamptz) PARTITION BY LIST (kind);
CREATE TABLE events_click PARTITION OF events FOR VALUES IN ('click');
CREATE TABLE events_view PARTITION OF events FOR VALUES IN ('view');
CREATE TABLE events_buy PARTITION OF events FOR VALUES IN ('buy') PARTITION BY LIST (shard);
CREATE TABLE events_buy_0 PARTITION OF events_buy FOR VALUES IN (0);
CREATE TABLE events_buy_1 PARTITION OF events_buy FOR VALUES IN (1);
CREATE INDEX events_view_at_idx ON events_view (at);
-- An index of the parent already: its partitions' indexes (not in the model) hold the names
-- PostgreSQL chooses first, so the new one's partitions get the next.
CREATE INDEX events_at_kind_idx ON events (at, kind) WHERE id > 0;
