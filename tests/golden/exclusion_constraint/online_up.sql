-- An exclusion constraint has no online form: its index is built under ACCESS EXCLUSIVE.
-- retort:lint-ignore adding-unique-constraint
ALTER TABLE public.bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&) WHERE ((room > 0));
