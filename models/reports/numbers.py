"""How a growth figure is written for people: one rounding rule for the pages, summaries, exports and PDF.

Growth is shown rounded, but never on the wrong side of the exact status: a count 0.04% short of
the goal would round to "10.0%" next to "✗ not met"; it is shown rounded down instead ("9.9%"),
and a met growth never shows below the goal. The pages and summaries (`models.reports.summaries`) and the
joint report (`models.reports.joint_report.strings`) both write growth through `growth_percent`.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

NO_VALUE = "—"


def exact_fraction(value: float | Fraction | Decimal | str) -> Fraction:
    """A growth as an exact fraction; a float is read as its shortest decimal text (0.1 → 1/10)."""
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(value)


def percent_decimal(fraction: Fraction, digits: int = 1, rounding: str = ROUND_HALF_UP) -> Decimal:
    """A fraction as a percentage with `digits` decimals: 1/8 → Decimal('12.5')."""
    exact = Decimal(fraction.numerator * 100) / Decimal(fraction.denominator)
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=rounding)


def growth_percent(
    growth: float | Fraction | Decimal | None, status: str | None, goal: Fraction | Decimal, digits: int = 1
) -> str:
    """ "12.3%" (half up), or "9.9%" for a `not_met` growth that would round up to the goal, or the
    goal itself for a `met` growth that would round below it; "—" for no value; minus as "−"."""
    if growth is None or (isinstance(growth, float) and growth != growth):  # NaN
        return NO_VALUE
    target = _goal_percent(goal, digits)
    step = Decimal(1).scaleb(-digits)
    shown = _percent(growth, digits, ROUND_HALF_UP)
    if status == "not_met" and shown >= target:
        shown = min(_percent(growth, digits, ROUND_FLOOR), target - step)
    if status == "met" and shown < target:
        shown = target
    return f"{shown}%".replace("-", "−")


@lru_cache(maxsize=16)
def _goal_percent(goal: Fraction | Decimal, digits: int) -> Decimal:
    return percent_decimal(Fraction(goal), digits)


def _percent(growth: float | Fraction | Decimal, digits: int, rounding: str) -> Decimal:
    """`percent_decimal(exact_fraction(growth), digits, rounding)`, for a float without a Fraction:
    its shortest decimal text times 100 is exact in Decimal (17 digits at most), and rounds alike."""
    if isinstance(growth, float) and growth and math.isfinite(growth):
        return (Decimal(repr(float(growth))) * 100).quantize(Decimal(1).scaleb(-digits), rounding=rounding)
    return percent_decimal(exact_fraction(growth), digits, rounding)
