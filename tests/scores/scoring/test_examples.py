"""Worked examples of shared/spec/scoring.md, each computed by hand in the comments."""

import datetime
from decimal import localcontext

import pytest

from assessments.scores.scoring import (
    SCORING_CONTEXT,
    FrameworkError,
    LineageSpec,
    Reason,
    ResultStatus,
    compute_scores,
)

from .builders import P2025, D, agency, by_code, framework, ind, line, one_pillar, pillar, val

BANDS = {"method": "bands", "bands": [[20, 0.25], [50, 0.5], [80, 1]]}


def score_one(indicator, value, kind="province"):
    """The breakdown line of a lone agency A for one indicator and one value."""
    [result] = compute_scores(one_pillar(indicator), [agency("A", kind)], [value], P2025)
    return result, line(result, indicator.code)


# ------------------------------------------------------------------------------ §2 methods


@pytest.mark.parametrize(("v", "s"), [(50, "0.5"), (10, "0"), (20, "0"), (80, "1"), (90, "1"), (35, "0.25")])
def test_linear_higher_is_better(v, s):
    # floor 20, target 80: s = clamp((v - 20) / 60, 0, 1); 50 -> 30/60 = 0.5, 35 -> 15/60 = 0.25
    result, r = score_one(ind("I", norm={"method": "linear", "floor": 20, "target": 80}), val("A", "I", v))
    assert r.status is ResultStatus.COUNTED
    assert r.s == D(s)
    assert r.points == D(s) * 10
    assert result.index == D(s)


@pytest.mark.parametrize(("v", "s"), [(4, "0.6"), (0, "1"), (10, "0"), (12, "0"), (1, "0.9")])
def test_linear_lower_is_better(v, s):
    # floor 10 incidents, target 0: s = clamp((v - 10) / (0 - 10), 0, 1); 4 -> -6 / -10 = 0.6
    norm = {"method": "linear", "floor": 10, "target": 0}
    _, r = score_one(ind("I", type="count", norm=norm), val("A", "I", v))
    assert r.s == D(s)


@pytest.mark.parametrize(("b", "s"), [(True, 1), (False, 0)])
def test_boolean(b, s):
    _, r = score_one(ind("I", type="boolean", norm={"method": "boolean"}), val("A", "I", b=b))
    assert r.status is ResultStatus.COUNTED  # a "no" is a counted 0, not missing
    assert (r.v, r.s) == (D(s), D(s))


@pytest.mark.parametrize(("v", "s"), [(10, "0"), (19.99, "0"), (20, "0.25"), (49, "0.25"), (50, "0.5"),
                                      (79.9, "0.5"), (80, "1"), (100, "1")])
def test_bands_take_the_largest_threshold_at_or_below_v(v, s):
    _, r = score_one(ind("I", norm=BANDS), val("A", "I", v))
    assert r.s == D(s)


def test_relative_to_best_within_the_peer_group():
    # provinces: best counted value is 80 -> A 40/80 = 0.5, B 1, C 0/80 = 0.
    # M is central, alone in its group -> 200/200 = 1. E's draft of 1000 does not count,
    # nor does the value of F, which no longer exists at the end of 2025.
    fw = one_pillar(ind("I", type="count", norm={"method": "relative_to_best"}))
    agencies = [agency("A"), agency("B"), agency("C"), agency("E"), agency("M", "ministry"),
                agency("F", valid_to=datetime.date(2025, 6, 30))]
    values = [val("A", "I", 40), val("B", "I", 80, "verified"), val("C", "I", 0), val("E", "I", 1000, "draft"),
              val("M", "I", 200), val("F", "I", 1000)]
    res = by_code(compute_scores(fw, agencies, values, P2025))
    assert {c: line(r, "I").s for c, r in res.items()} == {"A": D("0.5"), "B": 1, "C": 0, "E": 0, "M": 1}
    assert line(res["E"], "I").status is ResultStatus.MISSING
    assert "F" not in res
    assert res["M"].group == "central" and res["A"].group == "provincial"


