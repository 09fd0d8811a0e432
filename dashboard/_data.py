"""How pages reach the data layer: the app's engine, and cached reads keyed by the data version."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import Engine

from models.db import engine_for, read_session
from models.queries import DatasetStatus, dataset_status


def engine() -> Engine:
    """The engine for the database this app serves (set in app.create_app)."""
    return engine_for(current_app.config["VID_DATABASE_URL"])


def status() -> DatasetStatus:
    """Data version, demo flag and counts of the served database."""
    with read_session(engine()) as session:
        return dataset_status(session)
