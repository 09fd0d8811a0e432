"""Pieces of the upload page: the preview of an ingest report, the receipt, the list of uploads."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html
from werkzeug.exceptions import NotFound

from dashboard import _data
from dashboard.components.tables import KEYBOARD_OPTIONS, staff_columns
from dashboard.pages._upload_receipt import participants_text, standing
from data_ingest.assessment import DEMO_DATA_MESSAGE
from data_ingest.report import SHOWN_PER_COLUMN, ColumnCounts, IngestReport, Issue, by_column
from models.accounts.audit import liaison_uploads_frame, revisions_frame, uploads_frame, visible_upload_detail
from models.accounts.users import Identity
from models.cycles.review import reviews_of
from models.reports.summaries.words import plural, timestamp_text, words_count
from models.reports.tabular import json_records

INDICATOR_LABELS = {
    "identified_victims": "identified during the year",
    "cumulative_identified": "cumulative total",
}
NOTHING_CHANGES = "Nothing will change: every value in the file is already recorded."
#: How many changes and recorded figures a page lists; the downloaded receipt lists them all.
CHANGES_SHOWN = 200
KIND_LABELS = {"insert": "new", "revise": "revised", "unchanged": "unchanged"}
_GRID = {
    "defaultColDef": {"sortable": True, "filter": True, "resizable": True},
    "className": "ag-theme-alpine",
}


def issues_grid(grid_id: str, issues: list[dict[str, Any]]) -> dag.AgGrid:
    """Errors or warnings as a table: row, column, value, message."""
    return dag.AgGrid(
        id=grid_id,
        rowData=issues,
        columnDefs=[
            {"field": "row", "width": 90},
            {"field": "column", "width": 170},
            {"field": "value", "width": 170},
            # Wide enough to read on a phone too (the grid scrolls sideways there), wrapped beyond.
            {"field": "message", "flex": 1, "minWidth": 280, "wrapText": True, "autoHeight": True},
        ],
        dashGridOptions={
            "pagination": len(issues) > 50,
            "paginationPageSize": 50,
            "domLayout": "autoHeight",
            **KEYBOARD_OPTIONS,  # one Tab stop; arrow keys inside
        },
        **_GRID,
    )


def problems_section(
    prefix: str, issues: list[Issue], counts: ColumnCounts | None, total: int, download: str | None
) -> list[Any]:
    """Problems a browser is shown, bounded: a count per column, the first few of each, a download of all.

    `prefix` names the grid (`{prefix}-grid`); `download` is the id of the button that downloads
    the whole list (None: no button)."""
    groups = by_column(issues, counts)
    first = [issue.as_dict() for group in groups for issue in group.first]
    rows = [html.Tr([html.Td(group.column), html.Td(f"{group.count:,}")]) for group in groups]
    head = html.Thead(html.Tr([html.Th("Column", scope="col"), html.Th("Problems", scope="col")]))
    parts: list[Any] = [
        dbc.Table([head, html.Tbody(rows)], size="sm", className="w-auto", id=f"{prefix}-counts"),
        issues_grid(f"{prefix}-grid", first),
    ]
    if len(first) < total:
        parts.append(
            html.P(
                f"Shown: the first {SHOWN_PER_COLUMN} of each column ({len(first):,} of {total:,}).",
                className="text-body-secondary mt-1",
            )
        )
    if download is not None:
        parts.append(
            dbc.Button(
                "Download the list of problems (CSV)",
                id=download,
                color="secondary",
                size="sm",
                className="mb-3",
            )
        )
    return parts


DEMO_REFUSED = (
    "Nothing is wrong with the file: it was refused only because this database still holds the "
    "demonstration data, which real figures are never mixed with. Keep the file, and send it again "
    "once the secretariat or an admin has removed the demonstration data (see the notice at the top)."
)
DEMO_AND_PROBLEMS = (
    "Nothing was recorded. This database still holds the demonstration data (see the notice at the top), "
    "and the file has {problems} to correct: correct them, and send the file again once the "
    "demonstration data is removed."
)


def _demo_refused(report: IngestReport) -> bool:
    return any(issue.message == DEMO_DATA_MESSAGE for issue in report.errors)


def demo_only(report: IngestReport) -> bool:
    """Refused only because the database holds the demonstration data: nothing is wrong with the file."""
    return report.error_count == 1 and _demo_refused(report)


def refused_summary(report: IngestReport) -> str:
    """What to do about a refused file: correct it (and, with demonstration data, wait for its removal)."""
    if not _demo_refused(report):
        return "Nothing was recorded. Correct the file and send it again."
    return DEMO_AND_PROBLEMS.format(problems=words_count(report.error_count - 1, "other problem"))


def reason_text(report: IngestReport, reason_always: bool) -> str:
    """Whether Confirm will need a reason, said before Confirm (the secretariat: always; others: for
    corrections of values already recorded), with how many values it concerns."""
    corrected = words_count(report.revised, "value")
    if reason_always:
        also = f" This file corrects {corrected} already recorded." if report.revised else ""
        return (
            "A reason is needed before you confirm: the secretariat gives one for every file it sends." + also
        )
    if report.revised:
        return (
            f"A reason is needed before you confirm: this file corrects {corrected} already recorded "
            "(old → new below). Say why in the Reason box."
        )
    return "No reason is needed: the file corrects no value already recorded (you may still give one)."


def preview_panel(report: IngestReport, *, reason_always: bool = False) -> html.Div:
    """What the file would do (dry run) or why it was refused; bounded however large the file.

    `reason_always`: the secretariat's preview (a reason is always needed)."""
    if report.status == "rejected" and demo_only(report):
        # Not a problem of the file: no list of problems, and a warning rather than an error.
        return html.Div(
            dbc.Alert([html.Strong(f"{report.file}: not recorded. "), DEMO_REFUSED], color="warning")
        )
    if report.status == "rejected":
        count = report.error_count
        parts: list[Any] = [
            dbc.Alert(
                [
                    html.Strong(f"{report.file}: refused, {count:,} problem{'s' if count != 1 else ''}. "),
                    refused_summary(report),
                ],
                color="danger",
            ),
            *problems_section(
                "upload-errors", list(report.errors), report.error_counts, count, "upload-problems-button"
            ),
        ]
        if count > len(report.errors):
            parts.append(
                html.P(
                    f"The list keeps the first {len(report.errors):,} problems; the counts are of all "
                    f"{count:,}.",
                    className="text-body-secondary mt-1",
                )
            )
        return html.Div(parts)
    changes = [
        {
            "country": change.participant_code,
            "year": change.year,
            "figure": INDICATOR_LABELS.get(change.indicator_code, change.indicator_code),
            "old": change.old_value,
            "new": change.new_value,
            "change": KIND_LABELS[change.kind],
        }
        for change in sorted(
            report.changes, key=lambda c: ({"revise": 0}.get(c.kind, 1), c.participant_code, c.year)
        )
        if change.kind != "unchanged"  # counted in the summary; the table lists what changes
    ]
    revised = f"{report.revised} revised (old → new below)" if report.revised else "0 revised"
    parts = [
        dbc.Alert(
            [
                html.Strong(f"{report.file}: no problems found. "),
                f"{plural(report.rows, 'row')}: {plural(report.inserted, 'new value')}, {revised}, "
                f"{report.unchanged} unchanged. Nothing is recorded until you confirm.",
            ],
            color="success",
        ),
    ]
    if report.cycle is not None:
        parts.append(html.P(f"Counts for {report.cycle.text()}."))
    parts.append(html.P(reason_text(report, reason_always), id="upload-reason-needed"))
    if report.warnings:
        parts += [
            html.H2("Worth a second look", className="h5"),
            html.P(
                f"Check {'this warning' if len(report.warnings) == 1 else 'these warnings'} against your "
                "records, then tick the box below the preview to confirm.",
            ),
            *problems_section(
                "upload-warnings", list(report.warnings), None, len(report.warnings), "upload-problems-button"
            ),
        ]
    if report.notes:
        parts += [html.H2("Notes in the file", className="h5 mt-3"), notes_table(list(report.notes))]
    if not changes:
        parts.append(html.P(NOTHING_CHANGES, className="mt-3"))
        return html.Div(parts)
    listed = changes[:CHANGES_SHOWN]
    parts += [
        html.H2("What will change", className="h5 mt-3"),
        dag.AgGrid(
            id="upload-changes-grid",
            rowData=listed,
            # The columns share the width (no blank column at the right edge); below their least
            # widths, on a phone, the grid scrolls sideways.
            columnDefs=[
                {"field": "change", "minWidth": 120, "flex": 1, "pinned": "left"},
                {"field": "country", "minWidth": 120, "flex": 1},
                {"field": "year", "minWidth": 100, "flex": 1},
                {"field": "figure", "minWidth": 210, "flex": 2},
                {"field": "old", "minWidth": 100, "flex": 1},
                {"field": "new", "minWidth": 100, "flex": 1},
            ],
            dashGridOptions={
                "pagination": len(listed) > 50,
                "paginationPageSize": 50,
                "domLayout": "autoHeight",
                **KEYBOARD_OPTIONS,
            },
            **_GRID,
        ),
    ]
    if len(changes) > len(listed):
        parts.append(
            html.P(
                f"Shown: the first {len(listed):,} of {len(changes):,} changes (revisions first); "
                "the receipt "
                "lists every figure recorded.",
                className="text-body-secondary mt-1",
            )
        )
    return html.Div(parts)


