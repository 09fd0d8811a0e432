"""The country page's query (/country/<ISO3>?basis=&submitted=) and view: series, growth, history."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from pydantic import Field

from models.counting import ACCEPTED_ONLY, Counting
from models.metrics.headlines import Requirement, what_it_takes
from models.metrics.series import participant_history, participant_names, with_names
from models.reports.counting import SEE_COMPLIANCE_PAGE, including_submitted_text, revised_note
from models.reports.summaries.charts import chart_subtitle
from models.reports.summaries.participants import (
    country_export_title,
    country_growth_title,
    country_series_title,
    growth_summary,
    participant_summary,
    requirement_text,
    revision_summary,
)
from models.reports.summaries.words import years_text
from models.views.common import Chart, Export, Exports, PageData, chart, counted_export, revised_cells
from models.views.query import Basis, PageQuery, Submitted, first

CODE = re.compile(r"^[A-Za-z]{3}$")
# What each chart plots (its CSV has exactly these columns) and what the table shows.
SERIES_COLUMNS = ["participant", "name", "year", "basis", "value", "status", "baseline_year", "path_value"]
SERIES_COLUMNS += ["on_path"]
GROWTH_COLUMNS = ["participant", "name", "year", "basis", "growth", "status", "progress", "previous_year"]
GROWTH_COLUMNS += ["previous_value", "value", "gap_years"]


class CountryQuery(PageQuery):
    """?basis=cumulative|annual&submitted=yes (the participant is in the path, checked by `known_name`);
    `counting`: which figures count (accepted only, unless the account may and asks for more)."""

    basis: Basis = "cumulative"
    counting: Submitted = Field(ACCEPTED_ONLY, alias="submitted")


@dataclass(frozen=True)
class CountryView:
    """Everything a participant's page shows: its register entry, series, texts, history and files."""

    query: CountryQuery
    code: str
    name: str
    register: pd.Series | None  # None for a code that is not a participant's (its frames are empty)
    history: pd.DataFrame
    requirement: Requirement | None
    requirement_text: str
    series_summary: str
    growth_summary: str
    series_chart: Chart
    growth_chart: Chart
    revisions: pd.DataFrame
    revisions_summary: str
    others: list[tuple[str, str]]
    exports: Mapping[str, Export]
    revised: dict[int, str]  # year of the values table → the cycle closed before its value changed
    revised_note: str  # the footnote naming those cycles ("" when no value was revised after close)
    revisions_note: str  # the same for the revision history's marked rows
    figures_note: str  # the banner when figures awaiting review count ("" for accepted figures only)


def known_name(data: PageData, iso3: object) -> str | None:
    """The participant's name when `iso3` is a registered participant's code (any case), else None."""
    code = first(iso3)
    if code is None or not CODE.match(code) or code.upper() == "ALL":
        return None
    return participant_names(data.participants()).get(code.upper())


def country_query(values: dict[str, object], scope: Counting = ACCEPTED_ONLY) -> CountryQuery:
    """The checked query for these address keys or control values; `scope`: what the signed-in
    account may count (models.counting.submitted_scope of its record)."""
    return CountryQuery.parse(values, scope=[scope])


def _marked_revisions(revisions: pd.DataFrame, revised: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The revision history with `revised_after_close` (whether the row was recorded after the close
    of the cycle covering its year: `revised` is models.metrics.service.revised_after_close), and the
    cycles of the rows so marked."""
    closed = {
        (str(basis), int(year)): (str(cycle), pd.Timestamp(closed_at))
        for basis, year, cycle, closed_at in zip(
            *(revised[column].tolist() for column in ("basis", "year", "cycle", "closed_at")), strict=True
        )
    }
    flags: list[bool] = []
    cycles: list[str] = []
    for basis, year, recorded_at in zip(
        *(revisions[column].tolist() for column in ("basis", "year", "recorded_at")), strict=True
    ):
        cycle, closed_at = closed.get((str(basis), int(year)), ("", None))
        flags.append(closed_at is not None and pd.Timestamp(recorded_at) > closed_at)
        cycles += [cycle] if flags[-1] else []
    return revisions.assign(revised_after_close=pd.array(flags, dtype=bool)), cycles


def country_view(data: PageData, code: str, query: CountryQuery) -> CountryView:
    """A participant's page (`code` checked by `known_name` for the layout); `exports` keyed by button id.

    Figures awaiting review count here only when the query's counting covers this participant (a
    liaison's own page); the revision history lists accepted values only, as on every public page.
    Values changed after their cycle was closed are marked in the table and the history.
    """
    code, basis = code.upper(), query.basis
    counting = query.counting.for_participant(code)
    query = query.model_copy(update={"counting": counting})
    name = known_name(data, code) or code
    participants = data.participants()
    compliance = data.compliance(basis, counting=counting)
    history = with_names(participant_history(compliance, code), participants)
    changed = data.revised_after_close(code)
    cells = {year: cycle for (_, year), cycle in revised_cells(changed, basis).items()}
    revised = {int(year): cells[int(year)] for year in history["year"] if int(year) in cells}
    history = history.assign(revised_after_close=[int(year) in revised for year in history["year"]])
    requirement = what_it_takes(compliance, code, data.target_growth(basis))
    revisions, marked_cycles = _marked_revisions(data.revisions(code), changed)
    selection = {"participant": code}

    def export(what: str, frame: pd.DataFrame) -> Export:
        stem = f"{code}-{what}" if what == "revisions" else f"{code}-{what}-{basis}"
        made = Export(stem, country_export_title(code, what, basis), frame, basis, selection)
        return made if what == "revisions" else counted_export(made, counting)

    register = participants.set_index("code")
    others = [(c, n) for c, n in participant_names(participants).items() if c != "ALL"]
    span = years_text(int(history["year"].min()), int(history["year"].max())) if len(history) else None
    subtitle = chart_subtitle(basis, span)
    return CountryView(
        query=query,
        code=code,
        name=name,
        register=register.loc[code] if code in register.index else None,
        history=history,
        requirement=requirement,
        requirement_text=requirement_text(requirement, name),
        series_summary=participant_summary(history, name, basis),
        growth_summary=growth_summary(history, name),
        series_chart=chart(
            data, country_series_title(name), subtitle, f"country-{code}-series-{basis}", counting
        ),
        growth_chart=chart(
            data, country_growth_title(name), subtitle, f"country-{code}-growth-{basis}", counting
        ),
        revisions=revisions,
        revisions_summary=revision_summary(revisions, name),
        others=sorted(others, key=lambda option: option[1]),
        exports=Exports(
            {
                "country-series-csv": lambda: export("series", history[SERIES_COLUMNS]),
                "country-growth-csv": lambda: export("growth", history[GROWTH_COLUMNS]),
                "country-table-csv": lambda: export("years", history),
                "country-table-xlsx": lambda: export("years", history),
                "country-revisions-csv": lambda: export("revisions", revisions),
            }
        ),
        revised=revised,
        revised_note=revised_note(revised.values(), SEE_COMPLIANCE_PAGE),
        revisions_note=revised_note(marked_cycles, SEE_COMPLIANCE_PAGE),
        figures_note=including_submitted_text(counting),
    )
