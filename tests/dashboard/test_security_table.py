"""docs/security.md is the access policy: every route, page and callback has a row, and the server obeys it.

For every row and every role, a real request (a forged one, for callbacks) is made and the answer
compared with the table. A route or callback the app has but the table lacks fails the suite.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Engine

from models.settings import PROJECT_ROOT
from tests.conftest import PASSWORD
from tests.web import WebClient

ROLES = ("viewer", "liaison", "secretariat", "admin")
SECURITY = PROJECT_ROOT / "docs" / "security.md"


def table(heading: str) -> list[list[str]]:
    """The rows (cells stripped of backticks) of the Markdown table under a `### heading`."""
    text = SECURITY.read_text(encoding="utf-8").split(f"### {heading}\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in text.splitlines() if line.startswith("|")][2:]
    return [[cell.strip().strip("`") for cell in row.strip("|").split("|")] for row in rows]


def allowed_roles(cells: list[str]) -> set[str]:
    return {role for role, cell in zip(ROLES, cells, strict=True) if cell in ("yes", "own")}


@pytest.fixture
def clients(web: WebClient, accounts: dict[str, str]) -> dict[str, WebClient]:
    from app import server

    signed: dict[str, WebClient] = {"viewer": web}
    for role in ROLES[1:]:
        signed[role] = WebClient(server.test_client())
        assert signed[role].sign_in(accounts[role], PASSWORD).status_code == 303
    return signed


def server_routes() -> set[str]:
    from app import server

    return {
        f"{method} {rule.rule}"
        for rule in server.url_map.iter_rules()
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    }


def test_every_route_of_the_server_has_a_row() -> None:
    assert server_routes() == {row[0] for row in table("Routes") + table("API routes")}


#: What each role's token sends to POST /api/v1/submissions: a dry run of a file for FRA.
API_FILE = b"country,year,identified_victims\nFRA,2024,120\n"


def _api_request(web: WebClient, route: str, example: str, token: str | None) -> int:
    import io

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if route.startswith("POST "):
        data = {"file": (io.BytesIO(API_FILE), "figures.csv"), "dry_run": "true"}
        return web.client.post(example, data=data, headers=headers).status_code
    return web.client.get(example, headers=headers).status_code


@pytest.mark.parametrize("row", table("API routes"), ids=lambda row: row[0])
def test_api_routes_obey_the_table(
    clients: dict[str, WebClient], row: list[str], engine: Engine, accounts: dict[str, str]
) -> None:
    from models.accounts.tokens import create_token
    from models.accounts.users import Actor, find_user
    from models.db import account_transaction

    route, example, *cells = row[:6]
    allowed = allowed_roles(cells)
    with account_transaction(engine) as session:
        tokens = {
            role: create_token(session, find_user(session, accounts[role]), Actor.operator("tests"))[0]
            for role in ROLES[1:]
        }
    for role in ROLES:
        status = _api_request(clients["viewer"], route, example, tokens.get(role))
        assert (status < 400) == (role in allowed), (route, role, status)
        # A signed-in session's cookie, without a token, is a request without a token.
        cookie_only = _api_request(clients[role], route, example, None)
        assert (cookie_only < 400) == ("viewer" in allowed), (route, role, cookie_only)


def callback_name(key: str, spec: dict[str, Any]) -> str:
    """How the table names a callback: its output key, or for one without outputs, its inputs."""
    if "." in key:
        return key
    return "(no output) " + " ".join(f"{i['id']}.{i['property']}" for i in spec["inputs"])


def find_callback(row_name: str) -> str:
    """The app's callback key for a row of the table ("…@" rows match the key's beginning)."""
    from app import app

    for key, spec in app.callback_map.items():
        name = callback_name(key, spec)
        if name == row_name or (row_name.endswith("@") and name.startswith(row_name)):
            return key
    raise AssertionError(f"no callback matches the row {row_name!r}")


def test_every_callback_of_the_app_has_a_row(web: WebClient) -> None:
    from app import app

    web.client.get("/")  # Dash registers callbacks on the first request
    rows = [row[0] for row in table("Callbacks")]
    for key, spec in app.callback_map.items():
        name = callback_name(key, spec)
        assert any(name == row or (row.endswith("@") and name.startswith(row)) for row in rows), name
    assert len(rows) == len(app.callback_map)


def test_every_page_has_a_row() -> None:
    import dash

    assert {page["path"] for page in dash.page_registry.values()} == {row[0] for row in table("Pages")}


@pytest.mark.parametrize("row", table("Routes"), ids=lambda row: row[0])
def test_routes_obey_the_table(clients: dict[str, WebClient], row: list[str]) -> None:
    route, example, *cells = row[:6]
    method = route.split(" ", 1)[0]
    allowed = allowed_roles(cells)
    if example == "(see callbacks)":
        return
    for role, web in clients.items():
        if example.startswith("(first script"):
            example = re.findall(r'src="([^"]+)"', web.client.get("/").get_data(as_text=True))[0]
        if route == "POST /login":
            response = web.client.post(
                example, data={"email": "x@example.org", "password": "x", "csrf_token": web.form_token()}
            )
            ok = response.status_code == 401 and "Sign in" in response.get_data(as_text=True)
        elif method == "POST":
            response = web.client.post(example, data={"csrf_token": web.form_token()})
            ok = response.status_code < 400
        else:
            response = web.client.get(example)
            ok = response.status_code < 400 or (
                route == "GET /static/<path:filename>" and response.status_code == 404
            )
        assert ok == (role in allowed), (route, role, response.status_code)


@pytest.mark.parametrize("row", table("Pages"), ids=lambda row: row[0])
def test_pages_obey_the_table(clients: dict[str, WebClient], row: list[str]) -> None:
    path, *cells = row[:5]
    allowed = allowed_roles(cells)
    for role, web in clients.items():
        content = web.page(path)
        assert ("access-refused" not in content) == (role in allowed), (path, role)


SAMPLE_INPUTS = {("_pages_location", "pathname"): "/", ("_pages_location", "search"): ""}


@pytest.mark.parametrize("row", table("Callbacks"), ids=lambda row: row[0][:60])
def test_callbacks_obey_the_table(clients: dict[str, WebClient], row: list[str]) -> None:
    from app import app

    key_pattern, *cells = row[:5]
    allowed = allowed_roles(cells)
    clients["viewer"].client.get("/")
    key = find_callback(key_pattern)
    spec = app.callback_map[key]
    if spec.get("clientside_function") or "callback" not in spec:
        return  # runs in the browser: nothing to forge on the server
    outputs = [tuple(part.rsplit(".", 1)) for part in key.strip(".").split("...")]
    for role, web in clients.items():
        response = web.callback_raw(
            key,
            [{"id": c, "property": p} for c, p in outputs],
            [(i["id"], i["property"], SAMPLE_INPUTS.get((i["id"], i["property"]))) for i in spec["inputs"]],
            [(s["id"], s["property"], None) for s in spec.get("state", [])],
        )
        if role in allowed:
            assert response.status_code in (200, 204), (key, role, response.get_data(as_text=True)[:300])
        else:
            assert response.status_code == 403, (key, role, response.status_code)