UPLOAD_NOT_FOUND = "No upload with this number that your account may see."


def visible_upload(who: Identity, upload_id: object, with_figures: bool = False) -> dict[str, Any]:
    """An upload's details, if this user may see it; else 404, the same whether the upload exists
    or not (models.accounts.audit.visible_upload_detail decides, from the database's records)."""
    with _data.reading() as session:
        detail = visible_upload_detail(session, upload_id, who.role, who.participant_code, who.email)
        # The figures recorded, for a receipt; a report does not show them.
        figures = (
            _figures(revisions_frame(session, upload_id=detail["upload_id"]))
            if detail and with_figures
            else []
        )
        review = reviews_of(session, [detail["upload_id"]]).get(detail["upload_id"]) if detail else None
    if detail is None:
        raise NotFound(UPLOAD_NOT_FOUND)
    detail["figures"] = figures
    detail["review_status"] = review.status if review is not None else None
    detail["review_comment"] = review.comment if review is not None else None
    if not who.is_secretariat and detail["uploaded_by"] != who.email and detail["participant"] is None:
        detail = _only_their_part(detail, who.participant_code or "")
    return detail


def _figures(revisions: pd.DataFrame) -> list[dict[str, Any]]:
    """An upload's recorded values (models.accounts.audit.revisions_frame), as a receipt lists them."""
    return [
        {
            "country": row.participant,
            "year": int(row.year),
            "figure": INDICATOR_LABELS.get(row.indicator, row.indicator),
            "old": None if pd.isna(row.old_value) else int(row.old_value),
            "new": int(row.new_value),
        }
        for row in revisions.sort_values(["participant", "year", "indicator"]).itertuples(index=False)
    ]


