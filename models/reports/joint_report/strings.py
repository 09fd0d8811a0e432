"""Every word the joint report shows, and how it writes numbers and dates: one place, ready for translation.

The document composes nothing of its own: labels are the constants below, sentences the templates
(`str.format` fields named for what they hold) and the small functions that choose between them.
A French, Spanish or Arabic edition replaces this module's contents (numbers and dates through
Babel then); `DIRECTION` says which way its text runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction

from models.demo import DEMO_LABEL
from models.reports.numbers import growth_percent, percent_decimal

LANGUAGE = "en"
DIRECTION = "ltr"

# -- page furniture -----------------------------------------------------------------------------
DEMO_MARK = DEMO_LABEL  # "Demonstration data — not real figures", as every page of the product says
TITLE = "Joint report on victim identification"
SUBTITLE = "Global Alliance against child sexual abuse online"
RUNNING_HEAD = "Joint report — {cycle}"
FOOTER = "{cycle} · figures as at {as_at} · data version {version}"
PAGE_OF = "Page {n} of {total}"
CONTENTS = "Contents"
CREATOR = "VID Monitor"
SUBJECT = "Progress towards the goal of at least 10% more identified victims in ICSE each year, {cycle}"

# -- title page ---------------------------------------------------------------------------------
FACT_CYCLE = "Reporting cycle"
FACT_YEARS = "Years covered"
FACT_DEADLINE = "Deadline"
FACT_AS_AT = "Figures as at"
FACT_VERSION = "Data version"
FACT_STATE = "Cycle"
FACT_SNAPSHOT = "Snapshot SHA-256"
STATE_OPEN = "Not closed: figures may still change"
STATE_CLOSED = "Closed on {closed_at} by {closed_by}"
FACT_REVISED = "Since the close"
STATE_REVISED = "{changes} (see “{section}”)"
DEMO_NOTICE = (
    "Every figure in this report is invented to demonstrate the layout. Do not quote it. INTERPOL's "
    "published totals (in their own section) are real and carry their sources."
)

# -- section headings ---------------------------------------------------------------------------
SUMMARY = "Summary"
TREND = "The Alliance's trend"
MAP = "Status map"
GRID = "Compliance grid"
PARTICIPANTS = "Participants"
REPORTING = "Reporting completeness and timeliness"
REVISED = "Revised since the close"
METHOD = "Method"
PUBLISHED = "INTERPOL's published totals"

BASIS_NAMES = {"cumulative": "cumulative basis", "annual": "annual basis"}
BASIS_TITLES = {"cumulative": "Cumulative basis", "annual": "Annual basis"}
BASIS_MEANING = {
    "cumulative": "identified victims in ICSE up to the end of each year (the stock)",
    "annual": "victims identified during each year (the flow)",
}

# -- statuses: a symbol and a word, never colour alone ------------------------------------------
STATUS_WORDS = {
    "met": "✓ Met",
    "not_met": "✗ Not met",
    "no_baseline": "○ No baseline",
    "missing": "– Not reported",
    "not_participant": "Not a participant",
}
STATUS_SYMBOLS = {"met": "✓", "not_met": "✗", "no_baseline": "○", "missing": "–"}
THIN_SYMBOL = "({symbol})"  # an Alliance status from fewer than half the expected participants
PROGRESS_WORDS = {
    "on_track": "on track",
    "acceleration_needed": "acceleration needed",
    "limited_progress": "limited progress",
    "deterioration": "deterioration",
}
REPORTING_WORDS = {
    "on_time": "✓ On time",
    "late": "◷ Late",
    "incomplete": "◐ Incomplete",
    "missing": "– Missing",
    "not_expected": "Not expected (joined after the deadline)",
}
NO_VALUE = "—"

# -- summary ------------------------------------------------------------------------------------
SUMMARY_REPORTING = (
    "{expected} participants were expected to report for {cycle} (covering {years}, due {deadline}). "
    "{complete} reported every covered year: {on_time} on time and {late} late."
)
SUMMARY_INCOMPLETE = "{n} reported only some of the years."
SUMMARY_MISSING = "{n} reported none."
SUMMARY_NOT_COMPLETE = "Not complete: {names}."
SUMMARY_YEAR = (
    "In {year}, on the {basis}, {met} of {expected} participants met the goal of at least 10% growth"
)
SUMMARY_YEAR_OTHERS = {
    "not_met": "{n} did not",
    "no_baseline": "{n} had no earlier value to compare with",
    "missing": "{n} did not report",
}
SUMMARY_ALLIANCE = (
    "Like for like, the Alliance's total on the {basis} was {value} in {year} against {previous} in "
    "{previous_year} ({growth}): {status}. This figure covers {panel} of {expected} participants, those "
    "that reported both years."
)
SUMMARY_NOT_MET = "Did not meet the goal in {year} on the {basis}: {names}."
SUMMARY_ALLIANCE_THIN = (
    "Only {panel} of {expected} participants reported both {previous_year} and {year}, fewer than half: "
    "the Alliance's growth of {growth} on the {basis} ({status_word}) rests on too few participants to "
    "speak for the Alliance."
)
SUMMARY_ALLIANCE_NONE = (
    "In {year} the Alliance's growth on the {basis} cannot be judged: no participant reported both "
    "{previous_year} and {year}."
)
SUMMARY_NAMES_MORE = "{names} and {more} more"
ALLIANCE_VERDICT = {"met": "the goal was met", "not_met": "the goal was not met"}
ALLIANCE_VERDICT_WORD = {"met": "met", "not_met": "not met"}

# -- trend --------------------------------------------------------------------------------------
TREND_LINE = "Total reported"
TREND_PATH = "10% a year from {first}"
TREND_COVERAGE = "{k} of {n}"
TREND_CAPTION = (
    "{basis}: {meaning}, summed over the participants that reported each year (the number under "
    "each year: participants reported of those expected). The dashed line grows by 10% a year from "
    "{first}'s total. Symbols above the line: the Alliance's like-for-like status (in brackets: from "
    "fewer than half the expected participants)."
)
TREND_EMPTY = "No value has been reported on the {basis} yet."

# -- map ----------------------------------------------------------------------------------------
MAP_CAPTION = "Status in {year} on the {basis}. Grey: not a participant."
MAP_NOT_DRAWN = "Too small to see at this scale: {names} (see the compliance grid)."

# -- grid ---------------------------------------------------------------------------------------
GRID_CAPTION = (
    "Status on the {basis}, participant by participant and year by year: ✓ met, ✗ not met, ○ no "
    "earlier value to compare with, – not reported; blank: not yet a participant. The years {cycle} "
    "covers have a darker header. Alliance: the like-for-like status, in brackets when it covers fewer "
    "than half the expected participants."
)
GRID_CAPTION_CUT = " Earlier years ({first}–{last}) are in each participant's section and the exports."
GRID_PARTICIPANT = "Participant"
GRID_ALLIANCE = "Alliance"
GRID_COMPARED = "Participants compared"

# -- one participant ----------------------------------------------------------------------------
SECTION_HEADING = "{name} ({code})"
SECTION_LATEST = "{year} on the {basis}: {value} identified, {status}{progress}."
SECTION_PROGRESS = " ({progress})"
SECTION_NO_VALUE = "No value on the {basis} up to {year}."
SECTION_REPORTING = "Reporting for {cycle}: {status}{detail}."
SECTION_LATE = ", {days} after the deadline"
SECTION_MISSING_YEARS = ", no value for {years}"
SECTION_RECEIVED = ", received {date}"
SECTION_NEXT_CUMULATIVE = (
    "To meet the goal in {year}: at least {required} identified victims in ICSE by the end of {year} "
    "({increase} more than {from_value} in {from_year}{over})."
)
SECTION_NEXT_ANNUAL = (
    "On the annual basis: at least {required} victims identified during {year} "
    "({from_value} in {from_year}{over})."
)
SECTION_NEXT_FROM_ZERO = " (any count above 0 meets the goal)"
SECTION_OVER_YEARS = ", 10% a year over {gap} years"
SECTION_NOTHING_TO_GROW = "No value yet, so there is nothing to grow from."
SECTION_REVISED_MARK = "†"
SECTION_REVISED_NOTE = "† revised since the close (see “{section}”)."
ROW_YEAR = "Year"
ROW_VALUE = "Identified"
ROW_GROWTH = "Growth"
ROW_STATUS = "Status"
ROW_PATH = "10% path"
ROW_ANNUAL = "In the year"
ROW_ANNUAL_STATUS = "Status"
ROW_GROUP = {"cumulative": "Cumulative", "annual": "Annual"}
STATUS_SHORT = {"met": "✓ Met", "not_met": "✗ Not met", "no_baseline": "○ First", "missing": "– None"}

# -- reporting ----------------------------------------------------------------------------------
REPORTING_TEXT = (
    "Completeness (every covered year reported): {completeness}. Timeliness (every covered year "
    "reported by the deadline, {deadline}): {timeliness}. Only the first report of each year counts "
    "for timeliness: a later correction does not make an on-time report late."
)
REPORTING_COLUMNS = ("Participant", "Status", "Years reported", "Missing years", "Received", "Days late")
REPORTING_NONE = "No participant was expected to report for this cycle."

# -- revised since the close ----------------------------------------------------------------------
REVISED_OPEN = (
    "{cycle} is not closed: no snapshot of its figures has been frozen, so the figures in this report "
    "are those recorded as at {as_at} and may still change. Once the secretariat closes the cycle, every "
    "later change is listed here."
)
REVISED_NONE = (
    "{cycle} was closed on {closed_at} by {closed_by}. No figure or status has changed since: this "
    "report shows the figures as they were at the close (snapshot SHA-256 {sha256})."
)
REVISED_SOME = (
    "{cycle} was closed on {closed_at} by {closed_by} (snapshot SHA-256 {sha256}). {changes} since "
    "then; this report shows the current figures, marked † where they differ from the snapshot."
)
REVISED_COLUMNS = ("Participant", "Year", "Basis", "At the close → now", "Changed by", "When", "Why")
REVISED_NO_REASON = "—"

# -- method -------------------------------------------------------------------------------------
METHOD_GOAL = (
    "The Alliance's goal is to increase the number of identified victims in INTERPOL's ICSE database "
    "by at least 10% a year. The report reads it on two bases: the cumulative basis (identified victims "
    "in ICSE up to the end of the year: the literal wording) and the annual basis (victims identified "
    "during the year)."
)
METHOD_RULE = (
    "A participant meets the goal in a year when its count is at least its previous value × 1.1 for "
    "each year since that value. The comparison is made in whole numbers, never in floating point: "
    "value × 10^gap ≥ previous value × 11^gap. The required value is the smallest whole count that "
    "meets it. From a previous value of 0, any positive count meets the goal. A first value has no "
    "baseline; a year without a value is not reported."
)
METHOD_EXAMPLES = "Worked examples (docs/metrics.md), judged by the same code as every figure in this report:"
METHOD_EXAMPLE_COLUMNS = ("Years", "Previous → value", "Check", "Required", "Status")
METHOD_CHECK = "{value} × {ten} = {left} {sign} {previous} × {eleven} = {right}"
METHOD_CHECK_ZERO = "any increase from 0"
METHOD_PROGRESS = (
    "Graded progress compares the growth with the goal: on track at 95% of it or more (9.5% a year), "
    "acceleration needed from 60% (6%), limited progress from 0%, deterioration below. A participant "
    "that grew 9.7% has not met the goal but is on track."
)
METHOD_ALLIANCE = (
    "The Alliance's status compares like with like: its panel for a year is the participants with a "
    "value in that year and the year before, and their two totals are compared as above. Every "
    "Alliance figure says how many participants it covers; one from fewer than half of the expected "
    "participants is shown in brackets and never as a bare ✓."
)
METHOD_PATH = (
    "The 10% path starts at a participant's first value (for the Alliance: the first year's total) and "
    "grows by exactly 10% a year, rounded up to whole victims."
)
METHOD_REPORTING = (
    "Reporting, on the annual basis: a participant that joined before the deadline is expected; it is on "
    "time when every covered year has a value and the last of them was first reported by the deadline, "
    "late when after, incomplete when some years are missing, missing when all are. Full definitions: "
    "docs/metrics.md."
)

# -- published totals ---------------------------------------------------------------------------
PUBLISHED_TEXT = (
    "Real figures: INTERPOL's own published totals of identified victims in ICSE, across all countries "
    "connected to the database (not only the Alliance's participants), each with its source. They are "
    "not the figures reported by participants."
)
PUBLISHED_TEXT_DEMO = (
    " The participants' figures elsewhere in this report are demonstration data; these are not."
)
PUBLISHED_COLUMNS = ("Date", "Identified victims", "Source")
PUBLISHED_ABOUT = "about {value}"
PUBLISHED_UNDATED = "undated"
PUBLISHED_NONE = "No published figure is recorded."

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


# -- numbers, dates and lists ---------------------------------------------------------------------


def number(value: int | None) -> str:
    """A count with thousands separators: 12,345; "—" for none."""
    return NO_VALUE if value is None else f"{value:,}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """ "1 participant", "2 participants"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def changes_text(n: int) -> str:
    return plural(n, "figure or status changed", "figures or statuses changed")


