"""The REST API's requests and answers as pydantic models: they validate every request, and the
OpenAPI 3.1 document (/api/v1/openapi.json) is generated from them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, cast

from flask_openapi3.models.file import FileStorage
from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.metrics.compliance import PROGRESS, STATUSES

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 1000
ISO3 = r"^[A-Za-z]{3}$"
Year = Field(default=None, ge=2000, le=2100)

_HEADERS = {
    "ETag": {"description": "Changes whenever the data (or the day) changes", "schema": {"type": "string"}},
    "Link": {"description": "RFC 8288 links to the next and previous pages", "schema": {"type": "string"}},
    "X-Total-Count": {"description": "Rows in all pages", "schema": {"type": "integer"}},
}
_CSV = {"text/csv": {"schema": {"type": "string"}}}


class ApiProblem(BaseModel):
    """One thing wrong with a request: where (`query.from`, `form.file`) and what."""

    location: str
    message: str


class ApiError(BaseModel):
    """Every refused request answers with this (never a server error page)."""

    status: int
    error: str
    problems: list[ApiProblem] = []


# --- queries --------------------------------------------------------------------------------------


class PageQuery(BaseModel):
    """Pagination and format, shared by every list."""

    model_config = ConfigDict(extra="ignore")

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page")
    offset: int = Field(0, ge=0, le=2**31 - 1, description="Rows to skip")
    format: Literal["json", "csv"] | None = Field(
        None, description="json (default) or csv; `Accept: text/csv` asks for CSV too"
    )


class FormatQuery(BaseModel):
    """The format of one document (not a list)."""

    model_config = ConfigDict(extra="ignore")

    format: Literal["json", "csv"] | None = Field(
        None, description="json (default) or csv; `Accept: text/csv` asks for CSV too"
    )


class YearRange(PageQuery):
    from_: int | None = Field(default=None, ge=2000, le=2100, alias="from", description="First year")
    to: int | None = Field(default=None, ge=2000, le=2100, description="Last year")

    @model_validator(mode="after")
    def _ordered(self) -> YearRange:
        if self.from_ is not None and self.to is not None and self.from_ > self.to:
            raise ValueError("'from' must not be after 'to'")
        return self


class ValuesQuery(YearRange):
    participant: str | None = Field(None, pattern=ISO3, description="ISO 3166-1 alpha-3 code")
    basis: Literal["annual", "cumulative"] | None = Field(None, description="Only this basis")


class ComplianceQuery(YearRange):
    """The parameters of `python -m models.metrics compliance`."""

    basis: Literal["annual", "cumulative"] = Field("cumulative", description="cumulative (default) or annual")
    participant: str | None = Field(
        None, pattern=r"^[A-Za-z]{3}$", description="Only this participant; ALL: only the Alliance rows"
    )


class CyclePath(BaseModel):
    cycle: str = Field(min_length=1, max_length=100, description="A cycle's name, e.g. 'Report 2016'")


class SnapshotsQuery(PageQuery):
    cycle: str | None = Field(None, min_length=1, max_length=100, description="Only this cycle's snapshots")


# --- answers ----------------------------------------------------------------------------------------


class Links(BaseModel):
    self: str
    next: str | None = None
    prev: str | None = None


class Page(BaseModel):
    """What every list answers: a page of rows, how many in all, links, and what the data is."""

    total: int = Field(description="Rows in all pages")
    limit: int
    offset: int
    links: Links
    data_version: int = Field(description="The database's data version (it grows with every write)")
    demo: bool = Field(description="True when the figures are demonstration data, not real ones")
    data_note: str | None = Field(description="'Demonstration data — not real figures', or null")


def _page_config(title: str) -> ConfigDict:
    # flask-openapi3 reads `openapi_extra` from a model's config (pydantic's ConfigDict does not name it).
    return cast(ConfigDict, {"title": title, "openapi_extra": {"headers": _HEADERS, "content": _CSV}})


class ParticipantRow(BaseModel):
    code: str
    name: str
    joined_on: dt.date
    source_title: str
    source_url: str
    data_note: str | None = None


class ParticipantsPage(Page):
    model_config = _page_config("ParticipantsPage")
    data: list[ParticipantRow]


class IndicatorRow(BaseModel):
    code: str
    basis: str
    name: str
    unit: str
    kind: Literal["flow", "stock"]
    description: str
    min_yearly_growth: str = Field(description="Exact decimal, e.g. '0.100000' (10%)")
    data_note: str | None = None


class IndicatorsPage(Page):
    model_config = _page_config("IndicatorsPage")
    data: list[IndicatorRow]


class CycleRow(BaseModel):
    name: str
    kind: Literal["stock_taking", "biennial_report"]
    deadline: dt.date
    first_year: int
    last_year: int
    data_note: str | None = None


class CyclesPage(Page):
    model_config = _page_config("CyclesPage")
    data: list[CycleRow]


class ValueRow(BaseModel):
    participant: str
    basis: Literal["annual", "cumulative"]
    year: int
    value: int
    data_note: str | None = None


class ValuesPage(Page):
    model_config = _page_config("ValuesPage")
    data: list[ValueRow]


class ComplianceRow(BaseModel):
    """The columns of `python -m models.metrics compliance --format json` (docs/metrics.md)."""

    participant: str
    year: int
    basis: Literal["annual", "cumulative"]
    value: int | None
    previous_year: int | None
    previous_value: int | None
    gap_years: int | None
    required_value: int | None
    growth: float | None
    status: Literal[STATUSES]  # type: ignore[valid-type]
    progress: Literal[PROGRESS] | None  # type: ignore[valid-type]
    baseline_year: int | None
    path_value: int | None
    on_path: bool | None
    participants: int | None
    data_note: str | None = None


class CompliancePage(Page):
    model_config = _page_config("CompliancePage")
    data: list[ComplianceRow]


class CycleSummaryRow(BaseModel):
    cycle: str
    kind: str
    deadline: dt.date
    first_year: int
    last_year: int
    expected: int
    on_time: int
    late: int
    incomplete: int
    missing: int
    completeness_numerator: int
    completeness_denominator: int
    completeness_pct: float | None
    timeliness_numerator: int
    timeliness_denominator: int
    timeliness_pct: float | None
    data_note: str | None = None


class ReportingPage(Page):
    model_config = _page_config("ReportingPage")
    current_cycle: str | None = Field(description="The cycle open today, if any")
    data: list[CycleSummaryRow]


class CycleParticipantRow(BaseModel):
    cycle: str
    deadline: dt.date
    first_year: int
    last_year: int
    participant: str
    status: str
    years_covered: int
    years_reported: int
    missing_years: str
    reported_on: dt.date | None
    days_late: int | None
    data_note: str | None = None


class CycleReportingPage(Page):
    model_config = _page_config("CycleReportingPage")
    data: list[CycleParticipantRow]


class PublishedTotalRow(BaseModel):
    date: str = Field(description="ISO date (or year) of the publication; empty when undated")
    figure: str
    value: int
    approximate: bool
    source_title: str
    source_url: str


class PublishedTotalsPage(Page):
    model_config = _page_config("PublishedTotalsPage")
    data: list[PublishedTotalRow]


class SnapshotRow(BaseModel):
    """A closed cycle's snapshot: when, by whom, at which data version, and the hash of its CSV."""

    cycle: str
    closed_at: dt.datetime
    closed_by: str
    data_version: int = Field(description="The data version the snapshot froze")
    sha256: str = Field(description="Hex SHA-256 of the snapshot's canonical CSV (docs/metrics.md)")
    demonstration: bool = Field(description="True when the frozen figures were demonstration data")
    data_note: str | None = None


