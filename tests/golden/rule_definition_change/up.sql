DROP RULE orders_log ON public.orders;

CREATE RULE orders_log AS
    ON INSERT TO public.orders
   WHERE (new.n > 0) DO  INSERT INTO order_log (id)
  VALUES (new.id);
