"""Labels and number formats: the words every page, export and summary shares."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import pandas as pd

from models.reference import ALLIANCE_MIN_GROWTH
from models.reports.numbers import exact_fraction, growth_percent, percent_decimal

GOAL = ALLIANCE_MIN_GROWTH
GOAL_TEXT = f"{GOAL * 100:.0f}%"

STATUS_LABELS = {
    "met": "✓ met",
    "not_met": "✗ not met",
    "no_baseline": "○ no baseline",
    "missing": "– missing",
}
PROGRESS_LABELS = {
    "on_track": "↑ on track",
    "acceleration_needed": "↗ acceleration needed",
    "limited_progress": "→ limited progress",
    "deterioration": "↓ deterioration",
}
REPORTING_LABELS = {
    "on_time": "✓ on time",
    "late": "◷ late",
    "incomplete": "◐ incomplete",
    "missing": "– missing",
}
# Where status and progress are shown together (docs/metrics.md, "Graded progress"): they answer two
# questions, so a "✗ not met" beside a "↑ on track" is no contradiction.
STATUS_PROGRESS_NOTE = (
    f"Status says whether the count grew by at least {GOAL_TEXT} over the previous year reported: "
    "yes (✓ met) or no (✗ not met). Progress says how close that growth came to the "
    f"{GOAL_TEXT} pace: ↑ on track is within 5% of it (at least 9.5% a year), ↗ acceleration needed "
    "6% to 9.5%, → limited progress 0% to 6%, ↓ deterioration a fall. "
    "So a growth of 9.9% is ✗ not met and ↑ on track."
)
LOADING_TEXT = "Loading…"
BASIS_LABELS = {"cumulative": "Cumulative", "annual": "Annual"}
BASIS_DESCRIPTIONS = {
    "cumulative": "identified victims in ICSE up to the end of the year (the stock)",
    "annual": "victims identified during the year (the flow)",
}
BASIS_SHORT = {"cumulative": "victims in ICSE to date", "annual": "identified during the year"}
MEASURE_LABELS = {"growth": "Growth", "status": "Status", "value": "Count"}
NO_VALUE = "—"
THIN_MARK = "⚠"  # an Alliance figure based on fewer than half of the expected participants


# -- numbers and words ---------------------------------------------------------------------------


def count_text(value: Any) -> str:
    """A count with thousands separators; "—" for no value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return NO_VALUE
    return f"{int(value):,}"


def percent_text(fraction: float | None, digits: int = 1) -> str:
    """0.1234 → "12.3%" (half up); "—" for no value."""
    if fraction is None or pd.isna(fraction) or math.isinf(fraction):
        return NO_VALUE
    return f"{percent_decimal(exact_fraction(float(fraction)), digits)}%".replace("-", "−")


def growth_text(growth: float | None, status: str | None = None, digits: int = 1) -> str:
    """Growth as a percentage, rounded so it never contradicts the exact status (see
    models.reports.numbers.growth_percent: "9.9%" rather than "10.0%" beside "✗ not met")."""
    if growth is None or pd.isna(growth):
        return NO_VALUE
    return growth_percent(float(growth), status, GOAL, digits)


def share_text(numerator: int, denominator: int) -> str:
    """ "47 of 49 (95.9%)"; without a percentage when the denominator is 0."""
    if not denominator:
        return f"{numerator} of {denominator}"
    return f"{numerator} of {denominator}, {percent_decimal(Fraction(numerator, denominator))}%"


def date_text(value: dt.date | str | None) -> str:
    """1 July 2026; "undated" for no date; partial ISO dates ("2013-01", "2018") as far as given."""
    if value is None or value == "" or (not isinstance(value, str | dt.date) and pd.isna(value)):
        return "undated"
    if isinstance(value, str):
        parts = value.split("-")
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
        value = dt.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def timestamp_text(value: dt.datetime | str | None) -> str:
    """A moment for people, to the minute in UTC: "2026-11-28 15:33 UTC"; "—" for none.

    Accepts aware datetimes (any zone), naive ones (taken as UTC, as the database stores them) and
    ISO 8601 text. Exports keep the full precision; this is only what a page shows.
    """
    if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):  # NaT too
        return NO_VALUE
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_time_text(value: dt.datetime | str | None) -> str:
    """A moment as people read it, to the minute in UTC: "2 Dec 2026, 14:05 UTC"; "—" for none.

    Takes what `timestamp_text` takes; month names are English whatever the server's locale."""
    shown = timestamp_text(value)
    if shown == NO_VALUE:
        return shown
    day, time = shown.split(" ")[:2]
    year, month, number = (int(part) for part in day.split("-"))
    return f"{number} {_MONTHS[month - 1]} {year}, {time} UTC"


def names_text(names: Sequence[str], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C" (or "A or B" with `conjunction`)."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 year", "2 years"; `many` for irregular plurals."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


_SMALL_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def words_count(n: int, one: str, many: str | None = None) -> str:
    """A count in words, as a sentence says it: "no values", "one value", "three values", "1,234 values"."""
    number = _SMALL_NUMBERS[n] if 0 <= n < len(_SMALL_NUMBERS) else f"{n:,}"
    return f"{number} {one if n == 1 else (many or one + 's')}"


def of_text(n: int, total: int, one: str, many: str | None = None) -> str:
    """ "3 of 5 years", "1 of 1 year": the noun agrees with the total."""
    return f"{n} of {plural(total, one, many)}"


def basis_phrase(basis: str) -> str:
    return f"the {basis} basis ({BASIS_DESCRIPTIONS.get(basis, basis)})"


def years_text(start: int, end: int, dash: str = "–") -> str:
    """ "2020", or "2016–2018" (a file name takes dash="-")."""
    return f"{start}" if start == end else f"{start}{dash}{end}"


def page_title(name: str) -> str:
    """A page's title in the browser, e.g. "France · VID Monitor"."""
    return f"{name} · VID Monitor"


def no_values_text(basis: str | None = None) -> str:
    """What a page says before anything is reported (on a basis, when given)."""
    return f"No values on the {basis} basis yet." if basis else "No values have been reported yet."
