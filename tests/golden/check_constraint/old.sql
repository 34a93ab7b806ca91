CREATE TABLE items (id integer PRIMARY KEY, qty integer, price numeric, CONSTRAINT items_qty_check CHECK (qty >= 0));
