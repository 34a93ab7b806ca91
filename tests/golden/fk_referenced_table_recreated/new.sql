CREATE TABLE events (id integer, parent_id integer, kind integer NOT NULL, PRIMARY KEY (id, kind)) PARTITION BY LIST (kind);
CREATE TABLE events_0 PARTITION OF events FOR VALUES IN (0);
ALTER TABLE events ADD CONSTRAINT events_parent_id_fkey FOREIGN KEY (parent_id, kind) REFERENCES events (id, kind);
CREATE TABLE attendees (id integer PRIMARY KEY, event_id integer NOT NULL, event_kind integer NOT NULL DEFAULT 0);
ALTER TABLE attendees ADD CONSTRAINT attendees_event_id_fkey FOREIGN KEY (event_id, event_kind) REFERENCES events (id, kind);
