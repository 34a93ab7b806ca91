-- retort:revision  70a5c9e2b4d3
-- retort:revises   e61f8b3d0c94
-- retort:message   add trip indexes concurrently
-- retort:created   2025-07-20 22:00:00+00
-- retort:transaction   none

-- retort:upgrade
-- CONCURRENTLY builds the index without blocking writes to trips, and cannot
-- run inside a transaction block, hence `transaction none`.
-- If a build fails it leaves an INVALID index behind that IF NOT EXISTS would
-- then skip: drop it (DROP INDEX CONCURRENTLY) before running this again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_trips_traveler_id_start_date
    ON trips (traveler_id, start_date);
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_trips_destinations_gin
    ON trips USING gin (destinations);

-- retort:downgrade
DROP INDEX CONCURRENTLY IF EXISTS ix_trips_destinations_gin;
DROP INDEX CONCURRENTLY IF EXISTS ix_trips_traveler_id_start_date;
