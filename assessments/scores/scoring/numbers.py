"""Arithmetic of the scoring engine: Decimal, 34 significant digits, then rounding for storage.

Why Decimal and not float64 (scoring.md §8 allows either):

* The inputs are decimal numbers: values, ``max_points`` and lineage weights are DecimalFields,
  catalog parameters are decimal literals. Additions, subtractions and multiplications of them
  are exact in Decimal, so an index that is mathematically 0.1234565 is exactly that and is
  stored as 0.123457, as a reviewer recomputing it by hand or with Excel's ROUND gets. In
  float64 the same index can come out as 0.12345649999999999 and be stored as 0.123456, which
  changes a rank tie (§5 ties on the 6-decimal index) or a level boundary (0.25 exactly is
  ``developing``) and makes the Excel export disagree with the screen.
* Only divisions are inexact (linear, ratio, relative methods, pillar and total index). They
  are rounded at 34 significant digits (IEEE decimal128 precision), ~28 orders of magnitude
  below the stored 6 decimals.
* Sums are exact up to 34 digits, so the result does not depend on the order values arrive in.
* The outputs are quantized Decimals that a DecimalField stores verbatim.
* Cost: CPython's decimal is the C ``_decimal`` module; the extra time per value is about a
  microsecond, negligible next to reading the rows.

Every public function of the package runs under ``SCORING_CONTEXT`` (``in_scoring_context``),
so a caller's ambient decimal context (precision, traps) cannot change a result. Inside
``compute_scores`` (already in that context) the per-value path calls the unwrapped private
functions: entering a decimal context per value would cost ~40% of the run time.

Storage rounding is ROUND_HALF_UP (half away from zero, like Excel's ROUND): index, pillar
index, verified share and delta to 6 decimals, points to 4.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import ParamSpec, TypeVar

# The public part, re-exported by the package (__init__.py).
__all__ = ["SCORING_CONTEXT", "round_index", "round_points", "to_decimal"]

SCORING_CONTEXT = Context(
    prec=34,
    rounding=ROUND_HALF_EVEN,
    Emin=-999999,
    Emax=999999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
INDEX_QUANTUM = Decimal("0.000001")
POINTS_QUANTUM = Decimal("0.0001")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

P = ParamSpec("P")
R = TypeVar("R")


def in_scoring_context(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` under SCORING_CONTEXT whatever the caller's decimal context is."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(SCORING_CONTEXT):
            return fn(*args, **kwargs)

    return wrapper


def to_decimal(x: object) -> Decimal:
    """Decimal of an int, float (through its shortest repr: 0.1 -> Decimal("0.1")) or Decimal.

    Raises TypeError for anything else (including None and str). NaN and infinities come
    through as Decimal NaN / Infinity; callers check ``is_finite()``.
    """
    if isinstance(x, Decimal):
        return x
    if isinstance(x, bool):
        return Decimal(int(x))
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, float):
        return Decimal(repr(x))
    raise TypeError(f"expected a number, got {type(x).__name__}")


# The rounding mode is passed by position: as a keyword, parsing it took half the time of a quantize.
def _round6(x: Decimal) -> Decimal:
    return x.quantize(INDEX_QUANTUM, ROUND_HALF_UP)


def _round4(x: Decimal) -> Decimal:
    return x.quantize(POINTS_QUANTUM, ROUND_HALF_UP)


@in_scoring_context
def round_index(x: object) -> Decimal:
    """An index (or share, or delta) as stored: 6 decimals, half away from zero."""
    return _round6(to_decimal(x))


@in_scoring_context
def round_points(x: object) -> Decimal:
    """Points as stored: 4 decimals, half away from zero."""
    return _round4(to_decimal(x))


def clamp01(x: Decimal) -> Decimal:
    if x < ZERO:
        return ZERO
    if x > ONE:
        return ONE
    return x