def test_relative_to_best_when_the_best_is_zero():
    fw = one_pillar(ind("I", type="count", norm={"method": "relative_to_best"}))
    res = compute_scores(fw, [agency("A"), agency("B")], [val("A", "I", 0), val("B", "I", 0)], P2025)
    assert [(line(r, "I").status, line(r, "I").s) for r in res] == [(ResultStatus.COUNTED, 0)] * 2


def test_relative_to_best_negative_value_is_invalid_not_zero():
    # a level scale from -5 lets a negative v through value_of; relative_to_best needs v >= 0.
    # B's -2 is missing (invalid) and stays out of the max: A = 4 / 4 = 1.
    fw = one_pillar(ind("I", type="level", norm={"method": "relative_to_best"}, min_level=-5, max_level=5))
    res = by_code(compute_scores(fw, [agency("A"), agency("B")], [val("A", "I", 4), val("B", "I", -2)], P2025))
    assert line(res["A"], "I").s == 1
    b = line(res["B"], "I")
    assert (b.status, b.reason, b.s, b.value_status) == (ResultStatus.MISSING, Reason.INVALID, 0, "submitted")
    assert "v >= 0" in b.detail


def test_minmax_per_subunit_group():
    # departments under X: 20, 60, 100 -> (v - 20) / 80 = 0, 0.5, 1.
    # departments under Y: both 30 -> max == min -> 1 each. Under Z: alone -> 1.
    fw = one_pillar(ind("I", norm={"method": "minmax"}))
    agencies = [agency("D1", "department", "X"), agency("D2", "department", "X"), agency("D3", "department", "X"),
                agency("D4", "department", "Y"), agency("D5", "department", "Y"), agency("D6", "department", "Z"),
                agency("D7", "department", "Z")]
    values = [val("D1", "I", 20), val("D2", "I", 60), val("D3", "I", 100), val("D4", "I", 30), val("D5", "I", 30),
              val("D6", "I", 5), val("D7", "I", 99, "rejected")]
    res = by_code(compute_scores(fw, agencies, values, P2025))
    assert {c: line(r, "I").s for c, r in res.items()} == {
        "D1": 0, "D2": D("0.5"), "D3": 1, "D4": 1, "D5": 1, "D6": 1, "D7": 0}
    assert res["D1"].group == "department:X" and res["D6"].group == "department:Z"
    assert line(res["D7"], "I").reason is Reason.REJECTED


def test_ratio():
    # 3 / 4 -> v = 75 -> s = 0.75 -> 7.5 of 10 points
    _, r = score_one(ind("I", type="ratio"), val("A", "I", num=3, den=4))
    assert (r.v, r.s, r.points) == (D(75), D("0.75"), D("7.5000"))


def test_ratio_rounding_points_4_and_index_6():
    # 1 / 3 -> v = 33.33..., s = 0.3333..., points 3.3333 (4 dp), index 0.333333 (6 dp)
    result, r = score_one(ind("I", type="ratio"), val("A", "I", num=1, den=3))
    assert r.points == D("3.3333") and str(r.points) == "3.3333"
    assert str(result.index) == "0.333333"
    assert result.index_exact == SCORING_CONTEXT.divide(1, 3)  # 34 digits kept beside the stored value
    # 2 / 3 -> 6.6666... -> 6.6667; 0.666666... -> 0.666667 (half up)
    result, r = score_one(ind("I", type="ratio"), val("A", "I", num=2, den=3))
    assert (str(r.points), str(result.index)) == ("6.6667", "0.666667")


def test_ratio_with_denominator_zero_is_missing_not_a_division_by_zero():
    result, r = score_one(ind("I", type="ratio"), val("A", "I", num=0, den=0))
    assert (r.status, r.reason, r.s, r.points, r.max_points) == (
        ResultStatus.MISSING, Reason.INVALID, 0, 0, D(10))
    assert r.detail == "denominator is 0"
    assert result.index == 0 and result.max_points == 10


