-- retort:revision  2b00email
-- retort:revises   1a00users
-- retort:message   add email to users
-- retort:created   2026-11-22 10:00:00+00

-- retort:upgrade
ALTER TABLE users ADD COLUMN email text;

-- retort:downgrade
SELECT 1;
