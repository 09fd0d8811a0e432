"""The web app serves its pages through Flask's test client, labelled when it shows demonstration data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from models.db import write_transaction
from models.demo import DEMO_LABEL, load_demo
from models.settings import PROJECT_ROOT


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


def test_importing_the_app_and_the_commands_writes_nothing(tmp_path: Path) -> None:
    # A fresh interpreter, as gunicorn's `app:server` or a command starts: importing must not create
    # the instance folder, write the secret key or open a database (which would create its file).
    instance, cwd = tmp_path / "instance", tmp_path / "cwd"
    cwd.mkdir()
    modules = "app, models.__main__, models.users.__main__, models.metrics.__main__, data_ingest.__main__"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VID_", "DATABASE_URL", "SECRET_KEY"))},
        "VID_INSTANCE_DIR": str(instance),
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    code = f"import {modules}; print(len(list(app.server.url_map.iter_rules())))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10  # the app was really built
    assert not instance.exists()
    assert list(cwd.iterdir()) == []


def test_the_secret_key_is_made_at_the_first_request_and_kept(tmp_path: Path) -> None:
    from app import create_app
    from models.settings import Settings

    settings = Settings(instance_dir=tmp_path / "instance", database_url=f"sqlite:///{tmp_path / 'x.db'}")
    server = create_app(settings).server
    assert not (tmp_path / "instance").exists()
    server.test_client().get("/login")
    key = (tmp_path / "instance" / "secret_key").read_text(encoding="utf-8")
    assert server.secret_key == key
    other = create_app(settings).server  # another worker of the same deployment
    other.test_client().get("/login")
    assert other.secret_key == key
