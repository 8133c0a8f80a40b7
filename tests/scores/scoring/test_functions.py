"""The small pure functions a streaming or SQL implementation reuses."""

import datetime
from decimal import Decimal

import pytest

from assessments.scores.scoring import (
    FrameworkError,
    GroupStats,
    InvalidValue,
    LineageSpec,
    combine_index,
    level_for,
    normalize,
    peer_group,
    pillar_index,
    previous_index_for,
    rank_1224,
    round_index,
    round_points,
    validate_framework,
    value_of,
)

from .builders import D, framework, ind, pillar, val


def stats(*vs):
    g = GroupStats()
    for v in vs:
        g.add(D(v))
    return g


def test_normalize_each_method():
    assert normalize({"method": "linear", "floor": 20, "target": 80}, 50) == D("0.5")
    assert normalize({"method": "linear", "floor": 10, "target": 0}, 4) == D("0.6")
    assert normalize({"method": "boolean"}, 1) == 1 and normalize({"method": "boolean"}, 0) == 0
    bands = {"method": "bands", "bands": [[0, 0.1], [50, 0.5]]}
    assert (normalize(bands, -1), normalize(bands, 0), normalize(bands, 49.9), normalize(bands, 50)) == (
        0, D("0.1"), D("0.1"), D("0.5"))
    assert normalize({"method": "relative_to_best"}, 30, stats(30, 60)) == D("0.5")
    assert normalize({"method": "relative_to_best"}, 0, stats(0, 0)) == 0
    assert normalize({"method": "minmax"}, 40, stats(20, 40, 100)) == D("0.25")
    assert normalize({"method": "minmax"}, 7, stats(7, 7)) == 1


def test_relative_methods_need_group_stats_and_non_negative_v():
    with pytest.raises(ValueError, match="GroupStats"):
        normalize({"method": "minmax"}, 1)
    with pytest.raises(InvalidValue):
        normalize({"method": "relative_to_best"}, -1, stats(-1, 5))


@pytest.mark.parametrize("norm", [
    {"method": "nope"}, {"method": "linear", "floor": 1}, {"method": "linear", "floor": 1, "target": 1},
    {"method": "bands", "bands": []}, {"method": "bands", "bands": [[5, 0.5], [5, 1]]},
    {"method": "bands", "bands": [[5, 1.5]]}, {"method": "linear", "floor": 0, "target": float("inf")},
])
def test_bad_normalizations_are_framework_errors(norm):
    with pytest.raises(FrameworkError):
        validate_framework(framework(pillar("P", ind("I", norm=norm))))


def test_bad_frameworks():
    with pytest.raises(FrameworkError, match="duplicate indicator"):
        validate_framework(framework(pillar("P", ind("I"), ind("I"))))
    with pytest.raises(FrameworkError, match="says pillar"):
        validate_framework(framework(pillar("P", ind("I", pillar="Q"))))
    with pytest.raises(FrameworkError, match="unknown type"):
        validate_framework(framework(pillar("P", ind("I", type="money"))))
    with pytest.raises(FrameworkError, match="above 0"):
        validate_framework(framework(pillar("P", ind("I"), weight=0)))
    with pytest.raises(FrameworkError, match="ascending"):
        validate_framework(framework(pillar("P", ind("I")), levels=[{"below": 0.5, "code": "a"},
                                                                     {"below": 0.4, "code": "b"}, {"code": "c"}]))


def test_value_of():
    assert value_of(ind("I", type="ratio"), val("A", "I", num=1, den=8)) == D("12.5")
    assert value_of(ind("I", type="boolean"), val("A", "I", b=False)) == 0
    assert value_of(ind("I", type="level", min_level=1, max_level=5), val("A", "I", 5)) == 5
    assert value_of(ind("I"), val("A", "I", 0.1)) == D("0.1")  # floats read through their repr
    with pytest.raises(InvalidValue, match="denominator is 0"):
        value_of(ind("I", type="ratio"), val("A", "I", num=0, den=0))


