"""Who may do what, enforced on the server: page roles, a guard in front of every callback, and helpers.

A page declares its roles once, in `dash.register_page(..., roles=...)`. Its callbacks' component ids
start with the page's name (house style). The guard finds the callback Dash will run exactly as Dash
does (by the request's `output`), applies the rule of the pages its ids belong to, and checks that
the request has the shape Dash needs for it: it refuses (403) or rejects as malformed (400) before
any callback code runs. Callbacks that write or read non-public data also check for themselves
(`require_roles`), in case an id is ever misnamed; and `models` checks who may act on whom.
docs/security.md lists every route and callback with its roles; a test walks that table.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import dash
import dash_bootstrap_components as dbc
from dash import Output, html
from dash._validate import validate_output_spec
from flask import Flask, g, request
from werkzeug.exceptions import Forbidden

from dashboard.server.auth import signed_in
from models.accounts.users import Identity

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
    """The component-id prefix of a page: its module name (`dashboard.pages.upload` -> `upload-`)."""
    return str(page["module"]).rsplit(".", 1)[-1].replace("_", "-") + "-"


def page_rules() -> dict[str, frozenset[str]]:
    """Component-id prefix -> roles allowed, for every page that restricts its roles."""
    return {
        page_prefix(page): frozenset(page["roles"])
        for page in dash.page_registry.values()
        if page.get("roles") is not None
    }


MAX_BODY_DEPTH = 64  # a real callback body nests a dozen levels; deeper ones would exhaust the stack later
MALFORMED = "Malformed callback request."
REFUSED = "You are not allowed to do this. Sign in with an account that may."


class MalformedCallback(ValueError):
    """A callback request Dash could not dispatch (it would answer 500): the guard answers 400."""


def component_name(component: Any) -> str:
    """A component id as page rules read it: a string id itself, a pattern-matching id (a dict, or
    the JSON text Dash keeps it as) its `type`."""
    if isinstance(component, str) and component.startswith("{"):
        try:
            component = json.loads(component)
        except ValueError:
            return str(component)
    if isinstance(component, dict):
        return str(component.get("type", ""))
    return str(component)


def callback_component_ids(spec: dict[str, Any]) -> list[str]:
    """The component ids a registered callback writes and reads (outputs, inputs and state)."""
    outputs = spec.get("output", [])
    declared = outputs if isinstance(outputs, list | tuple) else [outputs]
    ids = [component_name(output.component_id) for output in declared]
    return ids + [component_name(item["id"]) for item in [*spec.get("inputs", []), *spec.get("state", [])]]


def roles_for_callback(spec: dict[str, Any]) -> frozenset[str]:
    """The roles allowed to run a registered callback: the strictest among the pages its ids belong to."""
    # A callback of a public page may itself be restricted (`require_roles`): the guard refuses it too.
    allowed: frozenset[str] = getattr(spec.get("callback"), "vid_roles", EVERYONE)
    rules = page_rules()
    for component in callback_component_ids(spec):
        for prefix, roles in rules.items():
            if component.startswith(prefix):
                allowed = allowed & roles
    return allowed


def parse_callback_body(data: bytes) -> dict[str, Any]:
    """The JSON object of a callback request, or MalformedCallback (bad JSON, too deep, not an object)."""
    try:
        body = json.loads(data or b"{}")
    except (ValueError, RecursionError) as exc:
        raise MalformedCallback("not JSON") from exc
    if not isinstance(body, dict):
        raise MalformedCallback("not a JSON object")
    _check_depth(body)
    return body


def _check_depth(body: Any) -> None:
    """Refuse bodies nested deeper than MAX_BODY_DEPTH (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(body, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_BODY_DEPTH:
            raise MalformedCallback("nested too deeply")
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def dispatched_callback(body: dict[str, Any], callback_map: dict[str, Any]) -> dict[str, Any]:
    """The registered callback Dash will run for this body: exactly as Dash 4's dispatch picks it,
    `callback_map[body["output"]]`, and only a server-side one (a callback that runs in the browser
    has no function on the server, and Dash would fail on it)."""
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise MalformedCallback("no such callback")
    spec: dict[str, Any] = callback_map[output]
    if "callback" not in spec:
        raise MalformedCallback("this callback runs in the browser")
    return spec


def _is_dependency(item: Any) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("property"), str):
        return False
    component = item.get("id")
    if isinstance(component, dict):
        return all(
            isinstance(k, str) and isinstance(v, str | int | float | bool) for k, v in component.items()
        )
    return isinstance(component, str)


def _dependency_list(items: Any, declared: list[dict[str, Any]], what: str) -> None:
    """Inputs or state as Dash reads them: one entry per declared dependency, each an {id, property}
    object, or for a pattern-matching one (its id is JSON) a list of them."""
    if not isinstance(items, list) or len(items) != len(declared):
        raise MalformedCallback(f"{what} do not match the callback")
    for item, dependency in zip(items, declared, strict=True):
        pattern = str(dependency.get("id", "")).startswith("{")
        entries = item if isinstance(item, list) and pattern else [item]
        if not all(_is_dependency(entry) for entry in entries):
            raise MalformedCallback(f"{what} are malformed")


def check_callback_body(body: dict[str, Any], spec: dict[str, Any]) -> None:
    """Refuse a body that Dash would fail on (a 500) for this callback: `outputs` missing, a string,
    or naming other outputs than the callback's; inputs or state of another shape or count;
    `changedPropIds` not a list of strings. Mirrors the checks of Dash 4.4.1's dispatch."""
    if spec.get("no_output"):
        if body.get("outputs", []) not in ([], None):
            raise MalformedCallback("outputs do not match the callback")
    else:
        outputs = body.get("outputs")
        declared = spec["output"]
        multi = isinstance(declared, list | tuple)
        if multi:
            if not isinstance(outputs, list) or len(outputs) != len(declared):
                raise MalformedCallback("outputs do not match the callback")
        elif not isinstance(outputs, dict | list):
            raise MalformedCallback("outputs do not match the callback")
        for entry, output in zip(
            outputs if multi else [outputs], declared if multi else [declared], strict=True
        ):
            # A list of outputs stands for a pattern-matching output only (ALL, ALLSMALLER).
            entries = entry if isinstance(entry, list) and output.has_wildcard() else [entry]
            if not all(_is_dependency(item) for item in entries):
                raise MalformedCallback("outputs are malformed")
        try:  # Dash's own comparison of the request's outputs with the declared ones
            validate_output_spec(declared, outputs, Output)
        except Exception as exc:
            raise MalformedCallback("outputs do not match the callback") from exc
    _dependency_list(body.get("inputs"), spec.get("inputs", []), "inputs")
    _dependency_list(body.get("state", []), spec.get("state", []), "state")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(prop, str) for prop in changed):
        raise MalformedCallback("changedPropIds is malformed")


def install_guard(app: dash.Dash) -> None:
    """Refuse, before any callback code runs, a callback request that Dash could not dispatch (400)
    or for a callback the user's role may not run (403), deciding on the callback Dash will run."""
    server: Flask = app.server

    @server.before_request
    def _guard_callbacks() -> tuple[str, int] | None:
        if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
            return None
        try:
            body = parse_callback_body(request.get_data(cache=True))
            spec = dispatched_callback(body, app.callback_map)
        except MalformedCallback:
            return MALFORMED, 400
        if role_of(signed_in()) not in roles_for_callback(spec):
            return REFUSED, 403
        try:
            check_callback_body(body, spec)
        except MalformedCallback:
            return MALFORMED, 400
        g.vid_callback_body = body  # checked: later hooks read it instead of parsing the body again
        return None


def require_roles(roles: frozenset[str]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a callback that writes or reads non-public data: it refuses (HTTP 403) other roles."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if role_of(signed_in()) not in roles:
                raise Forbidden("You are not allowed to do this.")
            return function(*args, **kwargs)

        wrapper.vid_roles = roles  # type: ignore[attr-defined]  # read by roles_for_callback (the guard)
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
