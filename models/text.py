"""Rules for the text people type that is stored (file names, reasons, names...), the same on every backend.

SQLite stores a NUL or an unpaired surrogate and any length; PostgreSQL refuses a NUL, the UTF-8
encoder refuses a lone surrogate, and `String(200)` columns refuse longer text there only. So every
text a user can send is checked here, before the database sees it, with one message per problem:

- `check_text(value, RULE)` returns the text stripped of surrounding spaces, or raises TextError
  (a ValueError; pass `error=` to raise the caller's own kind, e.g. UserError);
- `Reason`, `FileName`, `DisplayName`, ... are the same rules as pydantic `Annotated` types;
- `shown(value)` is any text made safe to echo back (a report quoting a bad cell): NULs, lone
  surrogates and other control characters become U+FFFD.

And for every file the product generates (exports, templates, receipts, problem reports), whatever
went into it: `neutralise` makes a spreadsheet formula inert, `safe_file_name` builds a download's
name from safe characters only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

REPLACEMENT = "\ufffd"
# Never storable anywhere: NUL and unpaired surrogates (a pair is already one character in Python).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Control characters: refused in one-line text; several-line text keeps tab, line feed and return.
_CONTROL_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CONTROL_SEVERAL_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


#: A text cell starting with one of these is taken by spreadsheet programs as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9]+")
_FILE_NAME_PART_LENGTH = 80


class TextError(ValueError):
    """Text that breaks a rule; the message says which, in plain words."""


@dataclass(frozen=True)
class TextRule:
    """What a kind of text may hold: its name in messages, its longest length, one line or several."""

    label: str
    max_length: int
    several_lines: bool = False
    required: bool = False
    advice: str = "Type it again without it."


FILE_NAME = TextRule("The file name", 255, advice="Rename the file and send it again.")
REASON = TextRule("The reason", 2000, several_lines=True)
COMMENT = TextRule("The comment", 2000, several_lines=True)
DISPLAY_NAME = TextRule("The display name", 200)
EMAIL = TextRule("The email address", 320, required=True)
ACTOR = TextRule("The user name", 320, required=True)
#: A cell of a file: the country, year and count cells are one line; a note may have several.
CELL = TextRule("This cell", 1000)
NOTE = TextRule("The note", 2000, several_lines=True)


def has_unstorable(text: str) -> bool:
    """Whether the text holds a NUL or an unpaired surrogate, which no backend can store as text."""
    return _UNSTORABLE.search(text) is not None


def shown(text: str, several_lines: bool = True) -> str:
    """The text as it may be shown or stored: every control character and broken one as U+FFFD.

    Line breaks and tabs are kept unless the text is one line (a name): a cell may hold them."""
    return (_CONTROL_SEVERAL_LINES if several_lines else _CONTROL_ONE_LINE).sub(REPLACEMENT, text)


def abbreviated(text: str, limit: int = 80) -> str:
    """The text as a message quotes it: at most `limit` characters, "…" marking a cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def text_problem(value: str, rule: TextRule) -> str | None:
    """What is wrong with `value` (already stripped) under `rule`, or None."""
    if rule.required and not value:
        return f"{rule.label} is missing."
    if len(value) > rule.max_length:
        return (
            f"{rule.label} may be at most {rule.max_length:,} characters long; this one has {len(value):,}."
        )
    pattern = _CONTROL_SEVERAL_LINES if rule.several_lines else _CONTROL_ONE_LINE
    found = pattern.search(value)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        what = "a NUL character"
    elif "\ud800" <= char <= "\udfff":
        what = "a broken character (half of a surrogate pair)"
    elif char in "\r\n\u2028\u2029":
        what = "a line break"
    else:
        what = f"a control character (U+{ord(char):04X})"
    return f"{rule.label} holds {what}, which cannot be stored. {rule.advice}"


def check_text(value: Any, rule: TextRule, error: type[ValueError] = TextError) -> str:
    """`value` stripped of surrounding spaces, if it is text that keeps `rule`; else raises `error`."""
    if not isinstance(value, str):
        raise error(f"{rule.label} must be text.")
    text = value.strip()
    problem = text_problem(text, rule)
    if problem is not None:
        raise error(problem)
    return text


def _validator(rule: TextRule) -> AfterValidator:
    def validate(value: str) -> str:
        try:
            return check_text(value, rule)
        except TextError as exc:
            # The message goes in the context, so braces in it are never taken as placeholders.
            raise PydanticCustomError("text_rule", "{message}", {"message": str(exc)}) from exc

    return AfterValidator(validate)


FileName = Annotated[str, _validator(FILE_NAME)]
Reason = Annotated[str, _validator(REASON)]
Comment = Annotated[str, _validator(COMMENT)]
DisplayName = Annotated[str, _validator(DISPLAY_NAME)]
Email = Annotated[str, _validator(EMAIL)]


def neutralise(value: Any) -> Any:
    """A text value a spreadsheet could execute, made inert with a leading "'"; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_file_name(*parts: object, extension: str) -> str:
    """A download's file name from `parts`, whatever they hold: letters and digits joined by "-".

    e.g. ("vid-monitor-template", "FRA") -> "vid-monitor-template-FRA.csv"; path parts, dots,
    quotes and formulas are dropped ("../../etc/passwd" -> "etc-passwd"); each part is kept short.
    """
    words = []
    for part in parts:
        word = _UNSAFE_IN_FILE_NAMES.sub("-", str(part))[:_FILE_NAME_PART_LENGTH].strip("-")
        if word:
            words.append(word)
    stem = "-".join(words) or "download"
    suffix = _UNSAFE_IN_FILE_NAMES.sub("", extension)[:10] or "txt"
    return f"{stem}.{suffix}"
