"""The overview's words: its headline cards, the Alliance trend and published totals in sentences."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from models.metrics.headlines import YearHeadline
from models.reports.summaries.words import (
    GOAL_TEXT,
    NO_VALUE,
    STATUS_LABELS,
    THIN_MARK,
    count_text,
    date_text,
    growth_text,
    of_text,
    plural,
    share_text,
)

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
