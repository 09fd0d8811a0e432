"""The upload page's callbacks as a browser posts them, and the files the upload tests send."""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import Engine, func, select

from models.cycles.review import accept_upload, list_submissions
from models.db import read_session, write_transaction
from models.tables import Observation, Upload
from tests.web import WebClient

GOOD = b"country,year,identified_victims\nFRA,2024,120\nFRA,2025,131\n"
BAD = b"country,year,identified_victims\nFRA,20x4,120\nFrance,2025,-3\n"
GERMAN = b"country,year,identified_victims\nDEU,2024,77\n"
# 1,234 then 31: worth a second look (less than a third of the year before)
DROP = b"country,year,identified_victims\nFRA,2023,1234\nFRA,2024,31\n"


def data_url(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


PREVIEW_OUTPUTS = [
    ("upload-preview", "children"), ("upload-confirm", "disabled"), ("upload-history-grid", "rowData"),
    ("upload-on-behalf-message", "children"), ("upload-received-on-message", "children"),
    ("upload-ready", "data"), ("upload-warnings-box", "hidden"), ("upload-warnings-checked", "label"),
    ("upload-warnings-checked", "value"),
]  # fmt: skip
CONFIRM_OUTPUTS = [
    ("upload-receipt", "children"), ("upload-preview", "children@x"), ("upload-receipt-id", "data"),
    ("upload-confirm", "disabled@x"), ("upload-history-grid", "rowData@x"),
    ("upload-on-behalf-message", "children@x"), ("upload-received-on-message", "children@x"),
    ("upload-reason-message", "children"), ("upload-reason", "value"), ("upload-warnings-checked", "value@x"),
    ("upload-warnings-box", "hidden@x"), ("upload-ready", "data@x"), ("upload-received-on", "value"),
    ("upload-file", "contents"),
]  # fmt: skip


def preview(
    web: WebClient,
    content: bytes,
    name: Any = "report.csv",
    on_behalf: Any = None,
    received_on: Any = None,
) -> Any:
    return web.callback(
        PREVIEW_OUTPUTS,
        [("upload-chosen", "data", {"contents": data_url(content), "filename": name})],
        [("upload-on-behalf", "value", on_behalf), ("upload-received-on", "value", received_on)],
    )


def confirm(
    web: WebClient,
    content: bytes,
    reason: Any = None,
    on_behalf: Any = None,
    received_on: Any = None,
    name: Any = "report.csv",
    checked: Any = None,
    ready: Any = None,
) -> Any:
    return web.callback(
        CONFIRM_OUTPUTS,
        [("upload-confirm", "n_clicks", 1)],
        [("upload-chosen", "data", {"contents": data_url(content), "filename": name}),
         ("upload-reason", "value", reason), ("upload-on-behalf", "value", on_behalf),
         ("upload-received-on", "value", received_on), ("upload-warnings-checked", "value", checked),
         ("upload-ready", "data", ready)],
    )  # fmt: skip


def show_report(web: WebClient, upload_id: object) -> Any:
    return web.callback(
        [("upload-history-report", "children")],
        [("upload-history-grid", "selectedRows", [{"upload_id": upload_id}])],
    )


def counts(engine: Engine) -> tuple[int, int]:
    with read_session(engine) as session:
        return (
            int(session.scalar(select(func.count()).select_from(Observation)) or 0),
            int(session.scalar(select(func.count()).select_from(Upload)) or 0),
        )


def accept_submissions(engine: Engine) -> None:
    """The secretariat accepts every upload awaiting review (a liaison's figures count only then)."""
    with write_transaction(engine) as session:
        for submission in list_submissions(session, "submitted"):
            accept_upload(session, "cli:tests", submission.upload)


def texts(component: Any) -> list[str]:
    """Every text in a serialised Dash component tree, in order."""
    if isinstance(component, str):
        return [component]
    if isinstance(component, list):
        return [text for child in component for text in texts(child)]
    if isinstance(component, dict):
        return texts(component.get("props", {}).get("children"))
    return []


def text(response: Any) -> str:
    return json.dumps(response.get_json(), ensure_ascii=False)


def part(response: Any, component_id: str) -> dict[str, Any]:
    """The props of the component with this id in the preview's answer."""

    def walk(node: Any) -> dict[str, Any] | None:
        if isinstance(node, list):
            return next((found for child in node if (found := walk(child)) is not None), None)
        if isinstance(node, dict):
            props = node.get("props", {})
            return props if props.get("id") == component_id else walk(props.get("children"))
        return None

    found = walk(response.get_json()["response"]["upload-preview"]["children"])
    assert found is not None, component_id
    return found


def part_of(response: Any, component_id: str) -> Any:
    """The children of the component with this id anywhere in a callback's answer."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            props = node.get("props", node)
            if props.get("id") == component_id:
                found.append(props.get("children"))
            for value in props.values():
                walk(value)

    walk(response.get_json()["response"])
    assert found, component_id
    return found[0]
