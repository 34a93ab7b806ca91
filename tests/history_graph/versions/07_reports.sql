-- retort:revision  7a00reports
-- retort:revises   none
-- retort:message   reporting schema
-- retort:created   2026-11-21 10:00:00+00
-- retort:branch-labels reports
-- retort:upgrade
CREATE SCHEMA reports;

-- retort:downgrade
SELECT 1;
