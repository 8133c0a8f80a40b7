"""From a reported value to v, and from v to a normalized score s in [0, 1] (scoring.md §2).

Pure functions, reusable by a streaming or SQL implementation: a SQL run can compute the
per-(peer group, indicator) MIN/MAX of counted values with GROUP BY, wrap them in
``GroupStats`` and call ``normalize`` per value.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .data import (
    BOOLEAN,
    COUNT,
    LEVEL,
    PERCENT,
    RATIO,
    VALUE_TYPES,
    FrameworkError,
    IndicatorSpec,
    InvalidValue,
    ValueSpec,
)
from .numbers import HUNDRED, ONE, ZERO, clamp01, in_scoring_context, to_decimal

# The public part, re-exported by the package (__init__.py).
__all__ = [
    "METHODS", "RELATIVE_METHODS", "GroupStats", "Normalization", "check_for_method", "normalize",
    "parse_normalization", "value_of"
]

# Normalization methods (scoring.md §2): these read the agency's own value only...
LINEAR, BOOLEAN_METHOD, BANDS = "linear", "boolean", "bands"
# ...and these compare it with the other agencies of the peer group in the same period.
RELATIVE_TO_BEST, MINMAX = "relative_to_best", "minmax"
RELATIVE_METHODS = frozenset({RELATIVE_TO_BEST, MINMAX})
METHODS = frozenset({LINEAR, BOOLEAN_METHOD, BANDS}) | RELATIVE_METHODS


@dataclass(frozen=True, slots=True)
class Normalization:
    """A checked normalization: the catalog's ``{"method": ..., params...}`` with Decimal params."""

    method: str
    floor: Decimal | None = None
    target: Decimal | None = None
    thresholds: tuple[Decimal, ...] = ()
    scores: tuple[Decimal, ...] = ()
    span: Decimal | None = field(default=None, init=False, compare=False)  # linear: target - floor (never 0)

    def __post_init__(self) -> None:
        if self.method == LINEAR:  # derived once: normalize runs for every value of a run
            object.__setattr__(self, "span", self.target - self.floor)

    @property
    def relative(self) -> bool:
        return self.method in RELATIVE_METHODS


def _param(spec: Mapping[str, Any], key: str) -> Decimal:
    if key not in spec:
        raise FrameworkError(f"normalization {spec.get('method')!r} needs {key!r}")
    try:
        number = to_decimal(spec[key])
    except TypeError as exc:
        raise FrameworkError(f"normalization parameter {key!r} is not a number") from exc
    if not number.is_finite():
        raise FrameworkError(f"normalization parameter {key!r} is not finite")
    return number


@in_scoring_context
def parse_normalization(spec: Mapping[str, Any] | Normalization) -> Normalization:
    """Check a catalog normalization; raises FrameworkError as the catalog loader would."""
    if isinstance(spec, Normalization):
        return spec
    if not isinstance(spec, Mapping):
        raise FrameworkError("a normalization is a mapping with 'method'")
    method = spec.get("method")
    if method not in METHODS:
        raise FrameworkError(f"unknown normalization method {method!r}")
    if method == LINEAR:
        floor, target = _param(spec, "floor"), _param(spec, "target")
        if floor == target:
            raise FrameworkError("linear: target must differ from floor")
        return Normalization(method, floor=floor, target=target)
    if method == BANDS:
        pairs = spec.get("bands")
        if not isinstance(pairs, list | tuple) or not pairs:
            raise FrameworkError("bands: 'bands' is a non-empty list of [threshold, score]")
        thresholds, scores = [], []
        for pair in pairs:
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise FrameworkError("bands: a band is a pair [threshold, score]")
            threshold, score = _param({"t": pair[0]}, "t"), _param({"s": pair[1]}, "s")
            if thresholds and threshold <= thresholds[-1]:
                raise FrameworkError("bands: thresholds must be strictly ascending")
            if not ZERO <= score <= ONE:
                raise FrameworkError("bands: a score is between 0 and 1")
            thresholds.append(threshold)
            scores.append(score)
        return Normalization(method, thresholds=tuple(thresholds), scores=tuple(scores))
    return Normalization(method)


