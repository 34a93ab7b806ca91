-- 'archived' sits between 'completed' and 'cancelled': trips are archived from 'completed'.
CREATE TYPE trip_status AS ENUM ('draft', 'planning', 'booked', 'in_progress', 'completed', 'archived', 'cancelled');
CREATE TYPE booking_type AS ENUM ('flight', 'hotel', 'activity', 'transport');
CREATE TYPE booking_status AS ENUM ('pending', 'confirmed', 'cancelled', 'refunded');
