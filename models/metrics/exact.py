"""Exact arithmetic on counts: `value >= base × r^k` and `⌈base × r^k⌉` for a rational r, elementwise.

A float estimate decides every element that is clearly away from the boundary (its error is far
below the safety margin); the elements near it (exactly on it, as every exponent 0 and every base 0
is) are decided with integers: int64 arithmetic, vectorised, wherever the products provably fit in
64 bits, and Python integers, which are exact and never overflow, for the rest. The result is always
the exact answer, at vectorised speed.
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


def _int_powers(base: int, high: int) -> tuple[IntArray, BoolArray]:
    """base**k for k = 0..high as int64 where it fits, and which of them fit."""
    powers = np.zeros(high + 1, dtype=np.int64)
    fits = np.zeros(high + 1, dtype=bool)
    power = 1
    for k in range(high + 1):
        if power > _INT64_MAX:
            break
        powers[k], fits[k] = power, True
        power *= base
    return powers, fits


def _times_fits(value: IntArray, factor: IntArray, factor_fits: BoolArray) -> BoolArray:
    """Whether value × factor fits in int64 (value, factor >= 0), without computing it."""
    safe_factor = np.where(factor_fits & (factor > 0), factor, 1)
    fits: BoolArray = factor_fits & ((factor == 0) | (value <= _INT64_MAX // safe_factor))
    return fits


def _exact_int64(
    positions: IntArray, ratio: Fraction, exponent: IntArray, *operands: IntArray
) -> tuple[IntArray, IntArray, IntArray, BoolArray]:
    """For the elements at `positions`: numerator**k, denominator**k (int64) and where every operand
    times either power fits in int64, so that the exact products can be formed there."""
    k = np.maximum(exponent[positions], 0)  # a negative exponent is left to Python integers
    high = int(k.max()) if k.size else 0
    top, top_fits = _int_powers(ratio.numerator, high)
    bottom, bottom_fits = _int_powers(ratio.denominator, high)
    numerator_k, denominator_k = top[k], bottom[k]
    fits = top_fits[k] & bottom_fits[k] & (exponent[positions] >= 0)
    for operand in operands:
        chosen = operand[positions]
        fits &= _times_fits(chosen, numerator_k, top_fits[k])
        fits &= _times_fits(chosen, denominator_k, bottom_fits[k])
    return k, numerator_k, denominator_k, fits


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
        _, numerator_k, denominator_k, fits = _exact_int64(undecided, ratio, exponent, value, base)
        here = undecided[fits]
        result[here] = value[here] * denominator_k[fits] >= base[here] * numerator_k[fits]
        numerator, denominator = ratio.numerator, ratio.denominator
        for position in undecided[~fits].tolist():
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
    in_int64 = undecided[:0]
    ceilings = np.zeros(0, dtype=np.int64)
    if undecided.size:
        _, numerator_k, denominator_k, fits = _exact_int64(undecided, ratio, exponent, base)
        in_int64 = undecided[fits]
        ceilings = -(-(base[in_int64] * numerator_k[fits]) // denominator_k[fits])
        numerator, denominator = ratio.numerator, ratio.denominator
        for position in undecided[~fits].tolist():
            k = int(exponent[position])
            exact[position] = -(-int(base[position]) * numerator**k // denominator**k)
    if all(v <= _INT64_MAX for v in exact.values()):
        result = np.where(decided, np.ceil(np.where(decided, estimate, 0.0)), 0).astype(np.int64)
        result[in_int64] = ceilings
        for position, ceiling in exact.items():
            result[position] = ceiling
        return result
    exact.update(zip(in_int64.tolist(), ceilings.tolist(), strict=True))
    objects = np.empty(base.shape, dtype=object)
    for position in range(base.size):
        objects[position] = exact[position] if position in exact else int(np.ceil(estimate[position]))
    return objects