@pytest.mark.parametrize(("indicator", "value", "detail"), [
    (ind("I"), val("A", "I", 100.5), "between 0 and 100"),
    (ind("I"), val("A", "I", -1), "between 0 and 100"),
    (ind("I"), val("A", "I", float("nan")), "not a finite number"),
    (ind("I"), val("A", "I"), "no number"),
    (ind("I", type="count"), val("A", "I", 2.5), "whole number"),
    (ind("I", type="count"), val("A", "I", -3), ">= 0"),
    (ind("I", type="level", min_level=0, max_level=5), val("A", "I", 6), "above max_level"),
    (ind("I", type="level", min_level=1, max_level=5), val("A", "I", 0), "below min_level"),
    (ind("I", type="boolean", norm={"method": "boolean"}), val("A", "I", 1), "yes/no"),
    (ind("I", type="ratio"), val("A", "I", num=1), "numerator and denominator"),
])
def test_invalid_counted_values_are_missing_with_a_reason(indicator, value, detail):
    _, r = score_one(indicator, value)
    assert (r.status, r.reason, r.s) == (ResultStatus.MISSING, Reason.INVALID, 0)
    assert detail in r.detail


# ------------------------------------------------------------------------------ §3 index


def weighted_example(weight_a=None, weight_b=None, weight_c=None):
    return framework(
        pillar("A", ind("a1", "A", max_points=10), ind("a2", "A", max_points=30), weight=weight_a),
        pillar("B", ind("b1", "B", max_points=60), weight=weight_b),
        # C is for ministries only: for a province its max is 0 and it drops out of both formulas
        pillar("C", ind("c1", "C", max_points=50, applies_to=("ministry",)), weight=weight_c),
    )


WEIGHTED_VALUES = [val("P1", "a1", 100), val("P1", "a2", 50), val("P1", "b1", 25), val("P1", "c1", 100)]


def test_unweighted_index():
    # points 10*1 + 30*0.5 + 60*0.25 = 10 + 15 + 15 = 40 of 100 -> 0.4; c1 not applicable
    [r] = compute_scores(weighted_example(), [agency("P1")], WEIGHTED_VALUES, P2025)
    assert (r.points, r.max_points, r.index) == (D(40), D(100), D("0.4"))
    assert [(p.code, p.points, p.max_points, p.index) for p in r.pillars] == [
        ("A", 25, 40, D("0.625")), ("B", 15, 60, D("0.25")), ("C", 0, 0, 0)]


def test_weighted_index():
    # pillar A 25/40 = 0.625 (w 2), B 15/60 = 0.25 (w 1), C max 0 -> left out despite w 5:
    # (2 * 0.625 + 1 * 0.25) / (2 + 1) = 1.5 / 3 = 0.5. Total points still 40.
    [r] = compute_scores(weighted_example(2, 1, 5), [agency("P1")], WEIGHTED_VALUES, P2025)
    assert (r.index, r.points, r.max_points) == (D("0.5"), D(40), D(100))


def test_equal_weights_give_the_mean_of_pillar_indexes_not_the_unweighted_index():
    # w = 1 everywhere: (0.625 + 0.25) / 2 = 0.4375, while sum p / sum max = 0.4 (maxes 40 vs 60 differ)
    [r] = compute_scores(weighted_example(1, 1, 1), [agency("P1")], WEIGHTED_VALUES, P2025)
    assert r.index == D("0.4375")


def test_mixed_weights_are_rejected():
    with pytest.raises(FrameworkError, match="every pillar"):
        compute_scores(weighted_example(1, None, 1), [agency("P1")], [], P2025)


# ------------------------------------------------------------------------------ §4 statuses


