"""Events, the agenda, bookings and registrations (built by the events and sign-up issues)."""
