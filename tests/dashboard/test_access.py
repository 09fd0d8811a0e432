"""The callback guard decides on exactly what Dash dispatches on (`output`), answers every malformed
callback body with 400 (never 500), and refuses a restricted callback before any of its code runs.

Every forged shape of issues 11 and 12 is sent as an anonymous visitor, a DEU liaison and the
secretariat, while every server-side callback of the app is watched: none may run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from dashboard.server.access import MAX_BODY_DEPTH, MalformedCallback, parse_callback_body
from tests.conftest import PASSWORD
from tests.web import WebClient, resolve_outputs

USER_RESULTS = ["users-add-result", "users-deactivate-result", "users-reactivate-result",
                "users-reset-result", "users-end-sessions-result"]  # fmt: skip


def account_action(result: str, *more: tuple[str, str]) -> list[tuple[str, str]]:
    """An accounts-page action's outputs: its result, the others' results, the accounts (and `more`)."""
    others = [(other, "children") for other in USER_RESULTS if other != result]
    return [(result, "children"), *others, ("users-grid", "rowData"), *more]


def account_question(dialog: str, result: str) -> list[tuple[str, str]]:
    others = [(other, "children") for other in USER_RESULTS if other != result]
    return [(dialog, "displayed"), (dialog, "message"), (result, "children"), *others]


RESTRICTED = [  # as the attack named them, and the account callbacks added since
    [("audit-download", "data")],
    account_question("users-deactivate-confirm", "users-deactivate-result"),
    [("upload-template-download", "data"), ("upload-on-behalf-message", "children")],
    [("upload-receipt-download", "data")],
    [("upload-history-report", "children")],
    account_action("users-deactivate-result"),
    account_action("users-add-result", ("users-password", "value"), ("users-email", "value"),
                   ("users-name", "value")),
    account_action("users-reactivate-result"),
    account_action("users-end-sessions-result"),
    [(f"audit-{name}-{part}", prop) for name in ("uploads", "revisions", "events")
     for part, prop in (("grid", "rowData"), ("grid", "columnDefs"), ("count", "children"))],
    [("upload-problems-download", "data")],
    [("upload-report-download", "data")],
    account_question("users-reset-confirm", "users-reset-result"),
    account_action("users-reset-result"),
]  # fmt: skip
PUBLIC_OUTPUT = {"id": "overview-download", "property": "data"}


def _declared(outputs: list[tuple[str, str]]) -> tuple[str, Any, list[dict[str, Any]], list[dict[str, Any]]]:
    """The callback key, its `outputs` as the renderer sends them, and its inputs and state."""
    from app import app

    key, spelled = resolve_outputs(outputs)
    spec = app.callback_map.get(key, {"inputs": [{"id": "x", "property": "n_clicks"}], "state": []})
    sent = [{"id": c, "property": p} for c, p in spelled]
    inputs = [{**item, "value": 1} for item in spec["inputs"]]
    return (
        key,
        sent if len(sent) > 1 else sent[0],
        inputs,
        [{**item, "value": None} for item in spec["state"]],
    )


def forged_bodies() -> Iterator[tuple[str, bytes]]:
    """(name, body) for every forged shape: for each restricted callback, then the generic ones."""
    for outputs in RESTRICTED:
        key, sent, inputs, state = _declared(outputs)
        good = {"output": key, "outputs": sent, "inputs": inputs, "state": state, "changedPropIds": []}
        name = outputs[0][0]

        def shape(
            label: str, name: str = name, good: dict[str, Any] = good, **changes: Any
        ) -> tuple[str, bytes]:
            body = {**good, **changes}
            return f"{name}: {label}", json.dumps({k: v for k, v in body.items() if v is not OMIT}).encode()

        yield shape("outputs omitted", outputs=OMIT)
        yield shape("outputs a string", outputs="users-grid.rowData")
        yield shape("outputs naming a public id", outputs=PUBLIC_OUTPUT)
        yield shape("outputs naming public ids", outputs=[PUBLIC_OUTPUT] * (len(outputs)))
        yield shape("outputs one short", outputs=(sent[:-1] if isinstance(sent, list) else []))
        yield shape("outputs without property", outputs=[{"id": c} for c, _ in outputs])
        yield shape("outputs as numbers", outputs=[1] * len(outputs))
        yield shape("inputs omitted", inputs=OMIT)
        yield shape("inputs a string", inputs="users-deactivate.n_clicks")
        yield shape("inputs one more", inputs=[*inputs, {"id": "x", "property": "y", "value": 1}])
        yield shape("inputs not objects", inputs=[1] * len(inputs))
        yield shape("state a string", state="users-grid.selectedRows")
        yield shape("changedPropIds a string", changedPropIds="users-deactivate.n_clicks")
        yield shape("changedPropIds numbers", changedPropIds=[1, 2])
        yield shape("output with a trailing space", output=key + " ")
        yield shape("output in capitals", output=key.upper())
        yield shape("output a pattern-matching id", output='{"index":1,"type":"' + name + '"}.data')
        yield shape("a public output with these outputs", output="overview-download.data")
        deep: Any = "x"
        for _ in range(MAX_BODY_DEPTH + 5):
            deep = [deep]
        yield shape("a value nested too deeply", inputs=[{**inputs[0], "value": deep}, *inputs[1:]])
    yield "output a number", json.dumps({"output": 5, "outputs": PUBLIC_OUTPUT, "inputs": []}).encode()
    yield "output null", json.dumps({"output": None, "inputs": []}).encode()
    unknown = {"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": []}
    yield "output unknown", json.dumps(unknown).encode()
    yield "output missing", json.dumps({"outputs": PUBLIC_OUTPUT, "inputs": []}).encode()
    yield (
        "a callback that runs in the browser",
        json.dumps({"output": _clientside_key(), "inputs": []}).encode(),
    )
    yield "a list", b"[]"
    yield "a string", b'"audit-download.data"'
    yield "a number", b"5"
    yield "null", b"null"
    yield "not JSON", b"{output: audit-download.data"
    yield "not UTF-8", b'{"output": "\xff\xfe"}'
    yield "deeply nested JSON", b"[" * 100_000 + b"]" * 100_000
    yield "deeply nested objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000


class _Omit:
    pass


OMIT = _Omit()


def _clientside_key() -> str:
    from app import app

    return next(key for key, spec in app.callback_map.items() if "callback" not in spec)


@pytest.fixture
def watched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the server-side callbacks that ran (each still runs as before)."""
    from app import app, server

    server.test_client().get("/")  # Dash registers the callbacks on its first request
    ran: list[str] = []

    def watch(key: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def watching(*args: Any, **kwargs: Any) -> Any:
            ran.append(key)
            return function(*args, **kwargs)

        return watching

    for key, spec in app.callback_map.items():
        if "callback" in spec:
            monkeypatch.setitem(spec, "callback", watch(key, spec["callback"]))
    return ran


@pytest.fixture
def visitors(web: WebClient, accounts: dict[str, str]) -> dict[str, WebClient]:
    from app import server

    signed = {"anonymous": web}
    for role in ("liaison_deu", "secretariat"):
        signed[role] = WebClient(server.test_client())
        assert signed[role].sign_in(accounts[role], PASSWORD).status_code == 303
    return signed


def post(web: WebClient, body: bytes) -> tuple[int, str]:
    response = web.client.post(
        "/_dash-update-component",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": web.csrf_cookie()},
    )
    return response.status_code, response.get_data(as_text=True)


def test_every_forged_callback_shape_is_refused_before_any_callback_runs(
    visitors: dict[str, WebClient], watched: list[str]
) -> None:
    answers: dict[tuple[str, str], int] = {}
    for name, body in forged_bodies():
        for who, web in visitors.items():
            status, text = post(web, body)
            answers[(who, name)] = status
            assert status in (400, 403), (who, name, status, text[:200])
            assert "Traceback" not in text
    assert watched == []
    # Malformed is 400 for everyone; a restricted callback is 403 for whom it is not.
    assert {status for (who, name), status in answers.items() if name == "deeply nested JSON"} == {400}
    assert answers[("anonymous", "users-deactivate-confirm: outputs omitted")] == 403
    assert answers[("liaison_deu", "users-deactivate-confirm: outputs omitted")] == 403
    assert answers[("secretariat", "users-deactivate-confirm: outputs omitted")] == 400
    assert answers[("anonymous", "upload-template-download: outputs naming a public id")] == 403
    assert answers[("liaison_deu", "upload-template-download: outputs naming a public id")] == 400
    assert answers[("anonymous", "audit-download: outputs omitted")] == 400  # no such callback any more


def test_the_watch_sees_a_well_formed_request_run(visitors: dict[str, WebClient], watched: list[str]) -> None:
    key, sent, inputs, state = _declared(RESTRICTED[1])
    body = {"output": key, "outputs": sent, "inputs": inputs, "state": state, "changedPropIds": []}
    status, _ = post(visitors["secretariat"], json.dumps(body).encode())
    assert status == 204  # nothing selected: no update, but the callback ran
    assert watched == [key]


def test_the_guard_decides_on_output_not_on_outputs(
    visitors: dict[str, WebClient], watched: list[str]
) -> None:
    # The attack's shape: `outputs` left out, `output` naming a restricted callback. Dash runs what
    # `output` names, so the guard must refuse on it.
    key, _sent, inputs, state = _declared(RESTRICTED[5])  # deactivate an account
    assert key.startswith("..users-deactivate-result.children")
    body = {
        "output": key,
        "inputs": inputs,
        "state": [{**state[0], "value": [{"email": "admin@example.org"}]}],
    }
    assert post(visitors["anonymous"], json.dumps(body).encode())[0] == 403
    assert post(visitors["liaison_deu"], json.dumps(body).encode())[0] == 403
    assert watched == []


@pytest.mark.parametrize(
    "data",
    [b"", b"{}", b'{"output": "x"}', b'{"a": [[[[1]]]]}'],
    ids=["empty", "empty object", "output", "shallow"],
)
def test_shallow_objects_parse(data: bytes) -> None:
    assert isinstance(parse_callback_body(data), dict)


@pytest.mark.parametrize(
    "data",
    [b"[" * 5000 + b"]" * 5000, b'{"a":' * (MAX_BODY_DEPTH + 1) + b"1" + b"}" * (MAX_BODY_DEPTH + 1), b"[]"],
)
def test_deep_or_non_object_bodies_do_not_parse(data: bytes) -> None:
    with pytest.raises(MalformedCallback):
        parse_callback_body(data)
