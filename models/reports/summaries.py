"""Plain-word summaries and labels, generated from the same frames the charts plot.

Pure functions of DataFrames and small value objects (no database, no Dash), so the pages, a later
PDF report and later translations share them. All wording lives in this module: labels in the
dicts below, sentences in the functions; numbers are formatted by the helpers at the top.
Growth is shown rounded, but never on the wrong side of the goal (models.reports.numbers).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

import pandas as pd

from models.metrics.compliance import ALL
from models.metrics.headlines import Requirement, YearHeadline
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


# -- charts as images ---------------------------------------------------------------------------

SOURCE = "Source: Global Alliance participants' reports to VID Monitor"


def chart_source_line(data_version: int, updated_at: dt.datetime | None) -> str:
    """The line every chart image carries: "Source: …; data version 12 of 28 November 2026"."""
    day = date_text(updated_at.date()) if updated_at is not None else "undated"
    return f"{SOURCE}; data version {data_version} of {day}"


def chart_subtitle(basis: str | None, years: str | None = None, extra: str | None = None) -> str:
    """ "Cumulative basis: victims in ICSE to date, 2012–2025"."""
    parts = []
    if basis:
        parts.append(f"{BASIS_LABELS.get(basis, basis)} basis: {BASIS_SHORT.get(basis, basis)}")
    if years:
        parts.append(years)
    if extra:
        parts.append(extra)
    return ", ".join(parts)


# -- overview -----------------------------------------------------------------------------------


OVERVIEW_INTRO = (
    "The Alliance's operational goal: increase the number of identified victims in INTERPOL's "
    f"ICSE database by at least {GOAL_TEXT} yearly. Here: how the participants are doing."
)


class CardText(NamedTuple):
    """A headline card's words: its title, its figure and the line under it."""

    title: str
    value: str
    detail: str
    warning: bool = False  # the figure rests on too little data to stand on (its detail says why)


def alliance_trend_chart_title() -> str:
    """The title inside the Alliance trend chart's image (its subtitle says the basis and years)."""
    return "The Alliance over time"


def headline_cards(headline: YearHeadline, year: int, basis: str) -> list[CardText]:
    """The overview's three headline cards for the latest year: who reported, Alliance growth, who met."""
    h = headline
    article = "an" if basis[0] in "aeiou" else "a"
    return [
        CardText(
            f"Participants reporting for {year}",
            f"{h.reporting} of {h.expected}",
            f"with {article} {basis} count for {year}",
        ),
        CardText(f"Alliance growth {year - 1}–{year}", *alliance_growth_label(h), warning=h.alliance_thin),
        CardText(
            f"Met the {GOAL_TEXT} goal in {year}",
            f"{h.met} of {h.expected}",
            f"✗ {h.not_met} not met · ○ {h.no_baseline} no baseline · – {h.missing} missing",
        ),
    ]


def cycle_card_text(row: pd.Series | None) -> CardText:
    """The overview's card for the current reporting cycle (its summary row; None before any closed)."""
    if row is None:
        return CardText("Current reporting cycle", NO_VALUE, "No cycle has closed yet.")
    return CardText(
        f"Reported completely: {row['cycle']}",
        f"{row['completeness_numerator']} of {row['expected']}",
        f"on time {share_text(int(row['timeliness_numerator']), int(row['expected']))}; "
        f"due {date_text(row['deadline'])}",
    )


def who_met_text(year: int) -> str:
    """The overview's link to the compliance page showing who met the goal in `year`."""
    return f"See which participants met the goal in {year} →"


def alliance_trend_title(basis: str) -> str:
    """The title of the Alliance trend's download."""
    return f"Alliance trend, {basis} basis"


def published_date_text(row: pd.Series) -> str:
    """The date part of a published total's line, between its figure and its source."""
    return f" · {date_text(row['date'])} · "


def published_total_text(row: pd.Series) -> str:
    """One of INTERPOL's published totals, e.g. "about 42,300 identified victims"."""
    return f"{'about ' if row['approximate'] else ''}{count_text(row['value'])} identified victims"


