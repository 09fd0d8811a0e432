"""The public reading routes of the REST API (no sign-in; a token, if sent, changes nothing).

Each route asks one data function for a frame (the same ones the pages and the command lines use:
`models.metrics.service`) and hands it to `render.page`, which answers JSON or CSV.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask import Response
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from pydantic import BaseModel

from dashboard import _data
from dashboard.api import render
from dashboard.api.schemas import (
    ApiError,
    CompliancePage,
    ComplianceQuery,
    CycleParticipantRow,
    CyclePath,
    CycleReportingPage,
    CyclesPage,
    FormatQuery,
    IndicatorsPage,
    PageQuery,
    ParticipantsPage,
    PublishedTotalsPage,
    ReportingPage,
    SnapshotDocument,
    SnapshotsPage,
    SnapshotsQuery,
    ValuesPage,
    ValuesQuery,
)
from models.cycles.closing import SNAPSHOT_TABLES, SnapshotRecord, latest_snapshot, list_snapshots
from models.db import read_session
from models.demo import DEMO_LABEL
from models.metrics import service
from models.metrics.compliance import ALL
from models.queries import cycles_frame
from models.reports.tabular import json_records

api = APIBlueprint(
    "api", __name__, url_prefix="/api/v1", abp_tags=[Tag(name="read", description="Public data")]
)
_REFUSED: dict[str | int, type[BaseModel] | dict[Any, Any] | None] = {422: ApiError}


def _participant_problem(code: str | None, allow_all: bool = False) -> Response | None:
    if code is None:
        return None
    known = set(service.participants(_data.snapshot(), cache=_data.cache())["code"]) | (
        {ALL} if allow_all else set()
    )
    if code.upper() in known:
        return None
    also = " (or ALL)" if allow_all else ""
    message = f"{code.upper()} is not a registered participant{also}"
    return render.error(422, message, [{"location": "query.participant", "message": message}])


@api.get("/participants", responses={200: ParticipantsPage, **_REFUSED}, summary="The participant register")
def list_participants(query: PageQuery) -> Response:
    return render.page(
        lambda _state: service.participants(_data.snapshot(), cache=_data.cache()),
        limit=query.limit, offset=query.offset, requested_format=query.format, name="participants",
    )  # fmt: skip


@api.get(
    "/indicators", responses={200: IndicatorsPage, **_REFUSED}, summary="The indicators and their targets"
)
def list_indicators(query: PageQuery) -> Response:
    return render.page(
        lambda _state: service.indicators(_data.snapshot(), cache=_data.cache()),
        limit=query.limit, offset=query.offset, requested_format=query.format, name="indicators",
    )  # fmt: skip


@api.get("/cycles", responses={200: CyclesPage, **_REFUSED}, summary="The reporting cycles")
def list_cycles(query: PageQuery) -> Response:
    def rows(_state: render.State):  # type: ignore[no-untyped-def]
        with read_session(_data.engine()) as session:
            return cycles_frame(session)

    return render.page(
        rows, limit=query.limit, offset=query.offset, requested_format=query.format, name="cycles"
    )


@api.get("/values", responses={200: ValuesPage, **_REFUSED}, summary="Current values, filtered")
def list_values(query: ValuesQuery) -> Response:
    refused = _participant_problem(query.participant)
    if refused is not None:
        return refused

    def rows(_state: render.State):  # type: ignore[no-untyped-def]
        frame = service.values(_data.snapshot(), cache=_data.cache())
        if query.participant:
            frame = frame[frame["participant"] == query.participant.upper()]
        if query.basis:
            frame = frame[frame["basis"] == query.basis]
        if query.from_ is not None:
            frame = frame[frame["year"] >= query.from_]
        if query.to is not None:
            frame = frame[frame["year"] <= query.to]
        return frame

    return render.page(
        rows, limit=query.limit, offset=query.offset, requested_format=query.format, name="values"
    )


@api.get(
    "/compliance",
    responses={200: CompliancePage, **_REFUSED},
    summary="Who met the 10% goal, per participant and year (as `python -m models.metrics compliance`)",
)
def list_compliance(query: ComplianceQuery) -> Response:
    refused = _participant_problem(query.participant, allow_all=True)
    if refused is not None:
        return refused

    def rows(_state: render.State):  # type: ignore[no-untyped-def]
        frame = service.compliance(_data.snapshot(), query.basis, query.from_, query.to, cache=_data.cache())
        if query.participant:
            frame = frame[frame["participant"] == query.participant.upper()]
        return frame

    return render.page(
        rows, limit=query.limit, offset=query.offset, requested_format=query.format, name="compliance"
    )


@api.get("/reporting", responses={200: ReportingPage, **_REFUSED}, summary="Reporting completeness per cycle")
def list_reporting(query: PageQuery) -> Response:
    return render.page(
        lambda _state: service.reporting(_data.snapshot(), cache=_data.cache()).summary,
        limit=query.limit, offset=query.offset, requested_format=query.format, name="reporting",
        fields=lambda _state: {
            "current_cycle": service.reporting(_data.snapshot(), cache=_data.cache()).current_cycle
        },
    )  # fmt: skip


@api.get(
    "/reporting/<string:cycle>",
    responses={200: CycleReportingPage, 404: ApiError, **_REFUSED},
    summary="Each participant's reporting in one cycle",
)
def cycle_reporting(path: CyclePath, query: PageQuery) -> Response:
    table = service.reporting(_data.snapshot(), cache=_data.cache()).table
    if path.cycle not in set(table["cycle"]):
        return render.error(404, f"no reporting cycle named {path.cycle!r}")
    columns = list(CycleParticipantRow.model_fields)[:-1]
    return render.page(
        lambda _state: table[table["cycle"] == path.cycle][columns],
        limit=query.limit, offset=query.offset, requested_format=query.format, name="reporting-cycle",
    )  # fmt: skip


@api.get(
    "/published-totals",
    responses={200: PublishedTotalsPage, **_REFUSED},
    summary="INTERPOL's published totals of identified victims, with their sources (real figures)",
)
def list_published_totals(query: PageQuery) -> Response:
    return render.page(
        lambda _state: _data.published_totals(),
        limit=query.limit, offset=query.offset, requested_format=query.format, name="published-totals",
        label_rows=False, demo=False,
    )  # fmt: skip


_SNAPSHOT_COLUMNS = ["cycle", "closed_at", "closed_by", "data_version", "sha256", "demonstration"]


@api.get(
    "/snapshots",
    responses={200: SnapshotsPage, **_REFUSED},
    summary="The snapshots of closed cycles: when, by whom, at which data version, with their SHA-256",
)
def list_cycle_snapshots(query: SnapshotsQuery) -> Response:
    def rows(_state: render.State) -> pd.DataFrame:
        records = list_snapshots(_data.snapshot().session)  # the request's one snapshot
        frame = pd.DataFrame(
            [[getattr(record, column) for column in _SNAPSHOT_COLUMNS] for record in records],
            columns=_SNAPSHOT_COLUMNS,
        )
        return frame if query.cycle is None else frame[frame["cycle"] == query.cycle]

    return render.page(
        rows, limit=query.limit, offset=query.offset, requested_format=query.format, name="snapshots"
    )


def _snapshot_body(snapshot: SnapshotRecord, state: render.State) -> dict[str, object]:
    assert snapshot.frames is not None
    demo = snapshot.demonstration or state.demo
    return {
        "cycle": snapshot.cycle,
        "closed_at": snapshot.closed_at.isoformat(),
        "closed_by": snapshot.closed_by,
        "data_version": snapshot.data_version,
        "sha256": snapshot.sha256,
        "demo": demo,
        "data_note": DEMO_LABEL if demo else None,
        **{name: json_records(snapshot.frames[name]) for name in SNAPSHOT_TABLES},
    }


@api.get(
    "/snapshots/<string:cycle>",
    responses={200: SnapshotDocument, 404: ApiError, **_REFUSED},
    summary="A closed cycle's latest snapshot: the frozen compliance table (both bases) and reporting "
    "status; ?format=csv answers its canonical CSV, whose SHA-256 is the snapshot's",
)
def cycle_snapshot(path: CyclePath, query: FormatQuery) -> Response:
    session = _data.snapshot().session  # the request's one snapshot: the ETag agrees with it
    # matched among the closed cycles' names first: any text a client sends (a NUL that
    # PostgreSQL would refuse) is then a 404, never a query
    closed = {record.cycle for record in list_snapshots(session)}
    snapshot = latest_snapshot(session, path.cycle) if path.cycle in closed else None
    if snapshot is None or snapshot.canonical_csv is None:
        return render.error(
            404, f"no closed reporting cycle named {path.cycle!r}: it is unknown, or still open"
        )
    text = snapshot.canonical_csv
    return render.single(
        lambda state: _snapshot_body(snapshot, state),
        csv_body=lambda _state: text,
        requested_format=query.format,
        name=f"snapshot-{snapshot.sha256[:12]}{'-demonstration' if snapshot.demonstration else ''}",
    )