@dataclass(slots=True)
class GroupStats:
    """Min and max of the counted values of one indicator in one peer group (relative methods)."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None
    count: int = 0

    def add(self, v: Decimal) -> None:
        if self.count == 0:
            self.minimum = self.maximum = v
        else:
            if v < self.minimum:
                self.minimum = v
            if v > self.maximum:
                self.maximum = v
        self.count += 1


def _integer(v: Decimal, what: str) -> Decimal:
    if v != v.to_integral_value():
        raise InvalidValue(f"{what} must be a whole number, got {v}")
    return v


@in_scoring_context
def value_of(indicator: IndicatorSpec, value: ValueSpec) -> Decimal:
    """The number v of scoring.md §2 for a reported value, or InvalidValue saying why there is none.

    percent: ``value`` in [0, 100]; ratio: 100 * numerator / denominator with whole numbers
    >= 0 and a denominator > 0 (0 is invalid input, never a division by zero); boolean:
    ``bool_value`` -> 1 or 0; count: a whole ``value`` >= 0; level: a whole ``value`` in
    [min_level, max_level] (each bound checked when set). NaN and infinities are invalid.
    """
    if indicator.type not in VALUE_TYPES:
        raise FrameworkError(f"indicator {indicator.code}: unknown type {indicator.type!r}")
    return _value_of(indicator, value.value, value.numerator, value.denominator, value.bool_value)


def _value_of(indicator: IndicatorSpec, number: object, num: object, den: object, bool_value: object) -> Decimal:
    """value_of for an indicator of a checked framework (plan_framework rejects unknown types)."""
    kind = indicator.type
    if kind == BOOLEAN:
        if bool_value is None:
            raise InvalidValue("boolean indicator without a yes/no value")
        return ONE if bool_value else ZERO
    if kind == RATIO:
        if num is None or den is None:
            raise InvalidValue("ratio needs both numerator and denominator")
        n, d = _number(num, "numerator"), _number(den, "denominator")
        _integer(n, "numerator")
        _integer(d, "denominator")
        if n < 0 or d < 0:
            raise InvalidValue("numerator and denominator must be >= 0")
        if d == 0:
            raise InvalidValue("denominator is 0")
        return HUNDRED * n / d
    if number is None:
        raise InvalidValue("no number reported")
    v = _number(number, "value")
    if kind == PERCENT:
        if not ZERO <= v <= HUNDRED:
            raise InvalidValue(f"a percentage is between 0 and 100, got {v}")
        return v
    if kind == COUNT:
        _integer(v, "a count")
        if v < 0:
            raise InvalidValue(f"a count is >= 0, got {v}")
        return v
    assert kind == LEVEL
    _integer(v, "a level")
    if indicator.min_level is not None and v < indicator.min_level:
        raise InvalidValue(f"level {v} is below min_level {indicator.min_level}")
    if indicator.max_level is not None and v > indicator.max_level:
        raise InvalidValue(f"level {v} is above max_level {indicator.max_level}")
    return v


def _number(x: object, what: str) -> Decimal:
    """A reported number as a Decimal; a str is decimal text, as a database gives a numeric cast to text."""
    try:
        v = Decimal(x) if isinstance(x, str) else to_decimal(x)
    except (TypeError, InvalidOperation) as exc:
        raise InvalidValue(f"{what} is not a number") from exc
    if not v.is_finite():
        raise InvalidValue(f"{what} is not a finite number")
    return v


@in_scoring_context
def check_for_method(normalization: Mapping[str, Any] | Normalization, v: object) -> Decimal:
    """Method-specific validity of v: relative_to_best needs v >= 0 (scoring.md §2).

    A negative v there is treated as an invalid value (missing, with the reason), not as 0,
    and it does not enter the group's max: the reviewer sees that it was not counted.
    """
    return _check_for_method(parse_normalization(normalization), to_decimal(v))


def _check_for_method(norm: Normalization, v: Decimal) -> Decimal:
    if norm.method == RELATIVE_TO_BEST and v < 0:
        raise InvalidValue(f"relative_to_best needs v >= 0, got {v}")
    return v


@in_scoring_context
def normalize(normalization: Mapping[str, Any] | Normalization, v: object, stats: GroupStats | None = None) -> Decimal:
    """s in [0, 1] for the number v (scoring.md §2).

    ``stats`` (min/max of the counted values of the agency's peer group for this indicator,
    v included) is required by relative_to_best and minmax and ignored otherwise.
    - linear: clamp((v - floor) / (target - floor), 0, 1), either direction.
    - boolean: 1 if v is non-zero (true) else 0.
    - bands: the score of the largest threshold <= v; 0 below every threshold.
    - relative_to_best: v / group max (0 when the max is 0); InvalidValue for v < 0.
    - minmax: (v - min) / (max - min); 1 when max == min.
    Relative results are clamped to [0, 1] in case ``stats`` does not include v.
    """
    return _normalize(parse_normalization(normalization), to_decimal(v), stats)


def _normalize(norm: Normalization, v: Decimal, stats: GroupStats | None) -> Decimal:
    if norm.method == LINEAR:
        return clamp01((v - norm.floor) / norm.span)
    if norm.method == BOOLEAN_METHOD:
        return ONE if v != 0 else ZERO
    if norm.method == BANDS:
        i = bisect.bisect_right(norm.thresholds, v)
        return norm.scores[i - 1] if i else ZERO
    if stats is None or stats.count == 0:
        raise ValueError(f"{norm.method} needs the peer group's min/max (GroupStats)")
    if norm.method == RELATIVE_TO_BEST:
        _check_for_method(norm, v)
        if stats.maximum <= 0:
            return ZERO
        return clamp01(v / stats.maximum)
    assert norm.method == MINMAX
    if stats.maximum == stats.minimum:
        return ONE
    return clamp01((v - stats.minimum) / (stats.maximum - stats.minimum))
