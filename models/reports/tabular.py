"""Rendering frames for people and programs: JSON-ready records and CSV text, with nulls kept as nulls."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd


def plain(value: Any) -> Any:
    """A cell as a plain Python value: None for any null, int/float/bool/str, ISO text for dates."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return plain(value.item())
    return value


def json_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts of plain values, columns in order."""
    columns = list(frame.columns)
    return [
        {column: plain(cell) for column, cell in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV: header row, nulls as empty cells, integers without a decimal point."""
    return str(frame.to_csv(index=False, lineterminator="\n"))


def table_text(frame: pd.DataFrame) -> str:
    """The frame as an aligned plain-text table for a terminal."""
    if frame.empty:
        return "(no rows)"
    return str(frame.astype(object).where(frame.notna(), "").to_string(index=False))
