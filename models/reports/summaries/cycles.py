"""Reporting cycles in words: the reporting page's titles and each cycle in a sentence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from models.reports.summaries.words import (
    date_text,
    names_text,
    plural,
    share_text,
)


def cycle_option_due_text(row: Mapping[str, Any] | pd.Series) -> str:
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


def cycle_sentence(row: Mapping[str, Any] | pd.Series) -> str:
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
    # On the columns' plain values, not pandas rows: the page asks for this on every first view.
    columns = ("cycle", "timeliness_pct", "timeliness_numerator", "expected")
    cycles = [
        dict(zip(columns, row, strict=True))
        for row in zip(*(summary[c].tolist() for c in columns), strict=True)
    ]
    rated = [cycle for cycle in cycles if not pd.isna(cycle["timeliness_pct"])]
    text = f"{plural(len(summary), 'reporting cycle')}."
    if rated:
        pct = [float(cycle["timeliness_pct"]) for cycle in rated]
        best = [cycle for cycle, p in zip(rated, pct, strict=True) if p == max(pct)]
        worst = [cycle for cycle, p in zip(rated, pct, strict=True) if p == min(pct)]
        if len(rated) == 1:
            text += f" Timeliness in {_cycles_text(best)}."
        elif max(pct) == min(pct):  # highest and lowest would name the same figure twice
            text += f" Timeliness was the same in all {len(rated)} cycles: {max(pct):.1f}% on time."
        else:
            text += f" Timeliness was highest in {_cycles_text(best)} and lowest in {_cycles_text(worst)}."
    return text + " " + cycle_sentence(summary.iloc[-1])


def _cycles_text(cycles: Sequence[Mapping[str, Any]]) -> str:
    """ "Report 2014 (47 of 49, 95.9%) and Report 2018 (…)": each cycle with its timeliness."""
    return names_text(
        [
            f"{row['cycle']} ({share_text(int(row['timeliness_numerator']), int(row['expected']))})"
            for row in cycles
        ]
    )