def test_peer_group():
    assert [peer_group(k, "X") for k in ("ministry", "ministerial_agency", "government_agency", "province")] == [
        "central", "central", "central", "provincial"]
    assert peer_group("commune", "D7") == "commune:D7"
    assert peer_group("unit", None) == "unit:"


def test_rank_1224():
    assert rank_1224([("d", 0.3), ("a", 0.8), ("c", 0.5), ("b", 0.8)]) == [("a", 1), ("b", 1), ("c", 3), ("d", 4)]
    # equal at 6 decimals: a tie; 0.0000005 rounds up, so it beats 0.0000004
    assert rank_1224([("x", D("0.1234564")), ("w", D("0.1234561")), ("v", D("0.0000005")), ("u", 0.0000004)]) == [
        ("w", 1), ("x", 1), ("v", 3), ("u", 4)]
    assert rank_1224([]) == []


def test_rounding_is_half_up():
    assert str(round_index(D("0.0000005"))) == "0.000001"
    assert str(round_index(D("-0.0000005"))) == "-0.000001"
    assert str(round_index(0.1234565)) == "0.123457"  # Python's round() gives 0.123456 here
    assert str(round_points(D("2.00005"))) == "2.0001"


@pytest.mark.parametrize(("index", "level"), [
    (0, "starting"), (D("0.249999"), "starting"), (D("0.25"), "developing"), (0.25, "developing"),
    (D("0.499999"), "developing"), (0.5, "advanced"), (D("0.749999"), "advanced"), (D("0.75"), "leading"),
    (1, "leading")])
def test_level_for_default_levels(index, level):
    assert level_for(index) == level


def test_level_for_levels_with_inexact_float_bounds():
    levels = [{"below": 0.1, "code": "a"}, {"code": "b"}]
    assert level_for(D("0.1"), levels) == "b"  # the bound is 0.1 exactly, not the float just above it
    assert level_for(D("0.099999"), levels) == "a"


def test_combine_index():
    # unweighted: (3 + 1) / (4 + 4) = 0.5; weighted (1, 3): (0.75 + 3 * 0.25) / 4 = 0.375
    assert combine_index([(3, 4), (1, 4)]) == D("0.5")
    assert combine_index([(3, 4), (1, 4)], [1, 3]) == D("0.375")
    assert combine_index([(0, 0), (0, 0)]) == 0 and combine_index([(0, 0)], [2]) == 0
    assert combine_index([]) == 0
    assert (pillar_index(3, 4), pillar_index(0, 0)) == (D("0.75"), 0)


def test_previous_index_for():
    june = datetime.date(2025, 6, 1)
    window = {"previous_end": datetime.date(2024, 12, 31), "period_end": datetime.date(2025, 12, 31)}
    prev = {"A": D("0.4"), "B": D("0.6"), "S": D("0.1"), "N": None}
    assert previous_index_for("S", prev, [], **window) == D("0.1")
    assert previous_index_for("N", prev, [], **window) is None
    links = [LineageSpec("A", "S", june, 2), LineageSpec("B", "S", june), LineageSpec("A", "OTHER", june, 9)]
    # (2 * 0.4 + 0.6 + 0.1 [S itself]) / 4 = 1.5 / 4
    assert previous_index_for("S", prev, links, **window) == D("0.375")
    # the same code kept through a merger counts once, with the record's weight: (3 * 0.1 + 0.4) / 4
    assert previous_index_for("S", prev, [LineageSpec("S", "S", june, 3), LineageSpec("A", "S", june)],
                              **window) == D("0.175")
    assert previous_index_for("S", prev, [LineageSpec("A", "S", june, 0)], **window) == D("0.1")
    assert previous_index_for("Q", prev, [LineageSpec("A", "Q", june, Decimal(0))], **window) is None
    with pytest.raises(ValueError, match="weight"):
        LineageSpec("A", "S", june, -1)
