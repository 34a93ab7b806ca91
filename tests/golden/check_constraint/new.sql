CREATE TABLE items (id integer PRIMARY KEY, qty integer, price numeric, CONSTRAINT items_qty_check CHECK (qty > 0), CONSTRAINT items_price_check CHECK (price IS NULL OR price >= 0) NOT VALID);
