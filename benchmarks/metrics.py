"""Metrics benchmark: the compliance table (both bases, Alliance rows, 10% path) against bare pandas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

import numpy as np
import pandas as pd

from benchmarks.timing import median_seconds
from models.metrics.compliance import compliance_table

SIZES = [(50, 15), (200, 15), (1000, 15), (50, 50), (200, 50), (1000, 50)]
GROWTH = Decimal("0.10")


@dataclass(frozen=True)
class MetricsResult:
    participants: int
    years: int
    seconds: float
    floor_seconds: float

    @property
    def cells(self) -> int:
        return self.participants * self.years

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds


def synthetic(
    participants: int, years: int, seed: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Annual and cumulative values (a few gaps) for synthetic participants, and their register."""
    rng = np.random.default_rng(seed)
    codes = [f"P{index:04d}" for index in range(participants)]
    frame = pd.DataFrame(
        {
            "participant": np.repeat(codes, years),
            "year": np.tile(np.arange(2000, 2000 + years), participants),
            "value": rng.integers(0, 5000, participants * years),
        }
    )
    frame = frame[rng.random(len(frame)) > 0.03].reset_index(drop=True)  # some years not reported
    cumulative = frame.assign(value=frame.groupby("participant")["value"].cumsum())
    register = pd.DataFrame({"code": codes, "joined_on": [dt.date(2000, 1, 1)] * participants})
    return frame, cumulative, register


def floor(annual: pd.DataFrame, cumulative: pd.DataFrame) -> None:
    """The simplest way: sort, previous value, growth, a float comparison with 10%."""
    for values in (annual, cumulative):
        ordered = values.sort_values(["participant", "year"])
        previous = ordered.groupby("participant")["value"].shift(1)
        growth = ordered["value"] / previous - 1
        _ = growth >= 0.1


def product(annual: pd.DataFrame, cumulative: pd.DataFrame, register: pd.DataFrame) -> None:
    compliance_table(annual, register, GROWTH, "annual")
    compliance_table(cumulative, register, GROWTH, "cumulative")


def run(repeat: int = 5) -> list[MetricsResult]:
    results = []
    for participants, years in SIZES:
        annual, cumulative, register = synthetic(participants, years)
        product(annual, cumulative, register)  # warm up
        floor(annual, cumulative)
        ours = median_seconds(partial(product, annual, cumulative, register), repeat)
        base = median_seconds(partial(floor, annual, cumulative), repeat)
        results.append(MetricsResult(participants, years, ours, base))
    return results
