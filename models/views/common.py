"""What every page view shares: the data it reads (a protocol `_data` provides), the years, the exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import pandas as pd

from models.metrics.headlines import years_with_data
from models.metrics.service import Reporting
from models.queries import DatasetStatus
from models.reports.sheets import COMPLIANCE_CODES, ReportSheet
from models.reports.summaries import chart_source_line


class PageData(Protocol):
    """The reads a page view needs, all from one data state (dashboard/_data.py provides them)."""

    def compliance(
        self, basis: str, first_year: int | None = None, last_year: int | None = None
    ) -> pd.DataFrame: ...

    def reporting(self) -> Reporting: ...

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


def chart(data: PageData, title: str, subtitle: str, stem: str) -> Chart:
    """A chart's description, its source line and demonstration flag from the served data's state."""
    state = data.status()
    return Chart(title, subtitle, chart_source_line(state.version, state.updated_at), state.demo, stem)


def data_years(data: PageData) -> list[int]:
    """Every year from the first to the last with data on either basis, gaps included.

    The one list of years the pages offer (the map's slider, the compliance page's selects and
    default range): a year inside the range that nobody reported for still has rows in the
    compliance table (everyone missing), so it must be choosable too. Empty when nothing is reported.
    """
    reported = set(years_with_data(data.compliance("cumulative"))) | set(
        years_with_data(data.compliance("annual"))
    )
    return list(range(min(reported), max(reported) + 1)) if reported else []


def cycle_years(data: PageData) -> dict[str, tuple[int, int]]:
    """Reporting cycle name → (first year, last year) it covers, in deadline order."""
    summary = data.reporting().summary
    return {str(r["cycle"]): (int(r["first_year"]), int(r["last_year"])) for _, r in summary.iterrows()}


def this_year() -> int:
    """The current calendar year (UTC)."""
    return dt.datetime.now(dt.UTC).year
