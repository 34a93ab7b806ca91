CREATE RULE orders_log AS
    ON INSERT TO public.orders DO  INSERT INTO order_log (id)
  VALUES (new.id);

COMMENT ON RULE orders_log ON public.orders IS 'audit trail';
