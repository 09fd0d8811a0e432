"""`/healthz` says the process lives; `/readyz` says whether the database answers at the newest schema."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from models import schema
from tests.web import WebClient


def test_the_process_is_alive_whatever_the_database(web: WebClient, tmp_path: Path) -> None:
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.db'}"
    try:
        response = web.client.get("/healthz")
    finally:
        server.config["VID_DATABASE_URL"] = previous
    assert (response.status_code, response.get_data(as_text=True)) == (200, "OK")


def test_a_ready_database_is_200_with_its_revision(web: WebClient) -> None:
    response = web.client.get("/readyz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    head = schema.head_revision()
    assert response.get_json() == {
        "status": "ready",
        "database": "reachable",
        "schema": head,
        "expected": head,
    }


def test_a_database_behind_the_newest_migration_is_not_ready(web: WebClient, engine: Engine) -> None:
    schema.downgrade(engine, "0001")
    try:
        response = web.client.get("/readyz")
    finally:
        schema.upgrade(engine)  # the PostgreSQL schema is shared with the session's other tests
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "not_ready",
        "database": "reachable",
        "schema": "0001",
        "expected": schema.head_revision(),
    }


def test_a_database_never_set_up_is_not_ready(web: WebClient, tmp_path: Path) -> None:
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.db'}"
    try:
        response = web.client.get("/readyz")
        page = web.client.get("/")
    finally:
        server.config["VID_DATABASE_URL"] = previous
    assert response.status_code == 503
    assert response.get_json()["schema"] is None
    assert page.status_code == 503
    assert "not set up yet" in page.get_data(as_text=True)