def headline_sentence(headline: YearHeadline) -> str:
    """e.g. "In 2024, 31 of 49 participants met the 10% goal on the cumulative basis (14 did not;
    4 did not report). Alliance growth was 12.3% over 45 participants reporting both years: goal met.\""""
    h = headline
    others = []
    if h.not_met:
        others.append(f"{h.not_met} did not")
    if h.no_baseline:
        others.append(f"{h.no_baseline} had no earlier value to compare with")
    if h.missing:
        others.append(f"{h.missing} did not report")
    met = of_text(h.met, h.expected, "participant")
    text = f"In {h.year}, {met} met the {GOAL_TEXT} goal on the {h.basis} basis"
    text += f" ({'; '.join(others)})." if others else "."
    if h.alliance_growth is not None and h.alliance_panel:
        growth = growth_text(h.alliance_growth, h.alliance_status)
        covered = of_text(h.alliance_panel, h.expected, "participant")
        if h.alliance_thin:
            text += (
                f" {THIN_MARK} Only {covered} reported both {h.year - 1} and {h.year}, fewer than half: the "
                f"Alliance's growth of {growth} rests on too few participants to speak for the Alliance."
            )
        else:
            verdict = "goal met" if h.alliance_status == "met" else "goal not met"
            text += (
                f" Alliance growth was {growth} over {covered} reporting both {h.year - 1} and {h.year}: "
                f"{verdict}."
            )
    return text


def alliance_growth_label(headline: YearHeadline) -> tuple[str, str]:
    """The Alliance growth figure for a headline card: (value, note). With a ✓ or ✗ and "n of N
    participants reporting both years"; on fewer than half of them, ⚠ instead of the ✓ or ✗ and a
    note that says so."""
    h = headline
    growth = growth_text(h.alliance_growth, h.alliance_status)
    covered = of_text(h.alliance_panel or 0, h.expected, "participant")
    if h.alliance_thin:
        return (
            f"{THIN_MARK} {growth}",
            f"only {covered} reporting both years: fewer than half, too few to judge",
        )
    symbol = STATUS_LABELS.get(h.alliance_status or "", "").split(" ")[0]
    return f"{symbol} {growth}".strip(), f"goal {GOAL_TEXT}; {covered} reporting both years"


def coverage_text(covered: int, expected: int) -> str:
    """ "2 of 49 participants"; with ⚠ and "fewer than half" when fewer than half are covered."""
    text = of_text(covered, expected, "participant")
    return f"{THIN_MARK} {text}, fewer than half" if expected and 2 * covered < expected else text


def trend_summary(trend: pd.DataFrame, basis: str) -> str:
    """The Alliance trend chart in words: totals over the period, growth against the goal, the latest year."""
    reported = trend[trend["total"].notna()]
    if reported.empty:
        return f"No values have been reported on the {basis} basis yet."
    first, last = reported.iloc[0], reported.iloc[-1]
    text = _totals_sentence(first, last, basis)
    covered = of_text(int(last["reporting"]), int(last["expected_participants"]), "participant")
    text += f" A total covers only the participants that reported: {covered} in {last['year']}."
    judged = trend[trend["status"].isin(["met", "not_met"])]
    if len(judged):
        met = int((judged["status"] == "met").sum())
        latest = judged.iloc[-1]
        years = of_text(met, len(judged), "year")
        text += (
            f" Like-for-like Alliance growth reached the {GOAL_TEXT} goal in {years};"
            f" in {latest['year']} it was {growth_text(latest['growth'], latest['status'])}"
            f" over {coverage_text(int(latest['panel']), int(latest['expected_participants']))} "
            "reporting both years."
        )
    return text


def _totals_sentence(first: pd.Series, last: pd.Series, basis: str) -> str:
    return (
        f"On the {basis} basis, the reported total rose from {count_text(first['total'])} in {first['year']} "
        f"to {count_text(last['total'])} in {last['year']}."
        if last["total"] >= first["total"]
        else f"On the {basis} basis, the reported total went from {count_text(first['total'])} in "
        f"{first['year']} to {count_text(last['total'])} in {last['year']}."
    )


