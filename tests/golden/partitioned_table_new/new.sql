CREATE TABLE events (id bigint NOT NULL, region text NOT NULL, payload jsonb, PRIMARY KEY (id, region)) PARTITION BY LIST (region);
CREATE INDEX events_payload_idx ON events USING gin (payload);
CREATE TABLE events_eu PARTITION OF events FOR VALUES IN ('eu');
CREATE TABLE events_us PARTITION OF events FOR VALUES IN ('us');

CREATE TABLE events_us_sub PARTITION OF events FOR VALUES IN ('sub') PARTITION BY RANGE (id);
CREATE TABLE events_us_sub_low PARTITION OF events_us_sub FOR VALUES FROM (0) TO (1000);
ALTER TABLE events_eu ALTER COLUMN payload SET DEFAULT '{}';
