"""Exact arithmetic on counts: `value >= base × r^k` and `⌈base × r^k⌉` for a rational r, elementwise.

A float estimate decides every element that is clearly away from the boundary (its error is far
below the safety margin); the few elements near it are decided with Python integers, which are
exact and never overflow. The result is always the exact answer, at vectorised speed.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Float error of base × r^k is below ~1e-13 relative for k <= 1000; anything within 1e-9 of the
# boundary is handed to integer arithmetic.
_MARGIN = 1e-9
_INT64_MAX = np.iinfo(np.int64).max


def _float_power(ratio: Fraction, exponent: IntArray) -> npt.NDArray[np.float64]:
    """ratio ** exponent as floats, through a table of the few distinct exponents (years)."""
    if exponent.size == 0:
        return np.zeros(0)
    low, high = int(exponent.min()), int(exponent.max())
    if low < 0 or high > 10_000:
        with np.errstate(over="ignore", invalid="ignore"):
            return np.power(float(ratio), exponent.astype(np.float64))
    with np.errstate(over="ignore", invalid="ignore"):
        table = np.power(float(ratio), np.arange(high + 1, dtype=np.float64))
    return table[exponent]


def at_least(value: IntArray, base: IntArray, ratio: Fraction, exponent: IntArray) -> BoolArray:
    """Elementwise `value >= base × ratio**exponent`, exactly. All inputs non-negative integers."""
    value = np.asarray(value, dtype=np.int64)
    base = np.asarray(base, dtype=np.int64)
    exponent = np.asarray(exponent, dtype=np.int64)
    with np.errstate(over="ignore", invalid="ignore"):
        target = base.astype(np.float64) * _float_power(ratio, exponent)
        actual = value.astype(np.float64)
        difference = actual - target
        margin = _MARGIN * np.maximum(np.abs(actual), np.abs(target))
        decided = np.isfinite(difference) & (np.abs(difference) > margin)
    result = difference > 0
    undecided = np.flatnonzero(~decided)
    if undecided.size:
        numerator, denominator = ratio.numerator, ratio.denominator
        for position in undecided.tolist():
            k = int(exponent[position])
            result[position] = int(value[position]) * denominator**k >= int(base[position]) * numerator**k
    return result


def ceil_times(
    base: IntArray, ratio: Fraction, exponent: IntArray
) -> npt.NDArray[np.int64] | npt.NDArray[np.object_]:
    """Elementwise `⌈base × ratio**exponent⌉`, exactly. int64 when every result fits, else Python ints."""
    base = np.asarray(base, dtype=np.int64)
    exponent = np.asarray(exponent, dtype=np.int64)
    with np.errstate(over="ignore", invalid="ignore"):
        estimate = base.astype(np.float64) * _float_power(ratio, exponent)
        distance = np.abs(estimate - np.rint(estimate))
        margin = _MARGIN * np.maximum(estimate, 1.0)
        decided = np.isfinite(estimate) & (distance > margin) & (estimate < 2.0**52)
    exact: dict[int, int] = {}
    undecided = np.flatnonzero(~decided)
    numerator, denominator = ratio.numerator, ratio.denominator
    for position in undecided.tolist():
        k = int(exponent[position])
        exact[position] = -(-int(base[position]) * numerator**k // denominator**k)
    if all(v <= _INT64_MAX for v in exact.values()):
        result = np.where(decided, np.ceil(np.where(decided, estimate, 0.0)), 0).astype(np.int64)
        for position, ceiling in exact.items():
            result[position] = ceiling
        return result
    objects = np.empty(base.shape, dtype=object)
    for position in range(base.size):
        objects[position] = exact[position] if position in exact else int(np.ceil(estimate[position]))
    return objects
