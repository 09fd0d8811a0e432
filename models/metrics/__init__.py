"""Metrics: compliance with the 10%-a-year goal and reporting completeness, from pure functions."""
