"""The lines every chart image carries: its source and its subtitle."""

from __future__ import annotations

import datetime as dt

from models.reports.summaries.words import (
    BASIS_LABELS,
    BASIS_SHORT,
    date_text,
)

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