def _only_their_part(detail: dict[str, Any], participant: str) -> dict[str, Any]:
    """A file someone else sent for several participants, as a liaison sees it: the notes about their
    participant only; the checks the file raised are the secretariat's (they may name others' rows)."""
    report = dict(detail.get("report") or {})
    report["notes"] = [note for note in report.get("notes", []) if note.get("country") == participant]
    report["warnings"] = []
    report["only_for"] = participant
    figures = [figure for figure in detail.get("figures", []) if figure["country"] == participant]
    return {**detail, "report": report, "figures": figures}


HISTORY_COLUMNS = (
    ("upload_id", "Upload"),
    ("received_at", "Received (UTC)"),
    ("uploaded_by", "Sent by"),
    ("participant", "Participant"),
    ("original_name", "File"),
    ("outcome", "Outcome"),
    ("inserted", "New"),
    ("revised", "Revised"),
    ("unchanged", "Unchanged"),
    ("errors", "Problems"),
    ("review", "Review"),
    ("review_comment", "Secretariat's comment"),
)
#: An upload's review as its history says it (a file that recorded no values has none).
REVIEW_WORDS = {
    "submitted": "submitted — awaiting review",
    "accepted": "accepted",
    "returned": "returned",
    None: "—",
}


TYPICAL_UPLOAD = {
    "upload_id": 100000,
    "received_at": "2026-11-28 18:40 UTC",
    "uploaded_by": "firstname.lastname@police.example",
    "participant": "DEU, FRA",
    "original_name": "report-2026-corrected.xlsx",
    "outcome": "unchanged",
    "review": REVIEW_WORDS["submitted"],
}


def history_rows(who: Identity) -> list[dict[str, Any]]:
    """The uploads this user may see, newest first (a liaison: theirs; the secretariat: all)."""
    with _data.reading() as session:
        if who.is_secretariat:
            frame = uploads_frame(session, limit=500)
        else:
            frame = liaison_uploads_frame(session, who.participant_code or "", who.email)
        reviews = reviews_of(session, [int(i) for i in frame["upload_id"]])
    shown = frame[[field for field, _header in HISTORY_COLUMNS[:-2]]].copy()
    shown["received_at"] = [timestamp_text(value) for value in shown["received_at"]]
    found = [reviews.get(int(i)) for i in shown["upload_id"]]
    shown["review"] = [REVIEW_WORDS[r.status if r is not None else None] for r in found]
    shown["review_comment"] = [(r.comment or "") if r is not None else "" for r in found]
    return json_records(shown)


