"""The compliance page's query (?basis=&from=&to=&cycle=&status=&participants=) and view: the status grid."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
from pydantic import BeforeValidator, Field, ValidationInfo, model_validator

from models.metrics.compliance import ALL, STATUSES
from models.metrics.headlines import years_with_data
from models.metrics.series import participant_names, status_grid
from models.reports.sheets import compliance_sheet, wide_grid
from models.reports.summaries import (
    chart_subtitle,
    compliance_grid_heading,
    compliance_grid_title,
    compliance_title,
    cycle_option_text,
    grid_summary,
    participants_chosen_text,
    years_text,
)
from models.views.common import (
    Chart,
    Export,
    Exports,
    PageData,
    chart,
    cycle_years,
    data_years,
    this_year,
)
from models.views.query import (
    Basis,
    PageQuery,
    context_list,
    first,
    parse_list,
    parse_range,
    query_string,
)

ANY_CYCLE = "any"
NO_STATUS = "none"  # the address's word for "no status ticked", so that view survives a reload


def _statuses(value: object) -> list[str]:
    """Absent: every status; "none" or an empty choice: none; else the valid ones (all when none is)."""
    if value is None or value == "":
        return list(STATUSES)
    if value == [] or str(first(value) or "").lower() == NO_STATUS:
        return []
    return parse_list(value, STATUSES) or list(STATUSES)


def _codes(value: object, info: ValidationInfo) -> list[str] | None:
    """The participants chosen (codes in `participants` order); None (everyone) when none is valid."""
    return parse_list(value, [str(code) for code in context_list(info, "participants")])


class ComplianceQuery(PageQuery):
    """The years (a cycle's when one is chosen), the basis, the statuses and the participants shown."""

    basis: Basis = "cumulative"
    start: int = Field(0, alias="from")
    end: int = Field(0, alias="to")
    cycle: str = ANY_CYCLE
    statuses: Annotated[list[str], BeforeValidator(_statuses)] = Field(
        default_factory=lambda: list(STATUSES), alias="status"
    )
    codes: Annotated[list[str] | None, BeforeValidator(_codes)] = Field(None, alias="participants")

    @model_validator(mode="before")
    @classmethod
    def _years(cls, values: Any, info: ValidationInfo) -> Any:
        """A known cycle sets the years; else `from` and `to` among the year choices (reversed: reordered)."""
        if not isinstance(values, dict) or info.context is None:
            return values  # built in code from checked values (no data to check them against)
        values = dict(values)
        cycles = dict(context_list(info, "cycles"))
        cycle = first(values.get("cycle")) or ANY_CYCLE
        if cycle in cycles:
            start, end = cycles[cycle]
        else:
            cycle = ANY_CYCLE
            years = context_list(info, "years") or [0]
            choices = context_list(info, "year_choices")
            start, end = parse_range(values.get("from"), values.get("to"), choices) or (years[0], years[-1])
        values.update({"cycle": cycle, "from": start, "to": end})
        values.pop("start", None), values.pop("end", None)
        return values

    def query(self) -> str:
        """The address query; an empty participant choice is left out (it means all)."""
        return query_string(
            {
                "basis": self.basis,
                "from": self.start,
                "to": self.end,
                "cycle": None if self.cycle == ANY_CYCLE else self.cycle,
                "status": self.statuses or NO_STATUS,
                "participants": self.codes,
            }
        )


@dataclass(frozen=True)
class ComplianceView:
    """Everything the compliance page shows: its choices, the grid (chart and table), the texts, the files."""

    query: ComplianceQuery
    years: list[int]
    year_choices: list[int]
    cycle_options: list[tuple[str, str]]
    participant_options: list[tuple[str, str]]
    grid: pd.DataFrame
    heading: str
    summary: str
    participants_label: str
    grid_chart: Chart
    exports: Mapping[str, Export]


def year_choices(data: PageData) -> list[int]:
    """The years the selects offer: every year of `data_years`, and every past year a reporting cycle
    covers (a cycle nobody reported for still shows its participants as missing)."""
    now = this_year()
    covered = {year for a, b in cycle_years(data).values() for year in range(a, min(b, now) + 1)}
    return sorted(set(data_years(data)) | covered)


def participant_options(data: PageData) -> list[tuple[str, str]]:
    """(code, name) of every participant by name, then the Alliance."""
    names = participant_names(data.participants())
    alliance = names.pop(ALL)
    return [*sorted(names.items(), key=lambda item: item[1]), (ALL, alliance)]


def compliance_query(data: PageData, values: dict[str, object]) -> ComplianceQuery:
    """The checked query for these address keys or control values."""
    return ComplianceQuery.parse(
        values,
        years=data_years(data),
        year_choices=year_choices(data),
        cycles=list(cycle_years(data).items()),
        participants=[code for code, _ in participant_options(data)],
    )


def _table(data: PageData, query: ComplianceQuery) -> pd.DataFrame:
    """The compliance table covering the chosen years: the default range (every year with data in
    the basis), stretched to years before or after it when a cycle or the selects ask for them."""
    table = data.compliance(query.basis)
    years = years_with_data(table)
    if years and years[0] <= query.start and query.end <= years[-1]:
        return table
    first_year, last_year = min([query.start, *years[:1]]), max([query.end, *years[-1:]])
    return data.compliance(query.basis, first_year, last_year)


def compliance_view(data: PageData, query: ComplianceQuery) -> ComplianceView:
    """The compliance page for a query; `exports` is keyed by download button id."""
    basis, start, end = query.basis, query.start, query.end
    grid = status_grid(_table(data, query), data.participants(), start, end, query.statuses, query.codes)
    selection = {"years": f"{start}–{end}", "statuses": ", ".join(query.statuses) or "none"}
    if query.cycle != ANY_CYCLE:
        selection["reporting cycle"] = query.cycle
    if query.codes:
        selection["participants shown"] = ", ".join(query.codes)
    title = compliance_title(basis)
    stem = f"{basis}-{years_text(start, end, '-')}"
    # The grid's CSV holds what the grid shows (participants down, years across); the table's files
    # the long rows, the XLSX with the report sheet first. Named apart: no download overwrites another.
    exports = Exports(
        {
            "compliance-grid-csv": lambda: Export(
                f"compliance-grid-{stem}", title, wide_grid(grid, start, end), basis, selection
            ),
            "compliance-table-csv": lambda: Export(f"compliance-table-{stem}", title, grid, basis, selection),
            "compliance-table-xlsx": lambda: Export(
                f"compliance-table-{stem}",
                title,
                grid,
                basis,
                selection,
                report=(compliance_sheet(grid, basis, start, end),),
            ),
        }
    )
    return ComplianceView(
        query=query,
        years=data_years(data),
        year_choices=year_choices(data),
        cycle_options=[
            (ANY_CYCLE, cycle_option_text(None)),
            *((name, cycle_option_text(name, a, b)) for name, (a, b) in cycle_years(data).items()),
        ],
        participant_options=participant_options(data),
        grid=grid,
        heading=compliance_grid_heading(basis, start, end),
        summary=grid_summary(grid, basis, start, end, query.statuses),
        participants_label=participants_chosen_text(query.codes),
        grid_chart=chart(
            data,
            compliance_grid_title(),
            chart_subtitle(basis, years_text(start, end)),
            f"compliance-grid-{basis}-{years_text(start, end, '-')}",
        ),
        exports=exports,
    )
