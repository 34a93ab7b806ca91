-- retort:revision  9c00index
-- retort:revises   6f00merge
-- retort:message   index users by "email" <lower> #2
-- retort:created   2026-11-25 10:00:00+00

-- retort:upgrade
CREATE INDEX ON users (email);

-- retort:downgrade
SELECT 1;
