"""A period's value from its observations (the catalog's `aggregation`): pure functions, no ORM.

Ratios aggregate numerator and denominator separately, so the ratio stays one of counted events:
`sum` adds both, `mean` averages both (the same ratio as `sum`, per observation), `max` keeps the observation with
the highest ratio. Counts and levels stay whole numbers (a mean is rounded half up); a yes/no takes `last` or
`max` (yes if any was yes), which the catalog schema enforces.
"""

import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import NamedTuple

from assessments.catalog.models import Aggregation, IndicatorType

SIX_PLACES = Decimal("0.000001")


class Point(NamedTuple):
    """One observation; `order` breaks ties of observed_at (the later received wins)."""

    observed_at: datetime.datetime
    order: int
    value_decimal: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    value_bool: bool | None = None


def _mean(numbers: Sequence[int | Decimal]) -> Fraction:
    return Fraction(sum(Fraction(n) for n in numbers), len(numbers))


def aggregate(kind: str, rule: str, points: Sequence[Point]) -> dict:
    """The value fields (value_decimal, numerator, denominator, value_bool) of `points` (at least one)."""
    if not points:
        raise ValueError("no observations")
    latest = max(points, key=lambda p: (p.observed_at, p.order))
    if kind == IndicatorType.RATIO:
        return _ratio(rule, points, latest)
    if kind == IndicatorType.BOOLEAN:
        value = any(p.value_bool for p in points) if rule == Aggregation.MAX else latest.value_bool
        return {"value_bool": value}
    numbers = [p.value_decimal for p in points]
    if rule == Aggregation.LAST:
        result = latest.value_decimal
    elif rule == Aggregation.SUM:
        result = sum(numbers, Decimal(0))
    elif rule == Aggregation.MAX:
        result = max(numbers)
    else:
        whole = kind in (IndicatorType.COUNT, IndicatorType.LEVEL)
        result = _half_up(_mean(numbers), Decimal(1) if whole else SIX_PLACES)
    return {"value_decimal": result}


def _ratio(rule: str, points: Sequence[Point], latest: Point) -> dict:
    if rule == Aggregation.LAST:
        chosen = latest
    elif rule == Aggregation.MAX:
        chosen = max(points, key=lambda p: (Fraction(p.numerator, p.denominator), p.observed_at, p.order))
    else:
        num = sum(p.numerator for p in points)
        den = sum(p.denominator for p in points)
        if rule == Aggregation.MEAN:
            # Each numerator is at most its denominator and each denominator at least 1: so are the rounded means.
            num, den = int(_half_up(Fraction(num, len(points)))), int(_half_up(Fraction(den, len(points))))
        return {"numerator": num, "denominator": den}
    return {"numerator": chosen.numerator, "denominator": chosen.denominator}


def _half_up(number: Fraction, step: Decimal = Decimal(1)) -> Decimal:
    return (Decimal(number.numerator) / Decimal(number.denominator)).quantize(step, rounding=ROUND_HALF_UP)