def history_panel(rows: list[dict[str, Any]]) -> html.Section:
    return html.Section(
        [
            html.H2("Uploads", className="h4 mt-4"),
            html.P(
                "Accepted and refused files, and the secretariat's review of the figures each recorded "
                "(a returned upload's figures do not count; its comment says why). "
                "Select one to see its report.",
                className="text-body-secondary",
            ),
            dag.AgGrid(
                id="upload-history-grid",
                rowData=rows,
                # Wide enough for the rows that will arrive, not only for those shown now.
                columnDefs=staff_columns([*rows, TYPICAL_UPLOAD], list(HISTORY_COLUMNS)),
                dashGridOptions={
                    "rowSelection": {"mode": "singleRow", "enableClickSelection": True},
                    "pagination": True,
                    "paginationPageSize": 20,
                    "domLayout": "autoHeight",
                    **KEYBOARD_OPTIONS,
                },
                **_GRID,
            ),
            html.Div(id="upload-history-report", className="mt-3", role="status"),
        ]
    )


def stored_issues(report: dict[str, Any], kind: str) -> list[Issue]:
    """The errors or warnings kept with an upload's report, as Issues (entries of another shape skipped)."""
    issues = []
    for entry in report.get(kind) or []:
        if isinstance(entry, dict) and isinstance(entry.get("message"), str):
            row = entry.get("row")
            issues.append(
                Issue(
                    row if isinstance(row, int) else None,
                    entry.get("column") if isinstance(entry.get("column"), str) else None,
                    entry.get("value") if isinstance(entry.get("value"), str) else None,
                    entry["message"],
                )
            )
    return issues


def report_panel(detail: dict[str, Any]) -> html.Div:
    """A stored upload's report: its outcome, its problems (bounded, with a download) and what to check."""
    report = detail.get("report") or {}
    errors, warnings = stored_issues(report, "errors"), stored_issues(report, "warnings")
    columns = report.get("error_columns")
    counts = tuple((str(c) if c is not None else None, int(n)) for c, n in columns) if columns else None
    total = max(int(detail.get("errors") or 0), len(errors))
    parts: list[Any] = [
        html.H3(
            f"Upload {detail['upload_id']}: {detail['original_name']} — {detail['outcome']}", className="h5"
        ),
        html.P(
            f"Received {timestamp_text(detail['received_at'])} from {detail['uploaded_by']}; "
            f"SHA-256 {detail['sha256']}."
        ),
    ]
    cycle = standing(detail)
    if cycle is not None:
        parts.append(html.P(f"Counts for {cycle.text()}."))
    if errors:
        parts += [
            html.H4("Problems", className="h6"),
            *problems_section("upload-report-errors", errors, counts, total, "upload-report-button"),
        ]
    if report.get("errors_not_stored"):
        parts.append(
            html.P(
                f"The record of this upload keeps its first {len(errors):,} problems of {total:,}; "
                "the counts per column are of all of them."
            )
        )
    if warnings:
        parts += [
            html.H4("Worth a second look", className="h6"),
            *problems_section(
                "upload-report-warnings",
                warnings,
                None,
                len(warnings),
                None if errors else "upload-report-button",
            ),
        ]
    if report.get("only_for"):
        parts.append(
            html.P(
                f"This file held figures for several participants ({participants_text(detail)}); shown here "
                f"is what concerns {report['only_for']}. The secretariat has the file's full report."
            )
        )
    if report.get("notes"):
        parts += [html.H4("Notes in the file", className="h6"), notes_table(report["notes"])]
    if not errors and not warnings:
        parts.append(html.P("No problems and nothing to check."))
    return html.Div(parts)


def report_note(detail: dict[str, Any]) -> str | None:
    """What a downloaded stored report says about problems found but not kept."""
    report = detail.get("report") or {}
    if not report.get("errors_not_stored"):
        return None
    return (
        f"{report['errors_not_stored']:,} more problems were found; the record of the upload keeps the first "
        f"{len(report.get('errors') or []):,}."
    )


NOTES_SHOWN = 100


def notes_table(notes: list[dict[str, Any]]) -> dbc.Table | html.Div:
    """The file's `notes` column, row by row: kept with the upload, shown with its report."""
    header = html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Row", "Country", "Year", "Note")]))
    body = html.Tbody(
        [
            html.Tr([html.Td(str(n.get(k, ""))) for k in ("row", "country", "year", "note")])
            for n in notes[:NOTES_SHOWN]
            if isinstance(n, dict)
        ]
    )
    table = dbc.Table([header, body], size="sm", striped=True)
    if len(notes) <= NOTES_SHOWN:
        return table
    return html.Div([table, html.P(f"Shown: the first {NOTES_SHOWN} of {len(notes):,} notes.")])
