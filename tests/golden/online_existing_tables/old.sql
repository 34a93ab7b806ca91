CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text,
    region text
);

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    account_id bigint,
    note text
);
CREATE INDEX orders_note_idx ON orders (note);

-- No key to walk: a volatile default keeps its plain form.
CREATE TABLE events (payload text);

CREATE TABLE logs (id int, at date) PARTITION BY RANGE (id);
CREATE TABLE logs_1 PARTITION OF logs FOR VALUES FROM (0) TO (100);
