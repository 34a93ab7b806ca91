CREATE TABLE travelers (
    id               uuid         NOT NULL DEFAULT gen_random_uuid(),
    email            varchar(320) NOT NULL,
    full_name        varchar(255) NOT NULL,
    home_airport     char(3),
    -- Seat, diet, budget style, ... as the planner learns them; schema-free on purpose, queried
    -- with @> through the GIN index below.
    preferences      jsonb        NOT NULL DEFAULT '{}'::jsonb,
    loyalty_programs text[]       NOT NULL DEFAULT '{}',
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_travelers PRIMARY KEY (id),
    CONSTRAINT uq_travelers_email UNIQUE (email)
);

CREATE INDEX ix_travelers_preferences_gin ON travelers USING gin (preferences);
