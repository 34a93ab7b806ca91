-- DESTRUCTIVE: drops table public.active_users and its data
DROP TABLE public.active_users;

CREATE VIEW public.active_users AS
 SELECT users.id,
    users.name
   FROM users
  WHERE users.active;
