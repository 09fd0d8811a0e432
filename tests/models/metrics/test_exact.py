"""Exact arithmetic: the vectorised answers equal Python's exact fractions, also at the boundary."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from models.metrics.compliance import compliance_table
from models.metrics.exact import at_least, ceil_times

COUNTS = st.integers(min_value=0, max_value=10**12)
GAPS = st.integers(min_value=0, max_value=60)
RATIOS = st.sampled_from(
    [Fraction(11, 10), Fraction(219, 200), Fraction(106, 100), Fraction(1), Fraction(3, 2)]
)


def exact_ceil(base: int, ratio: Fraction, k: int) -> int:
    return math.ceil(base * ratio**k)


@given(st.lists(st.tuples(COUNTS, COUNTS, GAPS), min_size=1, max_size=40), RATIOS)
def test_at_least_equals_exact_comparison(cases: list[tuple[int, int, int]], ratio: Fraction) -> None:
    value, base, k = (np.array(column, dtype=np.int64) for column in zip(*cases, strict=True))
    expected = [v >= b * ratio**g for v, b, g in cases]
    assert at_least(value, base, ratio, k).tolist() == expected


@given(st.lists(st.tuples(COUNTS, GAPS), min_size=1, max_size=40), RATIOS)
def test_ceil_times_equals_exact_ceiling(cases: list[tuple[int, int]], ratio: Fraction) -> None:
    base, k = (np.array(column, dtype=np.int64) for column in zip(*cases, strict=True))
    assert [int(x) for x in ceil_times(base, ratio, k)] == [exact_ceil(b, ratio, g) for b, g in cases]


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=30))
def test_exactly_on_the_boundary_is_at_least(previous_root: int, k: int) -> None:
    # previous = 10^k * m makes previous * 1.1^k = 11^k * m an integer: exactly on the boundary.
    m = previous_root % 1000 + 1
    previous, boundary = 10**k * m, 11**k * m
    if boundary >= 2**63:
        return
    value = np.array([boundary, boundary - 1], dtype=np.int64)
    base = np.array([previous, previous], dtype=np.int64)
    gap = np.array([k, k], dtype=np.int64)
    assert at_least(value, base, Fraction(11, 10), gap).tolist() == [True, False]
    assert ceil_times(base, Fraction(11, 10), gap).tolist() == [boundary, boundary]


def test_boundary_cases_in_and_beyond_64_bits_in_one_array_are_exact() -> None:
    # On the boundary every element goes to integers: small ones in int64, large ones (whose exact
    # products exceed 64 bits) in Python integers, side by side in the same call.
    ratio = Fraction(11, 10)
    cases = [(0, 0, 0), (7, 7, 0), (6, 7, 0), (0, 0, 5), (121, 100, 2), (120, 100, 2),
             (11**17 * 3, 10**17 * 3, 17), (11**17 * 3 - 1, 10**17 * 3, 17), (2**62, 2**62, 0)]  # fmt: skip
    value, base, k = (np.array(column, dtype=np.int64) for column in zip(*cases, strict=True))
    assert at_least(value, base, ratio, k).tolist() == [v >= b * ratio**g for v, b, g in cases]
    assert [int(x) for x in ceil_times(base, ratio, k)] == [exact_ceil(b, ratio, g) for _, b, g in cases]


def _pair_table(previous: int, value: int, gap: int) -> dict[str, object]:
    frame = pd.DataFrame(
        {"participant": ["AAA", "AAA"], "year": [2000, 2000 + gap], "value": [previous, value]}
    )
    registered = pd.DataFrame({"code": ["AAA"], "joined_on": [pd.Timestamp("2000-01-01").date()]})
    table = compliance_table(frame, registered, Fraction(1, 10), "annual", aggregate=False)
    return table.iloc[-1].to_dict()


@settings(max_examples=150)
@given(COUNTS, COUNTS, st.integers(min_value=1, max_value=40))
def test_status_is_met_iff_value_reaches_the_required_value(previous: int, value: int, gap: int) -> None:
    row = _pair_table(previous, value, gap)
    assert (row["status"] == "met") == (value >= row["required_value"])


@settings(max_examples=150)
@given(
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=10**4),
)
def test_scaling_both_values_never_changes_the_status(
    previous: int, value: int, gap: int, factor: int
) -> None:
    assert (
        _pair_table(previous, value, gap)["status"]
        == _pair_table(previous * factor, value * factor, gap)["status"]
    )


@settings(max_examples=150)
@given(
    st.integers(min_value=1, max_value=10**9),
    st.integers(min_value=0, max_value=2 * 10**9),
    st.integers(1, 20),
)
def test_growth_and_status_agree_away_from_the_boundary(previous: int, value: int, gap: int) -> None:
    row = _pair_table(previous, value, gap)
    growth = float(row["growth"])  # type: ignore[arg-type]
    if growth >= 0.1 + 1e-9:
        assert row["status"] == "met"
    elif growth <= 0.1 - 1e-9:
        assert row["status"] == "not_met"
