"""What every page view shares: the data it reads (a protocol `_data` provides), the years, the exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import pandas as pd

from models.metrics.headlines import years_with_data
from models.metrics.service import Reporting


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


@dataclass(frozen=True)
class Export:
    """One download button's file: the frame (the one the screen shows), its title, basis and selection."""

    stem: str
    title: str
    frame: pd.DataFrame
    basis: str | None = None
    selection: Mapping[str, object] = field(default_factory=dict)


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
