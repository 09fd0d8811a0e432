"""The web app serves its pages through Flask's test client, labelled when it shows demonstration data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from models.db import write_transaction
from models.demo import DEMO_LABEL, load_demo


@pytest.fixture
def client(db_url: str) -> Iterator[FlaskClient]:
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = db_url
    with server.test_client() as client:
        yield client
    server.config["VID_DATABASE_URL"] = previous


def _layout_text(client: FlaskClient) -> str:
    response = client.get("/_dash-layout")
    assert response.status_code == 200
    return json.dumps(response.get_json(), ensure_ascii=False)


def test_home_page_is_served(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "<title>VID Monitor</title>" in response.get_data(as_text=True)


def test_demonstration_data_is_announced_with_the_participant_count(
    client: FlaskClient, engine: Engine
) -> None:
    with write_transaction(engine) as session:
        load_demo(session)
    text = _layout_text(client)
    assert DEMO_LABEL in text
    assert "49 participants registered" in text


def test_no_banner_without_demonstration_data(client: FlaskClient) -> None:
    text = _layout_text(client)
    assert DEMO_LABEL not in text
    assert "49 participants registered" in text


def test_pages_only_reference_local_assets(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert "bootstrap.min.css" in html
    for marker in ("cdn.", "unpkg.com", "jsdelivr", "fonts.googleapis"):
        assert marker not in html


def test_an_uninitialised_database_gets_a_clear_message(tmp_path: Path) -> None:
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.db'}"
    try:
        text = json.dumps(server.test_client().get("/_dash-layout").get_json())
    finally:
        server.config["VID_DATABASE_URL"] = previous
    assert "The database is not ready" in text
    assert "python -m models init-db" in text
