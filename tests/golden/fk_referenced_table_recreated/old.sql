CREATE TABLE events (id integer PRIMARY KEY, parent_id integer REFERENCES events (id), kind integer NOT NULL);
CREATE TABLE attendees (id integer PRIMARY KEY, event_id integer NOT NULL REFERENCES events (id));
