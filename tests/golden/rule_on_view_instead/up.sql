CREATE RULE big_orders_delete AS
    ON DELETE TO public.big_orders DO INSTEAD NOTHING;

CREATE RULE big_orders_insert AS
    ON INSERT TO public.big_orders DO INSTEAD  INSERT INTO orders (id, n)
  VALUES (new.id, new.n);
