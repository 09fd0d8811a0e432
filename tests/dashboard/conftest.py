"""Dashboard tests call layouts and callbacks directly (Dash 4's @callback returns the function itself),
inside the app, against the demonstration data."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine

import app  # noqa: F401  (pages register themselves with the app, so the app comes first)
from models.db import engine_for


@pytest.fixture
def demo_app(demo_db_url: str) -> Iterator[Flask]:
    """The app's server, serving the demonstration database, inside a request context."""
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = demo_db_url
    with server.test_request_context("/"):
        yield server
    server.config["VID_DATABASE_URL"] = previous


@pytest.fixture
def demo_engine(demo_db_url: str) -> Engine:
    return engine_for(demo_db_url)


def find(component: Any, component_id: str) -> Any:
    """The component with this id anywhere in a layout."""
    if getattr(component, "id", None) == component_id:
        return component
    for child in component._traverse():
        if getattr(child, "id", None) == component_id:
            return child
    raise LookupError(component_id)


def text_of(component: Any) -> str:
    """All the text in a layout, joined (for "does the page say ..." checks)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node is None:
            return
        if isinstance(node, str | int | float):
            parts.append(str(node))
            return
        if isinstance(node, list | tuple):
            for item in node:
                walk(item)
            return
        walk(getattr(node, "children", None))

    walk(component)
    return " ".join(parts)


def content(download: dict[str, Any]) -> bytes:
    """The bytes of a dcc.Download payload."""
    data = download["content"]
    return base64.b64decode(data) if download.get("base64") else str(data).encode("utf-8")