def test_missing_vs_not_applicable_vs_draft_and_rejected():
    fw = one_pillar(*[ind(f"I{i}") for i in range(1, 6)], ind("I6", applies_to=("ministry",)), ind("I7"))
    values = [
        val("A", "I1", 100),  # counted, 10 points
        val("A", "I2", 50, "verified"),  # counted, 5 points, verified
        val("A", "I3", 100, "draft"),  # missing: drafts do not count
        val("A", "I4", 100, "rejected"),  # missing: rejected
        val("A", "I5", None, "not_applicable"),  # accepted N/A: out of points and max
        val("A", "I6", 100),  # the indicator is for ministries only: N/A whatever was sent
        # I7: nothing reported -> missing
    ]
    [r] = compute_scores(fw, [agency("A")], values, P2025)
    assert (r.points, r.max_points, r.index) == (D(15), D(50), D("0.3"))  # 15 / (5 applicable * 10)
    assert r.verified_share == D("0.2")  # 1 verified of 5 applicable
    assert r.missing == ("I3", "I4", "I7")
    got = {x.indicator_code: (x.status, x.reason, x.value_status, x.s, x.points, x.max_points) for x in r.breakdown}
    assert got == {
        "I1": (ResultStatus.COUNTED, Reason.COUNTED, "submitted", 1, 10, 10),
        "I2": (ResultStatus.COUNTED, Reason.COUNTED, "verified", D("0.5"), 5, 10),
        "I3": (ResultStatus.MISSING, Reason.DRAFT, "draft", 0, 0, 10),
        "I4": (ResultStatus.MISSING, Reason.REJECTED, "rejected", 0, 0, 10),
        "I5": (ResultStatus.NOT_APPLICABLE, Reason.NA_ACCEPTED, "not_applicable", None, None, None),
        "I6": (ResultStatus.NOT_APPLICABLE, Reason.KIND_NOT_ASSESSED, "submitted", None, None, None),
        "I7": (ResultStatus.MISSING, Reason.NO_VALUE, None, 0, 0, 10),
    }


def test_breakdown_keeps_catalog_order_and_legal_basis():
    fw = framework(pillar("Q", ind("q2", "Q", legal_basis=("ND-45 art. 3",)), ind("q1", "Q")),
                   pillar("P", ind("p1", "P")))
    [r] = compute_scores(fw, [agency("A")], [val("A", "p1", 1), val("A", "q1", 1)], P2025)
    assert [x.indicator_code for x in r.breakdown] == ["q2", "q1", "p1"]
    assert r.breakdown[0].legal_basis == ("ND-45 art. 3",)


# ------------------------------------------------------------------------------ edge cases


def test_all_max_points_zero():
    fw = one_pillar(ind("I", max_points=0), ind("J", max_points=0))
    [r] = compute_scores(fw, [agency("A")], [val("A", "I", 80, "verified")], P2025)
    assert (r.index, r.points, r.max_points, r.level, r.rank) == (0, 0, 0, "starting", 1)
    assert line(r, "I").s == D("0.8") and line(r, "I").points == 0
    assert r.verified_share == D("0.5")  # still 1 verified of 2 applicable


def test_period_without_values():
    fw = one_pillar(ind("I"), ind("J"))
    res = compute_scores(fw, [agency("A"), agency("B")], iter(()), P2025)
    assert [(r.agency_code, r.index, r.rank, r.level, r.missing) for r in res] == [
        ("A", 0, 1, "starting", ("I", "J")), ("B", 0, 1, "starting", ("I", "J"))]


def test_agency_with_every_indicator_not_applicable():
    fw = one_pillar(ind("I", applies_to=("ministry",)), ind("J", applies_to=("commune",)))
    [r] = compute_scores(fw, [agency("A")], [val("A", "I", 100, "verified")], P2025)
    assert (r.index, r.points, r.max_points, r.verified_share) == (0, 0, 0, 0)
    assert r.pillars[0].index == 0


def test_only_agencies_active_on_the_last_day_are_scored():
    fw = one_pillar(ind("I"))
    agencies = [agency("OLD", valid_to=datetime.date(2025, 12, 30)),
                agency("END", valid_to=datetime.date(2025, 12, 31)),  # active on 31 Dec: scored
                agency("NEW", valid_from=datetime.date(2025, 12, 31)),
                agency("LATE", valid_from=datetime.date(2026, 1, 1))]
    values = [val(c, "I", 50) for c in ("OLD", "END", "NEW", "LATE", "GHOST")] + [val("END", "UNKNOWN", 1)]
    assert [r.agency_code for r in compute_scores(fw, agencies, values, P2025)] == ["END", "NEW"]


