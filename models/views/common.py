"""What every page view shares: the data it reads (a protocol `_data` provides), the years, the exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Protocol

import pandas as pd

from models.counting import ACCEPTED_ONLY, FIGURES_NOTE_COLUMN, Counting
from models.metrics.headlines import years_with_data
from models.metrics.service import Reporting
from models.queries import DatasetStatus
from models.reports.counting import counting_stem, including_submitted_selection
from models.reports.sheets import COMPLIANCE_CODES, ReportSheet
from models.reports.summaries.charts import chart_source_line


class PageData(Protocol):
    """The reads a page view needs, all from one data state (dashboard/_data.py provides them).

    `counting`: which figures count (accepted only unless a view's query says otherwise).
    `revised_after_close`: the values changed after their cycle was closed (models.metrics.service).
    """

    def compliance(
        self,
        basis: str,
        first_year: int | None = None,
        last_year: int | None = None,
        counting: Counting = ACCEPTED_ONLY,
    ) -> pd.DataFrame: ...

    def reporting(self, counting: Counting = ACCEPTED_ONLY) -> Reporting: ...

    def revised_after_close(self, participant: str | None = None) -> pd.DataFrame: ...

    def participants(self) -> pd.DataFrame: ...

    def target_growth(self, basis: str) -> Decimal: ...

    def revisions(self, code: str) -> pd.DataFrame: ...

    def published_totals(self) -> pd.DataFrame: ...

    def status(self) -> DatasetStatus: ...


@dataclass(frozen=True)
class Export:
    """One download button's file: the frame (the one the screen shows), its title, basis and selection.

    An XLSX puts `report` (the readable sheets) before the long Data sheet, and its About sheet
    defines the codes `codes` names for each coded column.
    """

    stem: str
    title: str
    frame: pd.DataFrame
    basis: str | None = None
    selection: Mapping[str, object] = field(default_factory=dict)
    report: tuple[ReportSheet, ...] = ()
    codes: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: COMPLIANCE_CODES)


class Exports(Mapping[str, Export]):
    """A view's downloads by button id, each file's frame built the first time it is asked for: a
    page's callback shows the view and never reads them; a download reads the one it sends."""

    def __init__(self, builders: Mapping[str, Callable[[], Export]]) -> None:
        self._builders = dict(builders)
        self._built: dict[str, Export] = {}

    def __getitem__(self, button: str) -> Export:
        if button not in self._built:
            self._built[button] = self._builders[button]()
        return self._built[button]

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)


@dataclass(frozen=True)
class Chart:
    """What a chart's image says about itself (models.reports.summaries wording): its title, its
    subtitle (basis, years), the source line with the data version and date, whether it shows
    demonstration data, and the stem of its PNG's name."""

    title: str
    subtitle: str
    source: str
    demo: bool
    stem: str
    note: str | None = None  # what the figures are when not only the accepted ones (the image says it)


def chart(data: PageData, title: str, subtitle: str, stem: str, counting: Counting = ACCEPTED_ONLY) -> Chart:
    """A chart's description, its source line and demonstration flag from the served data's state,
    and, when it counts figures awaiting review, that label (its PNG's name says so too)."""
    state = data.status()
    source = chart_source_line(state.version, state.updated_at)
    return Chart(title, subtitle, source, state.demo, stem + counting_stem(counting), counting.note)


def counted_export(export: Export, counting: Counting) -> Export:
    """The export labelled for the figures it counts: with figures awaiting review, a `figures_note`
    column on every row (as the metrics command's), the About sheet's line and the file name's word."""
    if not counting.include_submitted:
        return export
    return replace(
        export,
        stem=export.stem + counting_stem(counting),
        frame=export.frame.assign(**{FIGURES_NOTE_COLUMN: counting.note}),
        selection={**export.selection, **including_submitted_selection(counting)},
    )


def counted_later(build: Callable[[], Export], counting: Counting) -> Callable[[], Export]:
    """`build`'s export labelled by `counted_export` when it is built (an entry of `Exports`)."""
    return lambda: counted_export(build(), counting)


def revised_cells(revised: pd.DataFrame, basis: str) -> dict[tuple[str, int], str]:
    """(participant, year) → the cycle, of the basis' values changed after their cycle was closed."""
    rows = revised[revised["basis"] == basis]
    return {
        (str(p), int(y)): str(c)
        for p, y, c in zip(rows["participant"], rows["year"], rows["cycle"], strict=True)
    }


def data_years(data: PageData, counting: Counting = ACCEPTED_ONLY) -> list[int]:
    """Every year from the first to the last with data on either basis, gaps included.

    The one list of years the pages offer (the map's slider, the compliance page's selects and
    default range): a year inside the range that nobody reported for still has rows in the
    compliance table (everyone missing), so it must be choosable too. Empty when nothing is reported.
    """
    reported = set(years_with_data(data.compliance("cumulative", counting=counting))) | set(
        years_with_data(data.compliance("annual", counting=counting))
    )
    return list(range(min(reported), max(reported) + 1)) if reported else []


def cycle_years(data: PageData) -> dict[str, tuple[int, int]]:
    """Reporting cycle name → (first year, last year) it covers, in deadline order."""
    summary = data.reporting().summary
    return {str(r["cycle"]): (int(r["first_year"]), int(r["last_year"])) for _, r in summary.iterrows()}


def this_year() -> int:
    """The current calendar year (UTC)."""
    return dt.datetime.now(dt.UTC).year
