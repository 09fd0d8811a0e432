"""One cell's text to its value: a participant's code, a year, an exact count, a note, or what is wrong.

The reusable `Annotated` types below turn the text the liaison typed (`data_ingest.readers`) into
participant codes, years and exact integer counts, or say in plain words what is wrong; the row
models that use them are in `data_ingest.schemas`. Nothing here touches the database: the caller
passes what it needs (the registered participants, today's date) in a ValidationContext.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainValidator, TypeAdapter, ValidationInfo
from pydantic_core import PydanticCustomError

from data_ingest.columns import FIRST_YEAR
from data_ingest.countries import Reading, Register, alternatives, display_name, labelled, resolve, suggest
from models.demo import DEMO_LABEL
from models.text import CELL, NOTE, abbreviated, text_problem

#: The largest count accepted: more than the world's population (about 8.1 billion in 2025), so no
#: real count of victims comes near it, and far enough below 2**63 that every sum and ratio the
#: metrics make of all participants' counts over every year stays exact and within 64 bits.
MAX_COUNT = 10_000_000_000
#: Unknown country names get a "Did you mean" hint (a fuzzy search) for this many distinct names
#: per file; beyond, the plain hint, so a file of garbage cannot make validation slow.
SUGGESTIONS_PER_FILE = 100
#: How many digits MAX_COUNT has: plain digits fewer than this are a count below it.
MAX_DIGITS = len(str(MAX_COUNT))

#: Cell texts that mean "not reported" (compared without case); never zero.
NOT_REPORTED = frozenset({"", "n/a", "na", "-", "–", "—", ".."})

_YEAR_TEXT = re.compile(r"[0-9]+(?:\.0+)?")
# Digits, optionally grouped by thousands with one kind of separator, optionally with a decimal part.
_NUMBER = re.compile(
    r"(?P<int>[0-9]+|[0-9]{1,3}(?P<sep>[, \u00a0\u202f\u2009'’])[0-9]{3}(?:(?P=sep)[0-9]{3})*)"
    r"(?:\.(?P<frac>[0-9]+))?"
)
_POINT_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_NEGATIVE = re.compile(r"[-−]\s*[0-9]")
_SCIENTIFIC = re.compile(r"[0-9.,]*[0-9][eE][+-]?[0-9]+")


@dataclass(frozen=True)
class ValidationContext:
    """What validation needs from outside: the registered participants (code -> name), today's date,
    and optionally the one participant this file may speak for (a liaison's upload)."""

    participants: Mapping[str, str]
    today: dt.date
    allowed_participant: str | None = None
    participant_codes: frozenset[str] = field(init=False)
    register: Register = field(init=False, compare=False, repr=False)
    # Suggestions made for this file: validate_table gives every file a fresh one.
    suggestions: dict[str, tuple[str, ...]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "participant_codes", frozenset(self.participants))
        object.__setattr__(self, "register", Register(self.participants))
        object.__setattr__(self, "suggestions", {})

    def suggestion(self, text: str) -> tuple[str, ...]:
        """The closest registered (or known) countries to `text` (several: an ambiguous name), within
        this file's budget of searches."""
        if text in self.suggestions:
            return self.suggestions[text]
        if len(self.suggestions) >= SUGGESTIONS_PER_FILE:
            return ()
        found = suggest(text, self.participant_codes)
        self.suggestions[text] = found
        return found


def _fail(kind: str, message: str) -> PydanticCustomError:
    # The message goes in the context, so braces typed by a liaison are never taken as placeholders.
    return PydanticCustomError(kind, "{message}", {"message": message})


def _context(info: ValidationInfo) -> ValidationContext | None:
    context = info.context
    return context if isinstance(context, ValidationContext) else None


# What a cell may start or end with and still mean its text: spaces, tabs and line ends, and the
# other Unicode spaces. Not str.strip()'s default, which also drops the control characters
# \x1c-\x1f and \x85: "DEU\x1f" must be refused as unreadable, never read as DEU.
_BLANKS = (
    "".join(
        c
        for c in map(chr, range(0x3001))
        if c.isspace() and (c in "\t\n\r" or unicodedata.category(c) != "Cc")
    )
    + "\ufeff"
)


def _text(value: Any) -> str:
    return (value if isinstance(value, str) else str(value)).strip(_BLANKS)


def _cell_text(value: Any) -> str:
    """A one-line cell's text, refused if it holds what no text can (a NUL, a broken character, a
    control character): "DEU\x00" must never be read as DEU."""
    text = _text(value)
    problem = text_problem(text, CELL)
    if problem is not None:
        raise _fail("cell_unreadable", problem)
    return text


def usual_codes(context: ValidationContext) -> frozenset[str]:
    """The country cells `parse_country` reads as themselves: each registered code this file may hold,
    as registered (upper case, nothing to strip). `data_ingest.schemas` accepts them without it."""
    codes = context.participant_codes
    if context.allowed_participant is not None:
        codes = codes & {context.allowed_participant}
    return frozenset(code for code in codes if code and code == code.upper() == _text(code))


def parse_country(value: Any, info: ValidationInfo) -> str:
    """A code, a name (data_ingest.countries) or "Name (CODE)" -> the alpha-3 code of a registered
    participant (allowed for this file)."""
    text = _text(value)
    if not text:
        raise _fail("country_missing", "The country is missing.")
    context = _context(info)
    registered = context.participants if context else None
    # A registered participant's own code is always understood, even one ISO leaves to its users
    # (e.g. XKX for Kosovo), which pycountry does not list.
    if registered is not None and text.upper() in registered:
        code = text.upper()
    else:
        reading = resolve(_cell_text(text), context.register if context else None)
        if reading.code is None:
            raise _unread_country(text, reading, context)
        code = reading.code
    if context is None:
        return code
    if code not in context.participants:
        raise _fail(
            "country_not_participant",
            f"{display_name(code)} ({code}) is not a registered participant of the Alliance.",
        )
    allowed = context.allowed_participant
    if allowed is not None and code != allowed:
        raise _fail(
            "country_not_allowed",
            f"This file may only hold figures for {display_name(allowed, registered)} ({allowed}); "
            f"this row is for {display_name(code, registered)} ({code}).",
        )
    return code


def _unread_country(text: str, reading: Reading, context: ValidationContext | None) -> PydanticCustomError:
    """Why a country cell names no one country: a name and code that disagree, an ambiguous name,
    or a name we do not know (with the closest we know, if any is close)."""
    registered = context.participants if context else None
    quoted = abbreviated(text)
    if reading.conflict is not None:
        given = labelled(reading.conflict, registered)
        if reading.candidates:
            return _fail(
                "country_code_mismatch",
                f"'{quoted}' gives the name of {alternatives(reading.candidates, registered)} but the code "
                f"of {given}. Write the code or the name alone.",
            )
        return _fail(
            "country_code_mismatch",
            f"'{quoted}' gives the code of {given} with a name we do not know for it. "
            "Write the code or the name alone.",
        )
    if reading.candidates:
        return _fail(
            "country_ambiguous",
            f"'{quoted}' can mean {alternatives(reading.candidates, registered)}. "
            "Write the ISO code or the full name.",
        )
    guesses = context.suggestion(text) if context else suggest(text, frozenset())
    hint = (
        f" Did you mean {alternatives(guesses, registered)}?"
        if len(guesses) > 1
        else f" Did you mean {labelled(guesses[0], registered)}?"
        if guesses
        else " Write the ISO code (e.g. DEU) or the name in English, French, Spanish or Arabic "
        "(e.g. Germany or Allemagne)."
    )
    return _fail("country_unknown", f"'{quoted}' is not a country we recognise.{hint}")


def parse_year(value: Any, info: ValidationInfo) -> int:
    """A four-digit year from 2000 to the current year ('2014.0' from a spreadsheet is fine)."""
    text = _text(value)
    if len(text) == 4 and text.isdigit() and text.isascii():  # the usual case, first
        year = int(text)
    elif not text:
        raise _fail("year_missing", "The year is missing.")
    elif not _YEAR_TEXT.fullmatch(_cell_text(text)):
        raise _fail(
            "year_invalid", f"'{abbreviated(text)}' is not a year: write it as four digits, e.g. 2014."
        )
    else:
        year = int(Decimal(text))
    context = _context(info)
    today = context.today if context else dt.datetime.now(dt.UTC).date()
    if year < 1000:
        raise _fail("year_invalid", f"'{abbreviated(text)}' is not a year: write all four digits, e.g. 2014.")
    if year < FIRST_YEAR:
        raise _fail(
            "year_too_early", f"Year {year} is before {FIRST_YEAR}, the first year the Monitor records."
        )
    if year > today.year:
        raise _fail("year_future", f"Year {year} is in the future.")
    return year


def _digits_with_commas(digits: str) -> str:
    return f"{int(digits):,}"


def parse_count(value: Any) -> int | None:
    """A non-negative whole number, exactly; None for a cell that means "not reported" (never zero).

    Accepts thousands separators (1,234 / 1 234 / 1'234) and a zero decimal part (1234.0);
    refuses fractions, negatives, text and the ambiguous 1.234.
    """
    text = _text(value)
    if text.isdigit() and text.isascii():  # plain digits: the usual case, first
        if len(text) < MAX_DIGITS:  # fewer digits than the bound has: below it
            return int(text)
        digits = text.lstrip("0") or "0"
        if len(digits) > MAX_DIGITS or int(digits) > MAX_COUNT:
            raise _fail("count_too_large", _too_large(text))
        return int(digits)
    _cell_text(text)
    if text.casefold() in NOT_REPORTED:
        return None
    if _POINT_GROUPED.fullmatch(text):
        digits = text.replace(".", "")
        raise _fail(
            "count_ambiguous",
            f"'{abbreviated(text)}' is ambiguous (a point may separate thousands or decimals): "
            f"write {int(digits)} or {_digits_with_commas(digits)}.",
        )
    match = _NUMBER.fullmatch(text)
    if match is None:
        if _NEGATIVE.match(text):
            raise _fail("count_negative", f"'{abbreviated(text)}' is negative: a count cannot be below zero.")
        if _SCIENTIFIC.fullmatch(text):
            raise _fail(
                "count_scientific",
                f"'{abbreviated(text)}' is in scientific notation, which can lose digits: write the figure "
                "with all its "
                "digits, e.g. 123456.",
            )
        if any(char.isdigit() for char in text):
            raise _fail(
                "count_unreadable",
                f"'{abbreviated(text)}' is not a whole number we can read: write digits only, "
                "e.g. 1234 or 1,234.",
            )
        raise _fail(
            "count_not_number",
            f"'{abbreviated(text)}' is not a number. Leave the cell empty if not reported.",
        )
    fraction = match.group("frac")
    if fraction is not None and fraction.strip("0"):
        raise _fail(
            "count_fraction",
            f"'{abbreviated(text)}' is not a whole number: counts are whole numbers of victims.",
        )
    digits = re.sub(r"[^0-9]", "", match.group("int")).lstrip("0") or "0"
    if len(digits) > MAX_DIGITS or int(digits) > MAX_COUNT:
        raise _fail("count_too_large", _too_large(text))
    return int(digits)


def _too_large(text: str) -> str:
    return (
        f"'{abbreviated(text)}' is larger than any count of victims can be: counts are at most "
        f"{MAX_COUNT:,}, more "
        "than the world's population. Check the figure."
    )


def parse_notes(value: Any) -> str:
    """Free text kept with the upload's report; a row exported from demonstration data is refused."""
    text = _text(value)
    problem = text_problem(text, NOTE)
    if problem is not None:
        raise _fail("notes_unreadable", problem)
    if text.casefold() == DEMO_LABEL.casefold():
        raise _fail(
            "notes_demo",
            "This row comes from demonstration data (an export of the demonstration database): "
            "its figures are invented and cannot be loaded as real figures.",
        )
    return text


CountryCode = Annotated[str, PlainValidator(parse_country)]
Year = Annotated[int, PlainValidator(parse_year)]
Count = Annotated[int | None, PlainValidator(parse_count)]
Notes = Annotated[str, PlainValidator(parse_notes)]

COUNTRY_CELL: TypeAdapter[str] = TypeAdapter(CountryCode)
YEAR_CELL: TypeAdapter[int] = TypeAdapter(Year)
