"""The country page's query (/country/<ISO3>?basis=) and view: a participant's series, growth, history."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from models.metrics.headlines import Requirement, what_it_takes
from models.metrics.series import participant_history, participant_names, with_names
from models.reports.summaries import (
    chart_subtitle,
    country_export_title,
    country_growth_title,
    country_series_title,
    growth_summary,
    participant_summary,
    requirement_text,
    revision_summary,
    years_text,
)
from models.views.common import Chart, Export, Exports, PageData, chart
from models.views.query import Basis, PageQuery, first

CODE = re.compile(r"^[A-Za-z]{3}$")
# What each chart plots (its CSV has exactly these columns) and what the table shows.
SERIES_COLUMNS = ["participant", "name", "year", "basis", "value", "status", "baseline_year", "path_value"]
SERIES_COLUMNS += ["on_path"]
GROWTH_COLUMNS = ["participant", "name", "year", "basis", "growth", "status", "progress", "previous_year"]
GROWTH_COLUMNS += ["previous_value", "value", "gap_years"]


class CountryQuery(PageQuery):
    """?basis=cumulative|annual (the participant is in the path, checked by `known_name`)."""

    basis: Basis = "cumulative"


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


def known_name(data: PageData, iso3: object) -> str | None:
    """The participant's name when `iso3` is a registered participant's code (any case), else None."""
    code = first(iso3)
    if code is None or not CODE.match(code) or code.upper() == "ALL":
        return None
    return participant_names(data.participants()).get(code.upper())


def country_query(values: dict[str, object]) -> CountryQuery:
    """The checked query for these address keys or control values."""
    return CountryQuery.parse(values)


def country_view(data: PageData, code: str, query: CountryQuery) -> CountryView:
    """A participant's page (`code` checked by `known_name` for the layout); `exports` keyed by button id."""
    code, basis = code.upper(), query.basis
    name = known_name(data, code) or code
    participants = data.participants()
    compliance = data.compliance(basis)
    history = with_names(participant_history(compliance, code), participants)
    requirement = what_it_takes(compliance, code, data.target_growth(basis))
    revisions = data.revisions(code)
    selection = {"participant": code}

    def export(what: str, frame: pd.DataFrame) -> Export:
        stem = f"{code}-{what}" if what == "revisions" else f"{code}-{what}-{basis}"
        return Export(stem, country_export_title(code, what, basis), frame, basis, selection)

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
        series_chart=chart(data, country_series_title(name), subtitle, f"country-{code}-series-{basis}"),
        growth_chart=chart(data, country_growth_title(name), subtitle, f"country-{code}-growth-{basis}"),
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
    )
