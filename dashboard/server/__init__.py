"""The web's plumbing: sign-in and sessions, the callback guard, error and health routes."""
