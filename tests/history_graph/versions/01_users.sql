-- retort:revision  1a00users
-- retort:revises   none
-- retort:message   create users
-- retort:created   2026-11-21 10:00:00+00

-- retort:upgrade
CREATE TABLE users (id int PRIMARY KEY);

-- retort:downgrade
SELECT 1;
