"""VID Monitor data layer: tables, database access, queries and metrics (no Dash here)."""
