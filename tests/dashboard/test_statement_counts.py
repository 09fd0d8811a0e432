"""What a page costs the database: SQL statements per request, counted with SQLAlchemy events on both
backends, for every public page's first load and every public callback on it.

The test loads each page as a new visitor's browser does (the page, the layout, the dependencies, the
pages router, then every callback whose inputs the page holds, with the values the page holds) and
counts the statements the app's engine sends (`before_cursor_execute`). SQLite's `BEGIN` is left out
of the count: the app issues it itself, whereas PostgreSQL's driver sends its `BEGIN` unseen, so
leaving it out counts the same work on both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dash
import pytest
from sqlalchemy import Engine, event

from dashboard.server.auth import CSRF_COOKIE
from models.db import engine_for, write_transaction
from models.demo import load_demo
from tests.web import WebClient, resolve_outputs

MAX_WARM_CALLBACK = 3  # a public callback, everything it needs already cached
MAX_FIRST_LOAD = 10  # all the requests of a page's first load by a new visitor, caches warm
MAX_COLD_FIRST_LOAD = 20  # the same, right after the data changed (nothing of the page cached)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The statements `engine` sends inside the block (transaction control left out)."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.strip().upper() not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def components(layout: Any) -> dict[str, dict[str, Any]]:
    """Component id -> props, for every component with a plain string id in a layout's JSON."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            props = node.get("props") if "namespace" in node else None
            if isinstance(props, dict):
                if isinstance(props.get("id"), str):
                    found[props["id"]] = props
                for value in props.values():
                    walk(value)
            else:
                for value in node.values():
                    walk(value)

    walk(layout)
    return found


def public_pages() -> list[str]:
    paths = [path for page in dash.page_registry.values() if page.get("roles") is None
             and "<" not in (path := page["path"]) and path != "/404"]  # fmt: skip
    return [*sorted(paths), "/country/DEU"]


def initial_callbacks(page: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """The public callbacks a page's components feed, as (key, request body) with the page's values;
    a callback that waits for a click is sent as after one click."""
    from app import app
    from dashboard.server.access import VIEWER, roles_for_callback

    requests = []
    for key, spec in app.callback_map.items():
        wired = [*spec["inputs"], *spec.get("state", [])]
        if not callable(spec.get("callback")):
            continue  # a clientside callback: it runs in the browser
        if not spec["inputs"] or any(not isinstance(item["id"], str) for item in wired):
            continue
        if not all(item["id"] in page for item in spec["inputs"]) or VIEWER not in roles_for_callback(spec):
            continue
        if any(item["id"].startswith("_pages") for item in spec["inputs"]):
            continue

        def value(item: dict[str, str]) -> Any:
            held = page.get(item["id"], {}).get(item["property"])
            return 1 if held is None and item["property"] == "n_clicks" else held

        outputs = [part.rsplit(".", 1) for part in key.strip(".").split("...")] if "." in key else []
        body = {
            "output": key,
            "outputs": [{"id": c, "property": p} for c, p in outputs]
            if len(outputs) != 1
            else {"id": outputs[0][0], "property": outputs[0][1]},
            "inputs": [{**item, "value": value(item)} for item in spec["inputs"]],
            "state": [{**item, "value": value(item)} for item in spec.get("state", [])],
            "changedPropIds": [f"{item['id']}.{item['property']}" for item in spec["inputs"]],
        }
        requests.append((key, body))
    return requests


def first_load(web: WebClient, path: str) -> list[tuple[str, int, dict[str, Any] | None]]:
    """Every request of a page's first load: (what, status, body) — the callbacks' bodies kept so
    they can be sent again."""
    base, _, search = path.partition("?")
    answers: list[tuple[str, int, dict[str, Any] | None]] = []
    for route in (path, "/_dash-layout", "/_dash-dependencies"):
        answers.append((f"GET {route}", web.client.get(route).status_code, None))
    output, outputs = resolve_outputs([("_pages_content", "children"), ("_pages_store", "data")])
    router = {
        "output": output,
        "outputs": [{"id": c, "property": p} for c, p in outputs],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": base},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "state": [],
        "changedPropIds": ["_pages_location.pathname"],
    }  # fmt: skip
    response = post(web, router)
    answers.append(("router", response[0], None))
    layout = json.loads(response[1])["response"]["_pages_content"]["children"]
    for key, body in initial_callbacks(components(layout)):
        answers.append((key, post(web, body)[0], body))
    return answers


def post(web: WebClient, body: dict[str, Any]) -> tuple[int, bytes]:
    cookie = web.client.get_cookie(CSRF_COOKIE)
    assert cookie is not None, "the visitor has loaded a page"
    response = web.client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": cookie.value})
    return response.status_code, response.get_data()


@pytest.fixture
def demo_web(db_url: str, web: WebClient) -> WebClient:
    engine = engine_for(db_url)
    with write_transaction(engine) as session:
        load_demo(session)
    return web


def test_every_public_page_and_callback_stays_within_its_statements(db_url: str, demo_web: WebClient) -> None:
    from app import server

    engine = engine_for(db_url)
    web = demo_web
    web.csrf_cookie()
    for path in public_pages():
        with counted(engine) as cold:
            answers = first_load(web, path)  # the first visitor after a write: nothing cached
        assert [(key, status) for key, status, _ in answers if status != 200] == [], path
        visitor = WebClient(server.test_client())  # a new visitor: own cookies, same server caches
        visitor.csrf_cookie()
        with counted(engine) as warm:
            again = first_load(visitor, path)
        assert [status for _, status, _ in again] == [200] * len(again), (path, again)
        assert len(warm) <= MAX_FIRST_LOAD, (path, len(warm), warm)
        assert len(cold) <= MAX_COLD_FIRST_LOAD, (path, len(cold), cold)
        for key, _, body in again:
            if body is None:
                continue
            with counted(engine) as one:
                status, _ = post(visitor, body)
            assert status == 200, (path, key)
            assert len(one) <= MAX_WARM_CALLBACK, (path, key, one)
