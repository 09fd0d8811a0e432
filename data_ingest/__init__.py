"""Ingest of liaisons' files: readers, row validation, loading with a report (no Dash here)."""
