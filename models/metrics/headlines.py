"""Headline figures cut from the compliance table: the latest year, "n of N met", and what it takes next year.

Pure functions over the frames `models.metrics.compliance.compliance_table` returns (no database).
Pages, the summaries and a later PDF report all read their headline numbers from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from models.metrics.compliance import ALL, as_fraction
from models.metrics.exact import ceil_times


@dataclass(frozen=True)
class YearHeadline:
    """How the participants and the Alliance did in one year on one basis.

    `expected`: participants with a row that year (registered by then, or reporting anyway);
    `reporting`: those with a value; `met` + `not_met` + `no_baseline` + `missing` = `expected`.
    The `alliance_*` fields come from the Alliance (balanced panel) row; `alliance_panel` is how
    many participants reported both this year and the year before.
    """

    basis: str
    year: int
    expected: int
    reporting: int
    met: int
    not_met: int
    no_baseline: int
    missing: int
    alliance_status: str | None
    alliance_growth: float | None
    alliance_panel: int | None
    alliance_value: int | None
    alliance_previous_value: int | None
    alliance_required_value: int | None

    @property
    def alliance_thin(self) -> bool:
        """Whether the Alliance's comparison covers fewer than half of the expected participants: then
        every page says so prominently and shows no bare ✓."""
        return self.alliance_panel is not None and 2 * self.alliance_panel < self.expected


@dataclass(frozen=True)
class Requirement:
    """What a participant needs in `target_year` to meet the goal: at least `required_value`.

    `from_year`/`from_value` is its latest value; `gap_years` = target_year − from_year;
    `increase` = required_value − from_value (for the cumulative basis: victims to identify).
    """

    participant: str
    basis: str
    target_year: int
    from_year: int
    from_value: int
    gap_years: int
    required_value: int
    increase: int


def _participant_rows(compliance: pd.DataFrame) -> pd.DataFrame:
    return compliance[compliance["participant"] != ALL]


def years_with_data(compliance: pd.DataFrame) -> list[int]:
    """The years in which at least one participant has a value, ascending."""
    # On the columns' arrays, not a filtered copy of the frame (pages ask for the years several times).
    reported = (compliance["participant"].to_numpy() != ALL) & compliance["value"].notna().to_numpy()
    return [int(y) for y in np.unique(compliance["year"].to_numpy()[reported])]


def latest_year(compliance: pd.DataFrame) -> int | None:
    """The latest year in which any participant has a value, or None when nobody has reported."""
    years = years_with_data(compliance)
    return years[-1] if years else None


def _int_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def year_headline(compliance: pd.DataFrame, year: int) -> YearHeadline:
    """The headline counts for `year` (see YearHeadline); zeros when the year has no rows."""
    rows = _participant_rows(compliance)
    rows = rows[rows["year"] == year]
    counts = rows["status"].value_counts()
    alliance = compliance[(compliance["participant"] == ALL) & (compliance["year"] == year)]
    panel = alliance.iloc[0] if len(alliance) else None
    judged = panel is not None and panel["status"] in ("met", "not_met")
    return YearHeadline(
        basis=str(compliance["basis"].iloc[0]) if len(compliance) else "",
        year=year,
        expected=len(rows),
        reporting=int(rows["value"].notna().sum()),
        met=int(counts.get("met", 0)),
        not_met=int(counts.get("not_met", 0)),
        no_baseline=int(counts.get("no_baseline", 0)),
        missing=int(counts.get("missing", 0)),
        alliance_status=None if panel is None else str(panel["status"]),
        alliance_growth=None if panel is None or pd.isna(panel["growth"]) else float(panel["growth"]),
        alliance_panel=_int_or_none(panel["participants"]) if judged and panel is not None else None,
        alliance_value=None if panel is None else _int_or_none(panel["value"]),
        alliance_previous_value=None if panel is None else _int_or_none(panel["previous_value"]),
        alliance_required_value=None if panel is None else _int_or_none(panel["required_value"]),
    )


def what_it_takes(
    compliance: pd.DataFrame,
    participant: str,
    min_growth: Decimal | Fraction | str,
    target_year: int | None = None,
) -> Requirement | None:
    """The smallest count that meets the goal in `target_year` (default: the year after the latest data).

    Computed like `required_value` in the compliance table: ⌈latest value × (1 + g)^gap⌉, exactly,
    from the participant's latest value before the target year. None when it has no such value.
    """
    # On the columns' arrays, not filtered copies of the frame (a participant's page asks for this).
    years = compliance["year"].to_numpy()
    mine = (compliance["participant"].to_numpy() == participant) & compliance["value"].notna().to_numpy()
    if target_year is None:
        latest = latest_year(compliance)
        if latest is None:
            return None
        target_year = latest + 1
    rows = np.flatnonzero(mine & (years < target_year))
    if not len(rows):
        return None
    last = compliance.iloc[int(rows[np.argmax(years[rows])])]
    from_year, from_value = int(last["year"]), int(last["value"])
    gap = target_year - from_year
    growth = as_fraction(min_growth)
    if from_value == 0:
        required = 1  # from zero, any positive count meets the goal (docs/metrics.md)
    else:
        required = int(ceil_times(np.array([from_value]), 1 + growth, np.array([gap], dtype=np.int64))[0])
    return Requirement(
        participant=participant,
        basis=str(last["basis"]),
        target_year=target_year,
        from_year=from_year,
        from_value=from_value,
        gap_years=gap,
        required_value=required,
        increase=required - from_value,
    )
