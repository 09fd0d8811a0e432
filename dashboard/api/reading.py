"""The public reading routes of the REST API (no sign-in; a token, if sent, changes nothing).

Each route asks one data function for a frame (the same ones the pages and the command lines use:
`models.metrics.service`) and hands it to `render.page`, which answers JSON or CSV.
"""

from __future__ import annotations

from typing import Any

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
    IndicatorsPage,
    PageQuery,
    ParticipantsPage,
    PublishedTotalsPage,
    ReportingPage,
    ValuesPage,
    ValuesQuery,
)
from models.db import read_session
from models.metrics import service
from models.metrics.compliance import ALL
from models.queries import cycles_frame

api = APIBlueprint(
    "api", __name__, url_prefix="/api/v1", abp_tags=[Tag(name="read", description="Public data")]
)
_REFUSED: dict[str | int, type[BaseModel] | dict[Any, Any] | None] = {422: ApiError}


def _participant_problem(code: str | None, allow_all: bool = False) -> Response | None:
    if code is None:
        return None
    known = set(service.participants(_data.engine())["code"]) | ({ALL} if allow_all else set())
    if code.upper() in known:
        return None
    also = " (or ALL)" if allow_all else ""
    message = f"{code.upper()} is not a registered participant{also}"
    return render.error(422, message, [{"location": "query.participant", "message": message}])


@api.get("/participants", responses={200: ParticipantsPage, **_REFUSED}, summary="The participant register")
def list_participants(query: PageQuery) -> Response:
    return render.page(
        lambda _state: service.participants(_data.engine()),
        limit=query.limit, offset=query.offset, requested_format=query.format, name="participants",
    )  # fmt: skip


@api.get(
    "/indicators", responses={200: IndicatorsPage, **_REFUSED}, summary="The indicators and their targets"
)
def list_indicators(query: PageQuery) -> Response:
    return render.page(
        lambda _state: service.indicators(_data.engine()),
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
        frame = service.values(_data.engine())
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
        frame = service.compliance(_data.engine(), query.basis, query.from_, query.to)
        if query.participant:
            frame = frame[frame["participant"] == query.participant.upper()]
        return frame

    return render.page(
        rows, limit=query.limit, offset=query.offset, requested_format=query.format, name="compliance"
    )


@api.get("/reporting", responses={200: ReportingPage, **_REFUSED}, summary="Reporting completeness per cycle")
def list_reporting(query: PageQuery) -> Response:
    return render.page(
        lambda _state: service.reporting(_data.engine()).summary,
        limit=query.limit, offset=query.offset, requested_format=query.format, name="reporting",
        fields=lambda _state: {"current_cycle": service.reporting(_data.engine()).current_cycle},
    )  # fmt: skip


@api.get(
    "/reporting/<string:cycle>",
    responses={200: CycleReportingPage, 404: ApiError, **_REFUSED},
    summary="Each participant's reporting in one cycle",
)
def cycle_reporting(path: CyclePath, query: PageQuery) -> Response:
    table = service.reporting(_data.engine()).table
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
