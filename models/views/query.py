"""The pages' typed queries: an address's query string and a page's control values, checked alike.

Pages receive their query as keyword arguments (Dash pages parse `?year=2020&basis=annual`); a
repeated key arrives as a list, a control's value as a string, a number or a list. Each page's query
is a pydantic model (in models/views/<page>.py) built from the reusable validators below: anything
unknown or malformed falls back to the default, so nothing here raises on user input. Choices that
depend on the data (years with data, cycles, participants) come in the validation context.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, Self
from urllib.parse import urlencode

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, ValidationInfo

from models.counting import ACCEPTED_ONLY, Counting, counting_for
from models.metrics.compliance import BASES, DEFAULT_BASIS

QueryValue = str | list[str] | None


def first(value: object) -> str | None:
    """The first value given for a key, stripped; None when absent or empty."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_choice(value: object, choices: Sequence[str], default: str) -> str:
    """The value when it is one of `choices` (case-insensitive), else `default`."""
    text = first(value)
    if text is None:
        return default
    lowered = {choice.lower(): choice for choice in choices}
    return lowered.get(text.lower(), default)


def parse_basis(value: object) -> str:
    """cumulative or annual; anything else gives the default basis."""
    return parse_choice(value, BASES, DEFAULT_BASIS)


def parse_year(value: object, years: Sequence[int], default: int | None) -> int | None:
    """A year that has data (one of `years`), else `default`."""
    text = first(value)
    if text is None or not text.isdigit() or len(text) > 4:
        return default
    year = int(text)
    return year if year in years else default


def parse_range(first_value: object, last_value: object, years: Sequence[int]) -> tuple[int, int] | None:
    """(from, to) within `years`; each bad end falls back to the first or last year. A reversed range
    (from > to) is read the other way round: both years were chosen, only their order is wrong.
    None when there are no years."""
    if not years:
        return None
    start = parse_year(first_value, years, years[0]) or years[0]
    end = parse_year(last_value, years, years[-1]) or years[-1]
    return min(start, end), max(start, end)


def parse_list(value: object, choices: Sequence[str]) -> list[str] | None:
    """A comma-separated subset of `choices`, in the order of `choices`; None when absent or nothing valid."""
    parts: list[str] = []
    for item in value if isinstance(value, list | tuple) else [value or ""]:
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


def context_list(info: ValidationInfo, key: str) -> list[Any]:
    """A list of choices the caller passed in the validation context (empty when none)."""
    context = info.context if isinstance(info.context, Mapping) else {}
    return list(context.get(key) or [])


Basis = Annotated[str, BeforeValidator(parse_basis)]
"""cumulative or annual, from any value (the default basis when it is neither)."""

#: The address's word for "including figures awaiting review" (?submitted=yes).
SUBMITTED_WORD = "yes"


def parse_counting(value: object, info: ValidationInfo) -> Counting:
    """The figures a query counts: what the account may count (the validation context's `scope`: a
    list of one models.counting.Counting the server read from the signed-in account's record) when
    the value asks for figures awaiting review, else the accepted figures only. Without a scope (an anonymous
    request, or one whose server passed none), always the accepted figures: no value a request sends
    widens what it may see. A Counting itself comes from code, not from a request, and is kept."""
    if isinstance(value, Counting):
        return value
    scope = next(iter(context_list(info, "scope")), None)
    return counting_for(value, scope if isinstance(scope, Counting) else ACCEPTED_ONLY)


Submitted = Annotated[
    Counting,
    BeforeValidator(parse_counting),
    PlainSerializer(lambda counting: SUBMITTED_WORD if counting.include_submitted else None),
]
"""Which figures count (the address's `submitted`): see `parse_counting`."""


class PageQuery(BaseModel):
    """A page's checked query: immutable, built from the address's keys or the controls' values alike.

    Fields are named for the page; an alias gives the address's key where it differs (`from`). Keys
    the page does not know are ignored, as an address with extra keys shows the page all the same.
    """

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True, validate_default=True)

    @classmethod
    def parse(cls, values: Mapping[str, object], **choices: Sequence[object]) -> Self:
        """The query for these address keys or control values; `choices` are the data's (years, ...)."""
        return cls.model_validate(dict(values), context=choices)

    def address(self) -> dict[str, object]:
        """The address's keys and values, in the order the address shows them (None: left out)."""
        return self.model_dump(by_alias=True)

    def query(self) -> str:
        """`?key=value&...` for this query (see `query_string`)."""
        return query_string(self.address())
