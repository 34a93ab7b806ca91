-- retort:revision  3b8e1f0c6a27
-- retort:message   initial travel schema
-- retort:created   2025-06-15 10:00:00+00

-- retort:upgrade
CREATE TYPE trip_status AS ENUM ('draft', 'planning', 'booked', 'in_progress', 'completed', 'cancelled');
CREATE TYPE booking_type AS ENUM ('flight', 'hotel', 'activity', 'transport');
CREATE TYPE booking_status AS ENUM ('pending', 'confirmed', 'cancelled', 'refunded');

CREATE TABLE travelers (
    id               uuid         NOT NULL DEFAULT gen_random_uuid(),
    email            varchar(320) NOT NULL,
    full_name        varchar(255) NOT NULL,
    home_airport     char(3),
    -- Seat, diet, budget style, ... as the planner learns them; schema-free on
    -- purpose, queried with @> through the GIN index below.
    preferences      jsonb        NOT NULL DEFAULT '{}'::jsonb,
    loyalty_programs text[]       NOT NULL DEFAULT '{}',
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT pk_travelers PRIMARY KEY (id),
    CONSTRAINT uq_travelers_email UNIQUE (email)
);

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
    CONSTRAINT pk_trips PRIMARY KEY (id),
    CONSTRAINT fk_trips_traveler_id_travelers
        FOREIGN KEY (traveler_id) REFERENCES travelers (id) ON DELETE CASCADE,
    CONSTRAINT ck_trips_dates_ordered CHECK (end_date >= start_date)
);

CREATE TABLE bookings (
    id                uuid           NOT NULL DEFAULT gen_random_uuid(),
    trip_id           uuid           NOT NULL,
    kind              booking_type   NOT NULL,
    status            booking_status NOT NULL DEFAULT 'pending',
    provider          varchar(255),
    confirmation_code varchar(64),
    starts_at         timestamptz,
    ends_at           timestamptz,
    price             numeric(12,2),
    currency          char(3),
    details           jsonb          NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz    NOT NULL DEFAULT now(),
    updated_at        timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT pk_bookings PRIMARY KEY (id),
    CONSTRAINT fk_bookings_trip_id_trips
        FOREIGN KEY (trip_id) REFERENCES trips (id) ON DELETE CASCADE
);

CREATE INDEX ix_travelers_preferences_gin ON travelers USING gin (preferences);
CREATE INDEX ix_trips_preferences_gin ON trips USING gin (preferences);
CREATE INDEX ix_trips_status ON trips (status);
CREATE INDEX ix_bookings_trip_id ON bookings (trip_id);

CREATE FUNCTION update_updated_at_column() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER trg_travelers_updated_at BEFORE UPDATE ON travelers
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER trg_trips_updated_at BEFORE UPDATE ON trips
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
CREATE TRIGGER trg_bookings_updated_at BEFORE UPDATE ON bookings
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- retort:downgrade
-- Dropping a table drops its triggers and indexes.
DROP TABLE bookings;
DROP TABLE trips;
DROP TABLE travelers;
DROP FUNCTION update_updated_at_column();
DROP TYPE booking_status;
DROP TYPE booking_type;
DROP TYPE trip_status;
