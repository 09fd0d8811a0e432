"""JSON-ready records: every kind of column gives the plain values a cell-by-cell conversion gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from models.reports.tabular import json_records, plain


def cell_by_cell(frame: pd.DataFrame) -> list[dict[str, Any]]:
    columns = list(frame.columns)
    return [
        {column: plain(cell) for column, cell in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def every_kind_of_column() -> pd.DataFrame:
    when = pd.to_datetime(["2020-01-01 10:00", None, "2021-02-03 00:00"])
    return pd.DataFrame(
        {
            "int": [1, 2, 3],
            "int8": np.array([1, -2, 3], dtype="int8"),
            "uint8": np.array([1, 2, 255], dtype="uint8"),
            "Int64": pd.array([1, None, 3], dtype="Int64"),
            "float": [1.5, np.nan, np.inf],
            "Float64": pd.array([0.5, None, 2.0], dtype="Float64"),
            "bool": [True, False, True],
            "boolean": pd.array([True, None, False], dtype="boolean"),
            "str": pd.Series(["a", None, "c"], dtype="str"),
            "object": ["x", None, pd.NA],
            "date": [dt.date(2020, 1, 1), None, dt.date(2021, 1, 1)],
            "datetime": when,
            "aware": when.tz_localize("UTC"),
            "category": pd.Categorical(["a", None, "b"]),
        }
    )


def test_records_hold_the_plain_value_of_every_cell() -> None:
    frame = every_kind_of_column()
    records = json_records(frame)
    assert records == cell_by_cell(frame)
    for got, expected in zip(records, cell_by_cell(frame), strict=True):
        assert [type(value) for value in got.values()] == [type(value) for value in expected.values()]
    assert records[1]["Int64"] is None
    assert records[1]["float"] is None  # NaN becomes null
    assert records[2]["float"] == float("inf")
    assert records[0]["uint8"] == 1
    assert type(records[0]["uint8"]) is int
    assert records[0]["aware"] == "2020-01-01T10:00:00+00:00"


def test_records_of_frames_without_rows_or_columns() -> None:
    assert json_records(every_kind_of_column().iloc[0:0]) == []
    assert json_records(pd.DataFrame(index=[0, 1])) == [{}, {}]