def days_text(n: int) -> str:
    return plural(n, "day")


def share(numerator: int, denominator: int) -> str:
    """ "47 of 49 (95.9%)"; without a percentage of nothing."""
    if not denominator:
        return f"{numerator} of {denominator}"
    return f"{numerator} of {denominator} ({percent_decimal(Fraction(numerator, denominator))}%)"


def growth(
    value: int | None,
    previous: int | None,
    gap: int | None,
    shown: float | None,
    status: str | None,
    goal: Fraction = Fraction(1, 10),
) -> str:
    """Growth as a percentage to one decimal, never on the wrong side of the exact status.

    A one-year growth is computed exactly from the two counts; over a longer gap it is the
    annualised figure of the compliance table. The rounding rule is the product's one
    (models.reports.numbers.growth_percent), shared with the pages and summaries.
    """
    if value is None or not previous or gap is None:
        return NO_VALUE
    if gap == 1:
        return growth_percent(Fraction(value - previous, previous), status, goal)
    if shown is None:
        return NO_VALUE
    return growth_percent(shown, status, goal)


def date(value: dt.date | None) -> str:
    """1 July 2026; "—" for none."""
    return NO_VALUE if value is None else f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def partial_date(text: str) -> str:
    """An ISO date as far as a source gives it: "2013-01" → January 2013, "2018" → 2018."""
    if not text:
        return PUBLISHED_UNDATED
    parts = text.split("-")
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return date(dt.date.fromisoformat(text))


def moment(value: dt.datetime) -> str:
    """1 December 2026, 14:03 UTC."""
    utc = value.astimezone(dt.UTC)
    return f"{date(utc.date())}, {utc:%H:%M} UTC"


def years(first: int, last: int) -> str:
    """ "2024–2025", or "2012" for one year."""
    return str(first) if first == last else f"{first}–{last}"


def year_list(values: Sequence[int]) -> str:
    return ", ".join(str(v) for v in values)


def names(items: Sequence[str], limit: int = 12) -> str:
    """ "A", "A and B", "A, B and C"; beyond `limit`, "A, B, … and 7 more"."""
    items = list(items)
    if len(items) > limit:
        return SUMMARY_NAMES_MORE.format(names=", ".join(items[:limit]), more=len(items) - limit)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
