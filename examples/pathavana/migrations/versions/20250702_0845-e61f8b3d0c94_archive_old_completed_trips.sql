-- retort:revision  e61f8b3d0c94
-- retort:revises   9d4c2a7e5f18
-- retort:message   archive old completed trips
-- retort:created   2025-07-02 08:45:00+00

-- retort:upgrade
-- Nullable and without a default: adding it changes only the catalog, no
-- table rewrite.
ALTER TABLE trips ADD COLUMN archived_at timestamptz;

-- Backfill in the seed's batch shape: at most 1000 rows per statement. As a
-- plain statement it runs once, so it archives at most 1000 trips; a larger
-- backlog needs the statement repeated until it updates no rows.
UPDATE trips
   SET status = 'archived',
       archived_at = now()
 WHERE id IN (
       SELECT id
         FROM trips
        WHERE status = 'completed'
          AND end_date < current_date - 365
          AND archived_at IS NULL
        LIMIT 1000
       );

-- retort:downgrade
-- Every trip with an archived_at was archived at or after this revision;
-- without the column the previous revision cannot tell them apart, so they
-- go back to 'completed'.
UPDATE trips
   SET status = 'completed'
 WHERE status = 'archived'
   AND archived_at IS NOT NULL;
ALTER TABLE trips DROP COLUMN archived_at;
