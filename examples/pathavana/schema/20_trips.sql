CREATE TABLE trips (
    id           uuid          NOT NULL DEFAULT gen_random_uuid(),
    traveler_id  uuid          NOT NULL,
    title        varchar(255)  NOT NULL,
    status       trip_status   NOT NULL DEFAULT 'draft',
    destinations text[]        NOT NULL DEFAULT '{}',
    start_date   date,
    end_date     date,
    budget       numeric(12,2),
    currency     char(3)       NOT NULL DEFAULT 'USD',
    preferences  jsonb         NOT NULL DEFAULT '{}'::jsonb,
    tags         text[]        NOT NULL DEFAULT '{}',
    created_at   timestamptz   NOT NULL DEFAULT now(),
    updated_at   timestamptz   NOT NULL DEFAULT now(),
    -- Set when a completed trip is archived.
    archived_at  timestamptz,
    CONSTRAINT pk_trips PRIMARY KEY (id),
    CONSTRAINT fk_trips_traveler_id_travelers
        FOREIGN KEY (traveler_id) REFERENCES travelers (id) ON DELETE CASCADE,
    CONSTRAINT ck_trips_dates_ordered CHECK (end_date >= start_date)
);

CREATE INDEX ix_trips_preferences_gin ON trips USING gin (preferences);
CREATE INDEX ix_trips_status ON trips (status);
CREATE INDEX ix_trips_traveler_id_start_date ON trips (traveler_id, start_date);
CREATE INDEX ix_trips_destinations_gin ON trips USING gin (destinations);
