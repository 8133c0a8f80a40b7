"""The aggregation rules over a period's observations (pure functions)."""

import datetime
from decimal import Decimal

import pytest

from assessments.values.feeds.aggregate import Point, aggregate

T = datetime.datetime(2024, 3, 1, tzinfo=datetime.UTC)


def at(hours, order=0, **fields):
    return Point(T + datetime.timedelta(hours=hours), order, **fields)


# Arrival order (the list's) differs from observed order: `last` is by observed_at.
NUMBERS = [at(2, value_decimal=Decimal(30)), at(1, value_decimal=Decimal(10)), at(0, value_decimal=Decimal(25))]


@pytest.mark.parametrize(("rule", "expected"), [("last", 30), ("sum", 65), ("max", 30), ("mean", Decimal("21.666667"))])
def test_percent(rule, expected):
    assert aggregate("percent", rule, NUMBERS) == {"value_decimal": Decimal(expected)}


def test_mean_of_counts_is_rounded_half_up_to_whole():
    assert aggregate("count", "mean", [at(0, value_decimal=Decimal(1)), at(1, value_decimal=Decimal(2))]) == {
        "value_decimal": Decimal(2)}


def test_last_tie_goes_to_the_later_received():
    points = [at(0, order=2, value_decimal=Decimal(7)), at(0, order=1, value_decimal=Decimal(9))]
    assert aggregate("count", "last", points) == {"value_decimal": Decimal(7)}


RATIOS = [at(0, numerator=1, denominator=4), at(2, numerator=3, denominator=4), at(1, numerator=9, denominator=10)]


@pytest.mark.parametrize(("rule", "expected"), [("last", (3, 4)), ("sum", (13, 18)), ("max", (9, 10)),
                                                ("mean", (4, 6))])
def test_ratio(rule, expected):
    assert aggregate("ratio", rule, RATIOS) == {"numerator": expected[0], "denominator": expected[1]}


def test_boolean_max_is_any_yes_and_last_the_latest():
    points = [at(0, value_bool=True), at(1, value_bool=False)]
    assert aggregate("boolean", "max", points) == {"value_bool": True}
    assert aggregate("boolean", "last", points) == {"value_bool": False}
