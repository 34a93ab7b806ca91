-- retort:revision  9d4c2a7e5f18
-- retort:revises   3b8e1f0c6a27
-- retort:message   add archived trip status
-- retort:created   2025-07-02 08:30:00+00
-- retort:transaction   none

-- retort:upgrade
-- A value added by ALTER TYPE ... ADD VALUE cannot be used until the adding
-- transaction commits, so this runs on its own, outside a transaction, and the
-- migration that first uses 'archived' (the next one) comes after it.
ALTER TYPE trip_status ADD VALUE IF NOT EXISTS 'archived' AFTER 'completed';

-- retort:downgrade
-- PostgreSQL cannot drop a value from an enum, so the type is rebuilt without
-- it. The whole rebuild is one DO statement, which PostgreSQL runs atomically
-- even though this migration has no transaction: a failure leaves the old type
-- in place instead of a half-renamed one.
-- Archived trips become 'completed' again, the state they were archived from.
-- The column default ('draft'::trip_status) names the type, so it is dropped
-- before the column changes type and restored afterwards.
DO $$
BEGIN
    UPDATE trips SET status = 'completed' WHERE status = 'archived';
    ALTER TYPE trip_status RENAME TO trip_status_old;
    CREATE TYPE trip_status AS ENUM ('draft', 'planning', 'booked', 'in_progress', 'completed', 'cancelled');
    ALTER TABLE trips ALTER COLUMN status DROP DEFAULT;
    ALTER TABLE trips ALTER COLUMN status TYPE trip_status USING status::text::trip_status;
    ALTER TABLE trips ALTER COLUMN status SET DEFAULT 'draft';
    DROP TYPE trip_status_old;
END
$$;