def published_figures_summary(figures: pd.DataFrame) -> str:
    """INTERPOL's published cumulative totals in one sentence (real figures, not the demonstration data)."""
    if figures.empty:
        return "No published figures are recorded."
    latest = figures.iloc[-1]
    about = "about " if bool(latest["approximate"]) else ""
    first = figures.iloc[0]
    return (
        "INTERPOL's published totals of identified victims in ICSE rose from "
        f"{count_text(first['value'])} ({date_text(first['date'])}) to {about}{count_text(latest['value'])} "
        f"({date_text(latest['date'])}); {plural(len(figures), 'published figure')} in all."
    )


# -- one year across participants (map, ranking) ------------------------------------------------


MEASURE_CHOICES = {"status": f"Status (met the {GOAL_TEXT} goal?)", "growth": "Growth", "value": "Count"}


def map_heading(year: int, basis: str, measure: str) -> str:
    """The map's heading, e.g. "Map: growth in 2020, annual basis"."""
    return f"Map: {MEASURE_LABELS[measure].lower()} in {year}, {basis} basis"


def map_ranking_heading(year: int, basis: str, measure: str) -> str:
    """The ranking's heading, e.g. "Ranking by growth in 2020, annual basis"."""
    return f"Ranking by {MEASURE_LABELS[measure].lower()} in {year}, {basis} basis"


def map_chart_title(year: int, measure: str) -> str:
    """The title inside the map's image, e.g. "Map: growth in 2020" (its subtitle says the basis)."""
    return f"Map: {MEASURE_LABELS[measure].lower()} in {year}"


def ranking_chart_title(year: int, measure: str) -> str:
    """The title inside the ranking's image, e.g. "Ranking by growth in 2020"."""
    return f"Ranking by {MEASURE_LABELS[measure].lower()} in {year}"


def map_title(year: int, basis: str, measure: str) -> str:
    """The title of the map page's downloads."""
    return f"Participants in {year}, {basis} basis, ranked by {measure}"


# -- compliance grid ----------------------------------------------------------------------------


COMPLIANCE_INTRO = (
    f"Who met the {GOAL_TEXT} goal, year by year. Choose the basis, the years (or a reporting cycle), "
    "the statuses and, if you like, some participants; the table below has the numbers behind each cell."
)


def compliance_grid_title() -> str:
    """The title inside the compliance grid's image (its subtitle says the basis and years)."""
    return f"Status against the {GOAL_TEXT} goal per participant and year"


def compliance_grid_heading(basis: str, start: int, end: int) -> str:
    """The grid's heading, e.g. "Status per participant and year, annual basis, 2016–2018"."""
    return f"Status per participant and year, {basis} basis, {years_text(start, end)}"


def compliance_title(basis: str) -> str:
    """The title of the compliance page's downloads."""
    return f"Compliance with the {GOAL_TEXT} goal, {basis} basis"


def participants_chosen_text(codes: Sequence[str] | None) -> str:
    """The participant filter's label: all (none chosen), or how many are chosen."""
    if not codes:
        return "Participants: all (open to choose some)"
    return f"Participants: {len(codes)} chosen"


def cycle_option_text(name: str | None, first_year: int = 0, last_year: int = 0) -> str:
    """A cycle in the compliance page's select, e.g. "Report 2020 (2018–2019)"; None: any years."""
    return "Any years" if name is None else f"{name} ({first_year}–{last_year})"


