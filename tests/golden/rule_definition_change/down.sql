DROP RULE orders_log ON public.orders;

CREATE RULE orders_log AS
    ON INSERT TO public.orders DO  INSERT INTO order_log (id)
  VALUES (new.id);
