CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email text NOT NULL UNIQUE,
    region text CHECK (region <> ''),
    token uuid NOT NULL DEFAULT gen_random_uuid(),
    created timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    account_id bigint REFERENCES accounts (id),
    note text
);
CREATE INDEX orders_account_id_idx ON orders (account_id);

CREATE TABLE events (payload text, added_at timestamptz DEFAULT clock_timestamp());

CREATE TABLE logs (id int NOT NULL CHECK (id >= 0), at date) PARTITION BY RANGE (id);
CREATE TABLE logs_1 PARTITION OF logs FOR VALUES FROM (0) TO (100);
CREATE INDEX logs_at_idx ON logs (at);

-- A table of this migration needs no online form.
CREATE TABLE tags (id int PRIMARY KEY, name text NOT NULL DEFAULT md5(random()::text));
CREATE INDEX tags_name_idx ON tags (name);
