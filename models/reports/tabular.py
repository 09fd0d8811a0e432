"""Rendering frames for people and programs: JSON-ready records and CSV text, with nulls kept as nulls."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
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
    """The frame's rows as dicts of plain values (each cell as `plain` makes it), columns in order."""
    columns = list(frame.columns)
    values = [_plain_column(column) for _, column in frame.items()]
    if not columns:
        return [{} for _ in range(len(frame))]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _plain_column(column: pd.Series) -> list[Any]:
    """`plain` of every cell of a column: numbers and booleans a whole column at a time."""
    if column.dtype.kind in "biu" and isinstance(column.dtype, np.dtype):  # no nulls: Python numbers
        return column.to_numpy().tolist()  # type: ignore[no-any-return]
    if column.dtype.kind in "biuf":  # numpy or nullable (Int64, Float64, boolean): Python numbers, None
        listed: list[Any] = column.to_numpy(dtype=object, na_value=None).tolist()
        if column.dtype.kind == "f":
            return [None if isinstance(cell, float) and math.isnan(cell) else cell for cell in listed]
        return listed
    return [plain(cell) for cell in column.to_numpy(dtype=object)]


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV: header row, nulls as empty cells, integers without a decimal point."""
    return str(frame.to_csv(index=False, lineterminator="\n"))


def table_text(frame: pd.DataFrame) -> str:
    """The frame as an aligned plain-text table for a terminal."""
    if frame.empty:
        return "(no rows)"
    return str(frame.astype(object).where(frame.notna(), "").to_string(index=False))