class SnapshotsPage(Page):
    model_config = _page_config("SnapshotsPage")
    data: list[SnapshotRow]


class FrozenReportingRow(CycleParticipantRow):
    """A participant's reporting status in the cycle, as at the close. The canonical CSV keeps no
    difference between an empty text and a null: none missing is null here."""

    missing_years: str | None  # type: ignore[assignment]


class SnapshotDocument(BaseModel):
    """A closed cycle's latest snapshot: the frozen compliance table on both bases and the cycle's
    reporting status as at the close, with its hash. `?format=csv` answers the canonical CSV itself,
    byte for byte: its SHA-256 is `sha256`."""

    # flask-openapi3 reads `openapi_extra` from a model's config (pydantic's ConfigDict does not name it).
    model_config = cast(
        ConfigDict,
        {
            "title": "SnapshotDocument",
            "openapi_extra": {
                "headers": {"ETag": _HEADERS["ETag"]},
                "content": {"text/csv": {"schema": {"type": "string", "description": "The canonical CSV"}}},
            },
        },
    )

    cycle: str
    closed_at: dt.datetime
    closed_by: str
    data_version: int = Field(description="The data version the snapshot froze")
    sha256: str = Field(description="Hex SHA-256 of the canonical CSV (the same rows, docs/metrics.md)")
    demo: bool = Field(description="True when the frozen figures are demonstration data")
    data_note: str | None = Field(description="'Demonstration data — not real figures', or null")
    compliance_annual: list[ComplianceRow]
    compliance_cumulative: list[ComplianceRow]
    reporting: list[FrozenReportingRow]


# --- submissions -------------------------------------------------------------------------------------


class SubmissionForm(BaseModel):
    """multipart/form-data: the file, as docs/file-format.md describes it, and how to take it."""

    model_config = ConfigDict(extra="ignore", arbitrary_types_allowed=True)

    file: FileStorage = Field(description="A CSV, XLSX or JSON file (docs/file-format.md)")
    dry_run: bool = Field(False, description="true: validate and report what would change; record nothing")
    reason: str | None = Field(
        None,
        max_length=2000,
        description="Why the figures are sent; needed for corrections and from the secretariat",
    )
    participant: str | None = Field(
        None, pattern=ISO3, description="The one participant the file may hold (a liaison: their own only)"
    )


class SubmissionReport(BaseModel):
    """The validation report of the command line's --json (`IngestReport.as_dict`), and the upload."""

    model_config = ConfigDict(title="SubmissionReport")

    status: Literal["loaded", "unchanged", "rejected", "valid"]
    summary: str
    upload_id: int | None = Field(description="The upload recorded (null for a dry run without problems)")
    review_status: Literal["submitted", "accepted"] | None = Field(
        description="submitted: a liaison's figures, awaiting the secretariat's review (they count once "
        "accepted); accepted: the secretariat's, counting at once; null when nothing was recorded "
        "(a dry run, or a file changing nothing)"
    )
    report: dict[str, Any] = Field(
        description="file, status, rows, inserted, revised, unchanged, errors and warnings (each with "
        "row, column, value and message), error_count, notes, changes, cycle"
    )
    demo: bool
    data_note: str | None


class SubmissionRefused(ApiError):
    """A submission refused for its file: the same report, every problem with its row and column."""

    model_config = ConfigDict(title="SubmissionRefused")

    report: dict[str, Any] | None = None
    upload_id: int | None = None