def year_summary(rows: pd.DataFrame, year: int, basis: str, measure: str) -> str:
    """The map and ranking for one year in words: how many met, the top and bottom three by `measure`."""
    if rows.empty:
        return f"No participant has a row for {year} on the {basis} basis."
    counts = rows["status"].value_counts()
    met, judged = int(counts.get("met", 0)), int(counts.get("met", 0) + counts.get("not_met", 0))
    first_years = int(counts.get("no_baseline", 0))
    opening = f"In {year}, on the {basis} basis,"
    if judged:
        text = f"{opening} {of_text(met, len(rows), 'participant')} met the {GOAL_TEXT} goal."
    elif first_years:
        # "0 of 49 met" would read as 49 failures: in a first year nobody can be judged at all.
        text = (
            f"{opening} there is nothing to compare with yet: {year} is the first year with a value for "
            f"{of_text(first_years, len(rows), 'participant')} (○ no baseline), so none can be judged "
            f"against the {GOAL_TEXT} goal."
        )
    else:
        text = f"{opening} no participant reported a value."
    column = "value" if measure == "value" else "growth"
    ranked = rows[rows[column].notna()]
    if measure == "value":
        ranked = ranked.sort_values("value", ascending=False, kind="stable")

        def shown(row: pd.Series) -> str:
            return f"{row['name']} {count_text(row['value'])}"
    else:
        ranked = ranked.sort_values("growth", ascending=False, kind="stable")

        def shown(row: pd.Series) -> str:
            return f"{row['name']} {growth_text(row['growth'], row['status'])}"

    label = "largest counts" if measure == "value" else "highest growth"
    if len(ranked):
        text += f" The {label}: {names_text([shown(r) for _, r in ranked.head(3).iterrows()])}."
    if len(ranked) > 3:
        lowest = "smallest" if measure == "value" else "lowest"
        bottom = ranked.iloc[3:].tail(3).iloc[::-1]  # never a participant already named at the top
        text += f" The {lowest}: {names_text([shown(r) for _, r in bottom.iterrows()])}."
    missing = rows[rows["status"] == "missing"]
    if len(missing):
        text += f" No value for {year} from {names_text(list(missing['name']))}."
    return text


# -- the compliance grid ------------------------------------------------------------------------


def grid_summary(
    grid: pd.DataFrame, basis: str, first_year: int, last_year: int, statuses: Iterable[str] | None = None
) -> str:
    """The compliance grid in words. For one year, it names who met the goal (or who has each chosen
    status); for a range, it gives the count per year and who met the goal in every year."""
    rows = grid[grid["participant"] != ALL]
    chosen = list(statuses) if statuses is not None else ["met"]
    if not chosen:
        return "No status is chosen, so nothing is shown: tick at least one status."
    if first_year == last_year:
        year_rows = rows[rows["year"] == first_year]
        if year_rows.empty:
            return f"No participant matches the chosen statuses in {first_year} on the {basis} basis."
        parts = []
        for status in chosen:
            names = list(year_rows.loc[year_rows["status"] == status, "name"])
            if names:
                parts.append(f"{STATUS_LABELS[status]}: {len(names)} ({names_text(names)})")
        return f"In {first_year}, on the {basis} basis — " + "; ".join(parts) + "."
    years = range(first_year, last_year + 1)
    if "met" in chosen:
        per_year = rows[rows["status"] == "met"].groupby("year").size()
        counted = f"participants meeting the {GOAL_TEXT} goal per year"
    else:  # the rows hold only the chosen statuses: count those, not a "met" that is not shown
        per_year = rows.groupby("year").size()
        counted = f"participants per year with {names_text([STATUS_LABELS[s] for s in chosen], 'or')}"
    counts = ", ".join(f"{year}: {int(per_year.get(year, 0))}" for year in years)
    text = f"From {first_year} to {last_year}, on the {basis} basis, {counted} — {counts}."
    met_rows = rows[rows["status"] == "met"]
    every = met_rows.groupby("name")["year"].nunique()
    always = sorted(str(name) for name, n in every.items() if n == len(years))
    if "met" in chosen:
        text += (
            f" Met it in every year shown: {names_text(always)}."
            if always
            else " No participant met it in every year shown."
        )
    return text


# -- one participant ----------------------------------------------------------------------------


def why_text(row: Mapping[str, Any] | pd.Series) -> str:
    """Why a row has its status, with the numbers: "1,150 ≥ 1,069 required (10% a year above 971 in 2019)"."""
    status, value = row["status"], row["value"]
    if status == "missing":
        return f"No value reported for {row['year']}."
    if status == "no_baseline":
        return "No earlier value to compare with: the first year with a value."
    previous, required, gap = row["previous_value"], row["required_value"], int(row["gap_years"])
    over = f"{GOAL_TEXT} a year over {gap} years" if gap > 1 else GOAL_TEXT
    if previous == 0:
        return (
            f"{count_text(value)} > 0: any increase from 0 in {row['previous_year']} meets the goal."
            if status == "met"
            else f"0 in {row['previous_year']} and {row['year']}: at least 1 was required."
        )
    sign = "≥" if status == "met" else "<"
    return (
        f"{count_text(value)} {sign} {count_text(required)} required "
        f"({over} above {count_text(previous)} in {row['previous_year']})."
    )


