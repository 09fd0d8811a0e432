"""URL query values → page state, and back: anything unknown or malformed falls back to the default.

Pages receive their query as keyword arguments (Dash pages parse `?year=2020&basis=annual`); a
repeated key arrives as a list. Nothing here raises on user input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlencode

from models.metrics.compliance import BASES, DEFAULT_BASIS

QueryValue = str | list[str] | None


def first(value: QueryValue) -> str | None:
    """The first value given for a key, stripped; None when absent or empty."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def parse_choice(value: QueryValue, choices: Sequence[str], default: str) -> str:
    """The value when it is one of `choices` (case-insensitive), else `default`."""
    text = first(value)
    if text is None:
        return default
    lowered = {choice.lower(): choice for choice in choices}
    return lowered.get(text.lower(), default)


def parse_basis(value: QueryValue) -> str:
    """cumulative or annual; anything else gives the default basis."""
    return parse_choice(value, BASES, DEFAULT_BASIS)


def parse_year(value: QueryValue, years: Sequence[int], default: int | None) -> int | None:
    """A year that has data (one of `years`), else `default`."""
    text = first(value)
    if text is None or not text.isdigit() or len(text) > 4:
        return default
    year = int(text)
    return year if year in years else default


def parse_range(
    first_value: QueryValue, last_value: QueryValue, years: Sequence[int]
) -> tuple[int, int] | None:
    """(from, to) within `years`; each bad end falls back to the first or last year. A reversed range
    (from > to) is read the other way round: both years were chosen, only their order is wrong.
    None when there are no years."""
    if not years:
        return None
    start = parse_year(first_value, years, years[0]) or years[0]
    end = parse_year(last_value, years, years[-1]) or years[-1]
    return min(start, end), max(start, end)


def parse_list(value: QueryValue, choices: Sequence[str]) -> list[str] | None:
    """A comma-separated subset of `choices`, in the order of `choices`; None when absent or nothing valid."""
    parts: list[str] = []
    for item in value if isinstance(value, list) else [value or ""]:
        parts.extend(part.strip().lower() for part in str(item).split(","))
    lowered = {choice.lower(): choice for choice in choices}
    chosen = {lowered[part] for part in parts if part in lowered}
    return [choice for choice in choices if choice in chosen] or None


def query_string(params: Mapping[str, object | Iterable[str] | None]) -> str:
    """`?key=value&...` in the given order; lists joined by commas; None values left out."""
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        pairs.append((key, str(value)))
    return "?" + urlencode(pairs, safe=",") if pairs else ""