def test_values_may_come_from_a_generator():
    fw = one_pillar(ind("I", norm={"method": "minmax"}), ind("J"))

    def rows():
        yield from (val("A", "I", 10), val("B", "I", 30), val("A", "J", 40), val("C", "I", 20))

    res = by_code(compute_scores(fw, [agency("A"), agency("B"), agency("C")], rows(), P2025))
    assert [line(res[c], "I").s for c in "ABC"] == [0, 1, D("0.5")]


def test_caller_errors_raise():
    fw = one_pillar(ind("I"))
    with pytest.raises(ValueError, match="two values"):
        compute_scores(fw, [agency("A")], [val("A", "I", 1), val("A", "I", 2, "draft")], P2025)
    with pytest.raises(ValueError, match="two agencies"):
        compute_scores(fw, [agency("A"), agency("A")], [], P2025)
    with pytest.raises(FrameworkError, match="target must differ"):
        compute_scores(one_pillar(ind("I", norm={"method": "linear", "floor": 5, "target": 5})), [], [], P2025)


def test_result_does_not_depend_on_the_callers_decimal_context():
    fw = one_pillar(ind("I", type="ratio"))
    args = (fw, [agency("A")], [val("A", "I", num=1, den=3)], P2025)
    expected = compute_scores(*args)
    with localcontext() as ctx:
        ctx.prec = 3
        assert compute_scores(*args) == expected


# ------------------------------------------------------------------------------ §5 ranking


def test_ranking_1224_on_six_decimals_ties_by_code():
    # v / 100 with max 1: Z 0.1234564 and B 0.1234561 both store 0.123456 -> tie, listed B, Z;
    # C 0.1234565 stores 0.123457 (half up) -> first; D 0.05 -> 4th (rank 3 is skipped)
    fw = one_pillar(ind("I", max_points=1))
    values = [val("Z", "I", 12.34564), val("B", "I", 12.34561), val("C", "I", 12.34565), val("D", "I", 5)]
    res = compute_scores(fw, [agency(c) for c in "ZBCD"], values, P2025)
    assert [(r.agency_code, str(r.index), r.rank) for r in res] == [
        ("C", "0.123457", 1), ("B", "0.123456", 2), ("Z", "0.123456", 2), ("D", "0.050000", 4)]
    assert res[2].index_exact == D("0.1234564")


def test_ranking_is_within_each_peer_group():
    fw = one_pillar(ind("I"))
    agencies = [agency("P1"), agency("P2"), agency("M1", "ministry"), agency("G1", "government_agency"),
                agency("D1", "district", "P1"), agency("D2", "district", "P1"), agency("D3", "district", "P2")]
    values = [val("P1", "I", 10), val("P2", "I", 90), val("M1", "I", 50), val("G1", "I", 60),
              val("D1", "I", 70), val("D2", "I", 70), val("D3", "I", 1)]
    res = compute_scores(fw, agencies, values, P2025)
    assert [(r.group, r.agency_code, r.rank) for r in res] == [
        ("central", "G1", 1), ("central", "M1", 2),
        ("provincial", "P2", 1), ("provincial", "P1", 2),
        ("district:P1", "D1", 1), ("district:P1", "D2", 1),
        ("district:P2", "D3", 1)]


# ------------------------------------------------------------------------------ §6 levels


@pytest.mark.parametrize(("v", "level"), [
    (0, "starting"), (24.9999, "starting"), (25, "developing"), (24.99995, "developing"),  # stored 0.250000
    (49.9999, "developing"), (50, "advanced"), (74.9999, "advanced"), (75, "leading"), (100, "leading")])
def test_default_levels_boundaries_belong_to_the_upper_level(v, level):
    [r] = compute_scores(one_pillar(ind("I", max_points=1)), [agency("A")], [val("A", "I", v)], P2025)
    assert r.level == level