def participant_summary(history: pd.DataFrame, name: str, basis: str) -> str:
    """A participant's series in words: years reported, goal met in how many, the latest year, the path."""
    reported = history[history["value"].notna()]
    if reported.empty:
        return f"{name} has no value on the {basis} basis."
    judged = history[history["status"].isin(["met", "not_met"])]
    met = int((judged["status"] == "met").sum())
    last = reported.iloc[-1]
    first_year, last_year = history["year"].iloc[0], history["year"].iloc[-1]
    span = f"{first_year}" if first_year == last_year else f"{first_year}–{last_year}"
    text = f"{name} reported a value for {of_text(len(reported), len(history), 'year')} on the {basis} basis"
    text += f" ({span})"
    text += (
        f" and met the {GOAL_TEXT} goal in {of_text(met, len(judged), 'year')} that could be judged."
        if len(judged)
        else f"; no year can be judged against the {GOAL_TEXT} goal yet: there is no earlier value to "
        "compare with."
    )
    if last["status"] in ("met", "not_met"):
        text += f" In {last['year']}: {STATUS_LABELS[str(last['status'])]}, {why_text(last)}"
    if pd.notna(last["path_value"]):
        side = "at or above" if bool(last["on_path"]) else "below"
        text += (
            f" At {count_text(last['value'])} it is {side} its {GOAL_TEXT} path from {last['baseline_year']} "
            f"({count_text(last['path_value'])})."
        )
    return text


def growth_summary(history: pd.DataFrame, name: str) -> str:
    """The growth chart in words: the range of growth and the years at or above the goal."""
    judged = history[history["growth"].notna()]
    if judged.empty:
        return f"{name} has no two years to compare, so no growth can be shown."
    high = judged.loc[judged["growth"].idxmax()]
    low = judged.loc[judged["growth"].idxmin()]
    high_text = growth_text(high["growth"], high["status"])
    low_text = growth_text(low["growth"], low["status"])
    met = int((judged["status"] == "met").sum())
    if len(judged) == 1:
        side = "at or above" if high["status"] == "met" else "below"
        return (
            f"{name}'s yearly growth was {high_text} in {high['year']}, {side} the {GOAL_TEXT} goal "
            "(the only year with an earlier value to compare with)."
        )
    if high_text == low_text:
        shape = f"was {high_text} in each of the {len(judged)} years compared"
    else:
        shape = f"ranged from {low_text} in {low['year']} to {high_text} in {high['year']}"
    met_years = of_text(met, len(judged), "year")
    return f"{name}'s yearly growth {shape}; it was at or above {GOAL_TEXT} in {met_years}."


def requirement_text(requirement: Requirement | None, name: str) -> str:
    """What it takes, e.g. "To meet the goal in 2026, France needs 1,265 (10% above 1,150 in 2025)"."""
    if requirement is None:
        return f"{name} has no value yet, so there is nothing to grow from."
    r = requirement
    over = f"{GOAL_TEXT} a year for {r.gap_years} years" if r.gap_years > 1 else GOAL_TEXT
    base = (
        f"any count above 0 in {r.from_year}"
        if r.from_value == 0
        else f"{over} above {count_text(r.from_value)} in {r.from_year}"
    )
    if r.basis == "cumulative":
        return (
            f"To meet the goal in {r.target_year}, {name} needs at least {count_text(r.required_value)} "
            f"identified victims in ICSE by the end of {r.target_year} ({base}): "
            f"{count_text(r.increase)} more than now."
        )
    return (
        f"To meet the goal in {r.target_year}, {name} needs to identify at least "
        f"{count_text(r.required_value)} victims during {r.target_year} ({base})."
    )


def revision_summary(history: pd.DataFrame, name: str) -> str:
    """The revision history in words: how many values were recorded and which were corrected."""
    if history.empty:
        return f"No value has been recorded for {name}."
    corrections = history[history["old_value"].notna()]
    text = f"{plural(len(history), 'value')} recorded for {name}; {plural(len(corrections), 'correction')}."
    for _, row in corrections.head(5).iterrows():
        text += (
            f" {row['year']} ({row['basis']}): {count_text(row['old_value'])} → "
            f"{count_text(row['new_value'])} on {date_text(row['recorded_at'].date())}."
        )
    return text


