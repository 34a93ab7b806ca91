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

CREATE INDEX ix_bookings_trip_id ON bookings (trip_id);
