-- IN lists on varchar columns print as an implicit varchar[] -> text[] cast that does not
-- survive a re-parse as written: the rendered SQL must give back exactly these definitions.
CREATE DOMAIN sales_channel AS varchar(10) CHECK (VALUE IN ('web', 'shop'));
CREATE TABLE orders (
    id integer PRIMARY KEY,
    status varchar(20) NOT NULL CHECK (status IN ('new', 'paid', 'it''s')),
    channel varchar(10) CONSTRAINT orders_channel_check CHECK (channel NOT IN ('fax', 'telex')),
    sold_by sales_channel
);
CREATE INDEX orders_open ON orders (id) WHERE status IN ('new', 'paid');
CREATE VIEW open_orders AS SELECT id, status FROM orders WHERE status IN ('new', 'paid');
