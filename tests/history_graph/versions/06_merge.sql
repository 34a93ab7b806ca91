-- retort:revision  6f00merge
-- retort:revises   2b00email, 4d00lines, 5e00audit
-- retort:message   merge email, billing and audit
-- retort:created   2026-11-24 10:00:00+00

-- retort:upgrade
SELECT 1;

-- retort:downgrade
SELECT 1;
