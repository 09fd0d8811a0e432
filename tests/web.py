"""A test client that signs in like a browser and sends Dash callback requests like the renderer."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app import app as dash_app
from dashboard.server.auth import CSRF_COOKIE


class WebClient:
    """Wraps Flask's test client: sign in through the form, call callbacks with the CSRF header."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def csrf_cookie(self) -> str:
        self.client.get("/")
        cookie = self.client.get_cookie(CSRF_COOKIE)
        assert cookie is not None, "pages set the CSRF cookie"
        return cookie.value

    def form_token(self, path: str = "/login") -> str:
        page = self.client.get(path).get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "the form carries a CSRF token"
        return match.group(1)

    def sign_in(self, email: str, password: str) -> TestResponse:
        token = self.form_token()
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def sign_out(self) -> TestResponse:
        token = self.form_token()
        return self.client.post("/logout", data={"csrf_token": token})

    def callback(
        self,
        outputs: list[tuple[str, str]],
        inputs: list[tuple[str, str, Any]],
        state: list[tuple[str, str, Any]] | None = None,
        csrf: bool = True,
    ) -> TestResponse:
        """POST /_dash-update-component as the renderer would (or as a forger would, with csrf=False)."""
        state = state or []
        headers = {"X-CSRFToken": self.csrf_cookie()} if csrf else {}  # also lets Dash register callbacks
        output_text, properties = resolve_outputs(outputs)
        body = {
            "output": output_text,
            "outputs": [{"id": c, "property": p} for c, p in properties]
            if len(outputs) > 1
            else {"id": properties[0][0], "property": properties[0][1]},
            "inputs": [{"id": c, "property": p, "value": v} for c, p, v in inputs],
            "state": [{"id": c, "property": p, "value": v} for c, p, v in state],
            "changedPropIds": [f"{c}.{p}" for c, p, _ in inputs],
        }
        return self.client.post("/_dash-update-component", json=body, headers=headers)

    def callback_raw(
        self,
        output_key: str,
        outputs: list[dict[str, str]],
        inputs: list[tuple[str, str, Any]],
        state: list[tuple[str, str, Any]],
    ) -> TestResponse:
        """POST a callback request spelled exactly as given (the output key as in app.callback_map)."""
        body = {
            "output": output_key,
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [{"id": c, "property": p, "value": v} for c, p, v in inputs],
            "state": [{"id": c, "property": p, "value": v} for c, p, v in state],
            "changedPropIds": [f"{c}.{p}" for c, p, _ in inputs],
        }
        return self.client.post(
            "/_dash-update-component", json=body, headers={"X-CSRFToken": self.csrf_cookie()}
        )

    def page(self, path: str) -> str:
        """The rendered content of a Dash page, as the pages router returns it to the browser."""
        response = self.callback(
            [("_pages_content", "children"), ("_pages_store", "data")],
            [("_pages_location", "pathname", path), ("_pages_location", "search", "")],
        )
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return response.get_data(as_text=True)


def resolve_outputs(outputs: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """The callback key the app registered for these outputs, and the outputs as spelled in it.

    Dash spells a multi-output key `..a.x...b.y..` and marks duplicate-allowed outputs `prop@hash`;
    tests name outputs plainly and this finds the registered spelling.
    """
    wanted = [(component, prop.split("@", 1)[0]) for component, prop in outputs]
    for key in dash_app.callback_map:
        if "." not in key:
            continue  # a callback without outputs is keyed by a hash
        parts = [tuple(part.rsplit(".", 1)) for part in key.strip(".").split("...")]
        if [(c, p.split("@", 1)[0]) for c, p in parts] == wanted:
            return key, [(c, p) for c, p in parts]
    plain = "...".join(f"{c}.{p}" for c, p in wanted)
    return (f"..{plain}.." if len(wanted) > 1 else plain), wanted


def registered_callbacks() -> list[str]:
    """Every callback the app registers, by its output string."""
    return sorted(dash_app.callback_map)
