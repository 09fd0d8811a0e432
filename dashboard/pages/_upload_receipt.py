"""The receipt of a recorded upload: on screen and as a text file, with the reporting cycle it counts for."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from models.metrics.reporting import CycleStanding
from models.reports.summaries.words import timestamp_text
from models.text import neutralise

#: How many recorded figures the receipt on screen lists; the downloaded receipt lists them all.
FIGURES_SHOWN = 100
#: What the receipt says of the upload's review (models.cycles.review).
REVIEW_TEXT = {
    "submitted": "submitted, awaiting review: its figures count once the secretariat accepts them",
    "accepted": "accepted: its figures count",
    "returned": "returned by the secretariat: its figures do not count",
}


def participants_text(detail: dict[str, Any]) -> str:
    """Who an upload was for: its one participant, or the participants it recorded values for."""
    if detail.get("participant"):
        return str(detail["participant"])
    return ", ".join(detail.get("recorded_for") or [])


RECEIPT_FIELDS = (
    ("Upload", "upload_id"),
    ("File", "original_name"),
    ("SHA-256", "sha256"),
    ("Size (bytes)", "size_bytes"),
    ("Received (UTC)", "received_at"),
    ("Counts as submitted on", "submitted_on"),
    ("Sent by", "uploaded_by"),
    ("Participant", "participant"),
    ("Outcome", "outcome"),
    ("Review", "review_status"),
    ("Rows", "rows"),
    ("New values", "inserted"),
    ("Revised values", "revised"),
    ("Unchanged values", "unchanged"),
    ("Reason", "reason"),
    ("Reporting cycle", "cycle"),
    ("Arrived", "arrival"),
)


def standing(detail: dict[str, Any]) -> CycleStanding | None:
    """The reporting cycle an upload counts for, as kept with its report (None: none, or not kept)."""
    kept = (detail.get("report") or {}).get("cycle")
    return CycleStanding.from_dict(kept) if isinstance(kept, dict) else None


def _receipt_value(detail: dict[str, Any], key: str) -> str:
    if key == "participant":
        return participants_text(detail)
    if key == "review_status":
        return REVIEW_TEXT.get(str(detail.get(key)), "no figures recorded: nothing to review")
    if key == "reason" and not detail.get(key):
        return "(none given)"
    if key in ("cycle", "arrival"):
        cycle = standing(detail)
        if cycle is None:
            return "none yet covers the years of this file" if key == "cycle" else "—"
        return cycle.describe() if key == "cycle" else cycle.arrival()
    if key == "received_at":  # to the second: a receipt is a record
        moment = detail[key]
        if isinstance(moment, dt.datetime):
            moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
            return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return timestamp_text(moment)
    return "" if detail.get(key) is None else str(detail[key])


def receipt_text(detail: dict[str, Any]) -> str:
    """The receipt as plain text, to keep with the report that was sent."""
    lines = ["VID Monitor — upload receipt", ""]
    lines += [f"{label}: {_receipt_value(detail, key)}" for label, key in RECEIPT_FIELDS]
    if detail.get("figures"):
        lines += ["", "Figures recorded (country, year, figure: old -> new):"]
        lines += [f"  {_figure_text(figure)}" for figure in detail["figures"]]
    # Opened in a spreadsheet, a line is a cell: none may start a formula, whatever a name holds.
    return "\n".join(str(neutralise(line)) for line in lines) + "\n"


def _figure_text(figure: dict[str, Any]) -> str:
    old = "(none)" if figure["old"] is None else f"{figure['old']:,}"
    return f"{figure['country']} {figure['year']}, {figure['figure']}: {old} -> {figure['new']:,}"


def receipt_panel(detail: dict[str, Any]) -> dbc.Card:
    rows = [
        html.Tr([html.Th(label, scope="row"), html.Td(_receipt_value(detail, key))])
        for label, key in RECEIPT_FIELDS
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Recorded — your receipt", className="h5"),
                *_awaiting_review(detail),
                dbc.Table(html.Tbody(rows), bordered=False, size="sm", className="mb-2"),
                *_figures_list(detail.get("figures", [])),
                dbc.Button("Download the receipt", id="upload-receipt-button", color="secondary", size="sm"),
            ]
        ),
        color="success",
        outline=True,
    )


def _awaiting_review(detail: dict[str, Any]) -> list[Any]:
    if detail.get("review_status") != "submitted":
        return []
    return [
        dbc.Alert(
            "Awaiting review: the secretariat checks these figures before they count on the public pages. "
            "Their decision, and any comment, will show in your uploads below.",
            color="info",
            id="upload-receipt-awaiting-review",
        )
    ]


def _figures_list(figures: list[dict[str, Any]]) -> list[Any]:
    if not figures:
        return []
    listed = figures[:FIGURES_SHOWN]
    parts: list[Any] = [
        html.H3("Figures recorded", className="h6"),
        html.Ul(
            [html.Li(_figure_text(figure).replace(" -> ", " → ")) for figure in listed], className="mb-2"
        ),
    ]
    if len(figures) > len(listed):
        parts.append(
            html.P(
                f"Shown: the first {len(listed):,} of {len(figures):,}; "
                "the downloaded receipt lists them all."
            )
        )
    return parts