# -- participant page ---------------------------------------------------------------------------


def participant_heading(name: str, code: str) -> str:
    """A participant as the pages name it, e.g. "France (FRA)"."""
    return f"{name} ({code})"


def participant_since_text(joined_on: dt.date | str | None) -> str:
    """The participant page's subtitle."""
    return f"Participant since {date_text(joined_on)}."


def not_a_participant_text(iso3: str, name: str | None) -> str:
    """Why /country/<iso3> has no page: a country that is not a participant, or no such code."""
    if name:
        return f"{name} ({iso3.upper()}) is not a registered participant of the Global Alliance."
    return f"“{iso3[:12]}” is not the ISO 3166-1 alpha-3 code of a participant."


def country_series_title(name: str) -> str:
    """The title inside a participant's series chart image."""
    return f"{name}: counts against the {GOAL_TEXT} path"


def country_growth_title(name: str) -> str:
    """The title inside a participant's growth chart image."""
    return f"{name}: growth each year against the {GOAL_TEXT} goal"


def country_export_title(code: str, what: str, basis: str) -> str:
    """The title of a participant page's download (`what`: series, growth, years or revisions)."""
    return f"{code}: {what}, {basis} basis"


# -- reporting cycles ---------------------------------------------------------------------------


def cycle_option_due_text(row: pd.Series) -> str:
    """A cycle in the reporting page's select, e.g. "Report 2020 (due 30 June 2020)"."""
    return f"{row['cycle']} (due {date_text(row['deadline'])})"


def reporting_cycles_chart_title() -> str:
    """The title inside the reporting cycles chart's image."""
    return "Every reporting cycle: expected participants by reporting status"


def reporting_cycles_title() -> str:
    """The title of the cycles' downloads."""
    return "Reporting completeness and timeliness per cycle"


def reporting_cycle_title(cycle: str) -> str:
    """The title of one cycle's download."""
    return f"Reporting status per participant, {cycle}"


def cycle_sentence(row: pd.Series) -> str:
    """One cycle's completeness and timeliness with numerator and denominator."""
    years = (
        str(row["first_year"])
        if row["first_year"] == row["last_year"]
        else f"{row['first_year']}–{row['last_year']}"
    )
    expected = int(row["expected"])
    return (
        f"{row['cycle']} (covering {years}, due {date_text(row['deadline'])}): of "
        f"{plural(expected, 'expected participant')}, "
        f"complete {share_text(int(row['completeness_numerator']), expected)}; "
        f"on time {share_text(int(row['timeliness_numerator']), expected)}; "
        f"{row['late']} late, {row['incomplete']} incomplete, {row['missing']} missing."
    )


def reporting_trend_summary(summary: pd.DataFrame) -> str:
    """The cycles chart in words: the best and worst timeliness, and the latest cycle."""
    if summary.empty:
        return "No reporting cycle is defined."
    rated = summary[summary["timeliness_pct"].notna()]
    text = f"{plural(len(summary), 'reporting cycle')}."
    if len(rated):
        pct = rated["timeliness_pct"].astype(float)
        best, worst = rated[pct == pct.max()], rated[pct == pct.min()]
        if len(rated) == 1:
            text += f" Timeliness in {_cycles_text(best)}."
        elif pct.max() == pct.min():  # highest and lowest would name the same figure twice
            text += f" Timeliness was the same in all {len(rated)} cycles: {pct.max():.1f}% on time."
        else:
            text += f" Timeliness was highest in {_cycles_text(best)} and lowest in {_cycles_text(worst)}."
    return text + " " + cycle_sentence(summary.iloc[-1])


def _cycles_text(cycles: pd.DataFrame) -> str:
    """ "Report 2014 (47 of 49, 95.9%) and Report 2018 (…)": each cycle with its timeliness."""
    return names_text(
        [
            f"{row['cycle']} ({share_text(int(row['timeliness_numerator']), int(row['expected']))})"
            for _, row in cycles.iterrows()
        ]
    )
