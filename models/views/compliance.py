"""The compliance page's query (?basis=&from=&to=&cycle=&status=&participants=&submitted=) and view."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
from pydantic import BeforeValidator, Field, ValidationInfo, model_validator

from models.counting import ACCEPTED_ONLY, Counting, counting_for
from models.metrics.compliance import ALL, STATUSES
from models.metrics.headlines import years_with_data
from models.metrics.series import participant_names, status_grid
from models.reports.counting import including_submitted_text, revised_note
from models.reports.sheets import compliance_sheet, wide_grid
from models.reports.summaries.charts import chart_subtitle
from models.reports.summaries.grid import (
    compliance_grid_heading,
    compliance_grid_title,
    compliance_title,
    cycle_option_text,
    grid_summary,
    participants_chosen_text,
)
from models.reports.summaries.words import years_text
from models.views.common import (
    Chart,
    Export,
    Exports,
    PageData,
    chart,
    counted_later,
    cycle_years,
    data_years,
    revised_cells,
    this_year,
)
from models.views.query import (
    SUBMITTED_WORD,
    Basis,
    PageQuery,
    Submitted,
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
    """The years (a cycle's when one is chosen), the basis, the statuses and the participants shown,
    and which figures count (`counting`: accepted only, unless the account may and asks for more)."""

    basis: Basis = "cumulative"
    start: int = Field(0, alias="from")
    end: int = Field(0, alias="to")
    cycle: str = ANY_CYCLE
    statuses: Annotated[list[str], BeforeValidator(_statuses)] = Field(
        default_factory=lambda: list(STATUSES), alias="status"
    )
    codes: Annotated[list[str] | None, BeforeValidator(_codes)] = Field(None, alias="participants")
    counting: Submitted = Field(ACCEPTED_ONLY, alias="submitted")

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
                "submitted": SUBMITTED_WORD if self.counting.include_submitted else None,
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
    revised: dict[tuple[str, int], str]  # (participant, year) shown → the cycle closed before it changed
    revised_note: str  # the footnote naming those cycles ("" when no value shown was revised)
    figures_note: str  # the banner when figures awaiting review count ("" for accepted figures only)


def year_choices(data: PageData, counting: Counting = ACCEPTED_ONLY) -> list[int]:
    """The years the selects offer: every year of `data_years`, and every past year a reporting cycle
    covers (a cycle nobody reported for still shows its participants as missing)."""
    now = this_year()
    covered = {year for a, b in cycle_years(data).values() for year in range(a, min(b, now) + 1)}
    return sorted(set(data_years(data, counting)) | covered)


def participant_options(data: PageData) -> list[tuple[str, str]]:
    """(code, name) of every participant by name, then the Alliance."""
    names = participant_names(data.participants())
    alliance = names.pop(ALL)
    return [*sorted(names.items(), key=lambda item: item[1]), (ALL, alliance)]


def compliance_query(
    data: PageData, values: dict[str, object], scope: Counting = ACCEPTED_ONLY
) -> ComplianceQuery:
    """The checked query for these address keys or control values; `scope`: what the signed-in
    account may count (models.counting.submitted_scope of its record), the years offered its too."""
    counting = counting_for(values.get("submitted"), scope)
    return ComplianceQuery.parse(
        values,
        years=data_years(data, counting),
        year_choices=year_choices(data, counting),
        cycles=list(cycle_years(data).items()),
        participants=[code for code, _ in participant_options(data)],
        scope=[scope],
    )


def _table(data: PageData, query: ComplianceQuery) -> pd.DataFrame:
    """The compliance table covering the chosen years: the default range (every year with data in
    the basis), stretched to years before or after it when a cycle or the selects ask for them."""
    table = data.compliance(query.basis, counting=query.counting)
    years = years_with_data(table)
    if years and years[0] <= query.start and query.end <= years[-1]:
        return table
    first_year, last_year = min([query.start, *years[:1]]), max([query.end, *years[-1:]])
    return data.compliance(query.basis, first_year, last_year, query.counting)


def compliance_view(data: PageData, query: ComplianceQuery) -> ComplianceView:
    """The compliance page for a query; `exports` is keyed by download button id."""
    basis, start, end, counting = query.basis, query.start, query.end, query.counting
    grid = status_grid(_table(data, query), data.participants(), start, end, query.statuses, query.codes)
    changed = revised_cells(data.revised_after_close(), basis)
    keys = list(zip(grid["participant"].astype(str), grid["year"].astype(int), strict=True))
    grid = grid.assign(revised_after_close=[key in changed for key in keys])
    revised = {key: changed[key] for key in keys if key in changed}
    selection = {"years": f"{start}–{end}", "statuses": ", ".join(query.statuses) or "none"}
    if query.cycle != ANY_CYCLE:
        selection["reporting cycle"] = query.cycle
    if query.codes:
        selection["participants shown"] = ", ".join(query.codes)
    title = compliance_title(basis)
    stem = f"{basis}-{years_text(start, end, '-')}"
    # The grid's CSV holds what the grid shows (participants down, years across); the table's files
    # the long rows, the XLSX with the report sheet first. Named apart: no download overwrites another.
    builders: dict[str, Callable[[], Export]] = {
        "compliance-grid-csv": lambda: Export(
            f"compliance-grid-{stem}", title, _wide(grid, start, end, revised), basis, selection
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
    exports = Exports({button: counted_later(build, counting) for button, build in builders.items()})
    note = revised_note(revised.values())
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
        summary=" ".join(filter(None, [grid_summary(grid, basis, start, end, query.statuses), note])),
        participants_label=participants_chosen_text(query.codes),
        grid_chart=chart(
            data,
            compliance_grid_title(),
            chart_subtitle(basis, years_text(start, end)),
            f"compliance-grid-{basis}-{years_text(start, end, '-')}",
            counting,
        ),
        exports=exports,
        revised=revised,
        revised_note=note,
        figures_note=including_submitted_text(counting),
    )


def _wide(grid: pd.DataFrame, start: int, end: int, revised: dict[tuple[str, int], str]) -> pd.DataFrame:
    """The grid's CSV (models.reports.sheets.wide_grid) with, per row, the years whose value was
    revised after close (`revised_after_close_years`, "2014, 2015"; empty when none)."""
    wide = wide_grid(grid, start, end)
    years: dict[str, list[int]] = {}
    for participant, year in sorted(revised):
        years.setdefault(participant, []).append(year)
    return wide.assign(
        revised_after_close_years=[
            ", ".join(str(y) for y in years.get(str(p), [])) for p in wide["participant"]
        ]
    )
