"""Agencies that report the same value share one entry (core._classify runs once per distinct value).

The sharing must be invisible: every line is what the value alone would give, whatever the
order of the values, the cap on shared values, or values that cannot be shared.
"""

from decimal import Decimal

import pytest

from assessments.scores.scoring import Reason, ResultStatus, compute_scores, core
from tests.scores.scoring.builders import P2025, D, agency, by_code, ind, line, one_pillar, val

FW = one_pillar(ind("I1"), ind("B", type="boolean", norm={"method": "boolean"}))


def _lines(results):
    return {r.agency_code: tuple(r.breakdown) for r in results}


def test_plain_tuples_from_a_cursor_score_like_value_specs():
    agencies = [agency("A"), agency("B")]
    specs = [val("A", "I1", D("40")), val("B", "I1", D("40")), val("A", "B", b=True), val("B", "B", b=False)]
    as_specs = compute_scores(FW, agencies, specs, P2025)
    as_tuples = compute_scores(FW, agencies, [tuple(v) for v in specs], P2025)
    assert _lines(as_specs) == _lines(as_tuples)
    assert [r.index for r in as_specs] == [r.index for r in as_tuples]


def test_equal_values_give_equal_lines_and_different_ones_do_not():
    agencies = [agency(c) for c in "ABC"]
    values = [val("A", "I1", D("40")), val("B", "I1", D("40.000000")), val("C", "I1", D("41"))]
    scores = by_code(compute_scores(FW, agencies, values, P2025))
    assert line(scores["A"], "I1").s == line(scores["B"], "I1").s == D("0.4")
    assert line(scores["C"], "I1").s == D("0.41")
    assert line(scores["B"], "I1").points == D("4.0000")


def test_a_status_is_part_of_what_is_shared():
    agencies = [agency("A"), agency("B")]
    values = [val("A", "I1", D("40"), status="verified"), val("B", "I1", D("40"), status="draft")]
    scores = by_code(compute_scores(FW, agencies, values, P2025))
    assert line(scores["A"], "I1").status is ResultStatus.COUNTED
    assert line(scores["B"], "I1").status is ResultStatus.MISSING
    assert line(scores["B"], "I1").reason == Reason.DRAFT
    assert scores["A"].verified_share == D("0.5") and scores["B"].verified_share == 0


def test_a_signalling_nan_is_an_invalid_value_not_a_crash():
    agencies = [agency("A"), agency("B")]
    values = [val("A", "I1", Decimal("sNaN")), val("B", "I1", D("50"))]
    scores = by_code(compute_scores(FW, agencies, values, P2025))
    assert line(scores["A"], "I1").status is ResultStatus.MISSING
    assert line(scores["A"], "I1").reason == Reason.INVALID
    assert line(scores["B"], "I1").s == D("0.5")


def test_values_beyond_the_sharing_cap_are_still_scored_exactly(monkeypatch):
    monkeypatch.setattr(core, "_SHARED_PER_INDICATOR", 2)
    agencies = [agency(f"A{i}") for i in range(6)]
    values = [val(f"A{i}", "I1", D(10 * i)) for i in range(6)] + [val("A0", "B", b=True), val("A5", "B", b=True)]
    scores = by_code(compute_scores(FW, agencies, values, P2025))
    for i in range(6):
        assert line(scores[f"A{i}"], "I1").s == D(10 * i) / 100
        assert line(scores[f"A{i}"], "I1").points == (D(10 * i) / 10).quantize(D("0.0001"))
    assert line(scores["A5"], "B").s == 1


@pytest.mark.parametrize("order", [1, -1])
def test_relative_indicators_are_normalized_per_group_even_when_shared(order):
    fw = one_pillar(ind("R", norm={"method": "relative_to_best"}))
    agencies = [agency("A", kind="department", parent="P1"), agency("B", kind="department", parent="P1"),
                agency("C", kind="department", parent="P2"), agency("D", kind="department", parent="P2")]
    values = [val("A", "R", D("20")), val("B", "R", D("40")), val("C", "R", D("20")), val("D", "R", D("80"))]
    scores = by_code(compute_scores(fw, agencies, values[::order], P2025))
    # One reported value (20), two groups: s = 20 / 40 in the first and 20 / 80 in the second.
    assert line(scores["A"], "R").s == D("0.5")
    assert line(scores["C"], "R").s == D("0.25")


def test_decimal_text_as_a_cursor_gives_it_scores_like_the_decimal():
    agencies = [agency("A"), agency("B"), agency("C"), agency("D")]
    values = [val("A", "I1", D("84.6")), val("B", "I1", "84.600000"), val("C", "I1", "abc"), val("D", "I1", "NaN")]
    scores = by_code(compute_scores(FW, agencies, values, P2025))
    assert line(scores["B"], "I1").s == line(scores["A"], "I1").s == D("0.846")
    assert scores["B"].index == scores["A"].index
    for bad in "CD":
        assert line(scores[bad], "I1").reason == Reason.INVALID
        assert line(scores[bad], "I1").status is ResultStatus.MISSING