def test_framework_levels():
    levels = [{"below": 0.6, "code": "low"}, {"code": "high"}]
    fw = one_pillar(ind("I"), levels=levels)
    res = by_code(compute_scores(fw, [agency("A"), agency("B")], [val("A", "I", 59), val("B", "I", 60)], P2025))
    assert (res["A"].level, res["B"].level) == ("low", "high")


# ------------------------------------------------------------------------------ §7 delta


def scored(codes_and_values, previous, lineage=(), **kw):
    fw = one_pillar(ind("I", max_points=1))
    values = [val(c, "I", v) for c, v in codes_and_values]
    return by_code(compute_scores(fw, [agency(c) for c, _ in codes_and_values], values, P2025,
                                  previous, lineage, **kw))


def merged(pred, succ, day=datetime.date(2025, 7, 1), weight=None):
    return LineageSpec(pred, succ, day, weight)


def test_delta_same_agency():
    res = scored([("A", 70), ("N", 70)], {"A": D("0.4")})
    assert res["A"].delta == D("0.3") and res["A"].previous_index == D("0.4")
    assert res["N"].delta is None  # not scored last period, no predecessors


def test_delta_of_a_merged_agency_is_against_the_mean_of_its_predecessors():
    # A (0.4) and B (0.6) merge into C on 1 July 2025: previous = (0.4 + 0.6) / 2 = 0.5; 0.7 - 0.5 = 0.2
    res = scored([("C", 70)], {"A": 0.4, "B": 0.6}, [merged("A", "C"), merged("B", "C")])
    assert (res["C"].previous_index, res["C"].delta) == (D("0.5"), D("0.2"))


def test_delta_with_lineage_weights():
    # weights 3 and 1: (3 * 0.4 + 1 * 0.6) / 4 = 1.8 / 4 = 0.45; 0.7 - 0.45 = 0.25
    res = scored([("C", 70)], {"A": 0.4, "B": 0.6}, [merged("A", "C", weight=3), merged("B", "C", weight=D(1))])
    assert res["C"].delta == D("0.25")


def test_delta_of_an_agency_that_absorbed_another_includes_itself():
    # B merges into A, A was scored: (0.4 [A, weight 1] + 0.6 [B]) / 2 = 0.5; A now 0.9 -> 0.4
    res = scored([("A", 90)], {"A": 0.4, "B": 0.6}, [merged("B", "A")])
    assert res["A"].delta == D("0.4")


def test_lineage_window_is_after_previous_end_up_to_this_end():
    prev = {"A": 0.4, "B": 0.6}
    for day, expected in [(datetime.date(2024, 12, 31), None), (datetime.date(2025, 1, 1), D("0.2")),
                          (datetime.date(2025, 12, 31), D("0.2")), (datetime.date(2026, 1, 1), None)]:
        res = scored([("C", 70)], prev, [merged("A", "C", day), merged("B", "C", day)])
        assert res["C"].delta == expected, day
    # a gap year: the previous period ended 2023-12-31, so a 2024 merger counts
    res = scored([("C", 70)], prev, [merged("A", "C", datetime.date(2024, 3, 1))],
                 previous_period_end=datetime.date(2023, 12, 31))
    assert res["C"].delta == D("0.3")


def test_members_not_scored_previously_are_left_out():
    res = scored([("C", 70), ("E", 70)], {"A": 0.4},
                 [merged("A", "C"), merged("X", "C"), merged("Y", "E"), merged("Z", "E")])
    assert res["C"].delta == D("0.3")  # only A counts
    assert res["E"].delta is None  # nobody left


def test_delta_of_a_non_terminating_mean_is_rounded_to_six_decimals():
    # (0.1 + 0.2 + 0.4) / 3 = 0.2333...; 0.5 - 0.2333... = 0.266666... -> 0.266667
    res = scored([("C", 50)], {"A": 0.1, "B": 0.2, "C": 0.4}, [merged("A", "C"), merged("B", "C")])
    assert str(res["C"].delta) == "0.266667"
    res = scored([("C", 10)], {"A": 0.1, "B": 0.2, "C": 0.4}, [merged("A", "C"), merged("B", "C")])
    assert str(res["C"].delta) == "-0.133333"
