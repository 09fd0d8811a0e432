"""Who may do what, enforced on the server: page roles, a guard in front of every callback, and helpers.

A page declares its roles once, in `dash.register_page(..., roles=...)`. Its callbacks' component ids
start with the page's name (house style), so the guard knows, from a callback request alone, which
page's rule applies, and refuses it before any callback code runs. Callbacks that write or read
non-public data also check for themselves (`require_roles`), in case an id is ever misnamed.
docs/security.md lists every route and callback with its roles; a test walks that table.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import dash
import dash_bootstrap_components as dbc
from dash import html
from flask import Flask, request
from werkzeug.exceptions import Forbidden

from dashboard._auth import signed_in
from models.users import Identity

VIEWER = "viewer"
EVERYONE = frozenset({VIEWER, "liaison", "secretariat", "admin"})
STAFF = frozenset({"liaison", "secretariat", "admin"})
SECRETARIAT = frozenset({"secretariat", "admin"})
ADMIN = frozenset({"admin"})

P = ParamSpec("P")
R = TypeVar("R")


def role_of(who: Identity | None) -> str:
    return who.role if who is not None else VIEWER


def page_prefix(page: dict[str, Any]) -> str:
    """The component-id prefix of a page: its module name (`dashboard.upload` -> `upload-`)."""
    return str(page["module"]).rsplit(".", 1)[-1].replace("_", "-") + "-"


def page_rules() -> dict[str, frozenset[str]]:
    """Component-id prefix -> roles allowed, for every page that restricts its roles."""
    return {
        page_prefix(page): frozenset(page["roles"])
        for page in dash.page_registry.values()
        if page.get("roles") is not None
    }


def callback_output_ids(body: dict[str, Any]) -> list[str]:
    """The component ids a Dash callback request writes to (pattern-matching ids by their type)."""
    outputs = body.get("outputs", [])
    if isinstance(outputs, dict):
        outputs = [outputs]
    ids: list[str] = []
    for output in _flatten(outputs):
        component = output.get("id") if isinstance(output, dict) else None
        if isinstance(component, dict):
            ids.append(str(component.get("type", "")))
        elif component is not None:
            ids.append(str(component))
    return ids


def _flatten(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def roles_for_callback(body: dict[str, Any]) -> frozenset[str]:
    """The roles allowed to run the callback a request asks for: the strictest among its outputs."""
    allowed = EVERYONE
    rules = page_rules()
    for component in callback_output_ids(body):
        for prefix, roles in rules.items():
            if component.startswith(prefix):
                allowed = allowed & roles
    return allowed


def install_guard(server: Flask) -> None:
    """Refuse, before any callback code runs, a callback request for a page the user may not use."""

    @server.before_request
    def _guard_callbacks() -> tuple[str, int] | None:
        if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
            return None
        try:
            body = json.loads(request.get_data(cache=True) or b"{}")
        except ValueError:
            return "Malformed callback request.", 400
        if not isinstance(body, dict):
            return "Malformed callback request.", 400
        if role_of(signed_in()) not in roles_for_callback(body):
            return "You are not allowed to do this. Sign in with an account that may.", 403
        return None


def require_roles(roles: frozenset[str]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a callback that writes or reads non-public data: it refuses (HTTP 403) other roles."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if role_of(signed_in()) not in roles:
                raise Forbidden("You are not allowed to do this.")
            return function(*args, **kwargs)

        return wrapper

    return decorate


def sign_in_prompt(path: str, roles: frozenset[str]) -> html.Div:
    """What a restricted page shows to someone who may not see it (marked `id="access-refused"`)."""
    who = signed_in()
    audience = "the secretariat" if "liaison" not in roles else "INTERPOL liaisons and the secretariat"
    if who is None:
        heading = "Sign-in required"
        message: list[Any] = [
            f"This page is for {audience}. ",
            html.A("Sign in", href=f"/login?next={path}", className="alert-link"),
            " to continue.",
        ]
    else:
        heading = "Not available to your account"
        message = [f"This page is for {audience}; your account ({who.email}, {who.role}) may not use it."]
    return html.Div([html.H1(heading, className="h3"), dbc.Alert(message, color="info")], id="access-refused")


def restricted_layout(roles: frozenset[str], path: str) -> Callable[[Callable[P, Any]], Callable[P, Any]]:
    """Decorate a page's layout: other roles get a sign-in prompt instead of the page."""

    def decorate(layout: Callable[P, Any]) -> Callable[P, Any]:
        @wraps(layout)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
            if role_of(signed_in()) not in roles:
                return sign_in_prompt(path, roles)
            return layout(*args, **kwargs)

        return wrapper

    return decorate
