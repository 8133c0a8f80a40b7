"""Properties of the scoring engine over generated frameworks, agencies and values."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scores.scoring import (
    AgencySpec,
    FrameworkSpec,
    IndicatorSpec,
    PillarSpec,
    ResultStatus,
    ValueSpec,
    compute_scores,
    level_for,
    round_index,
)

from .builders import P2025, agency, line

# Per test, not a global profile: other suites in the same session keep their own settings.
# database=None: nothing is written to .hypothesis/examples by these tests.
FAST = settings(max_examples=200, deadline=None, database=None)

D = Decimal
KINDS = ("ministry", "government_agency", "province", "department", "commune")
APPLIES = ((), (), ("province",), ("ministry", "government_agency"), ("department", "commune"))
STATUSES = ("submitted", "submitted", "verified", "verified", "draft", "rejected", "not_applicable")
percents = st.decimals(min_value=0, max_value=100, places=3)
max_points = st.one_of(st.integers(0, 20), st.decimals(min_value=0, max_value=20, places=2))


@st.composite
def linear(draw, direction=None):
    a, b = draw(st.integers(0, 100)), draw(st.integers(0, 100))
    if a == b:
        b = a + 1
    floor, target = sorted((a, b))
    if direction == "down" or (direction is None and draw(st.booleans())):
        floor, target = target, floor
    return {"method": "linear", "floor": floor, "target": target}


@st.composite
def bands(draw, direction="up"):
    thresholds = draw(st.lists(st.integers(0, 100), min_size=1, max_size=4, unique=True))
    if direction == "down":
        # below every threshold s is 0, so descending scores are lower-is-better only when the
        # first threshold is the bottom of the scale (0 for a percent)
        thresholds = sorted({0, *thresholds})
    scores = draw(st.lists(st.decimals(0, 1, places=2), min_size=len(thresholds), max_size=len(thresholds)))
    scores = sorted(scores, reverse=direction == "down")
    return {"method": "bands", "bands": [[t, float(s)] for t, s in zip(sorted(thresholds), scores, strict=True)]}


@st.composite
def indicator_shapes(draw):
    """(type, normalization, min/max level kwargs, strategy for a ValueSpec's number fields)."""
    shape = draw(st.sampled_from(["percent", "bands", "count", "ratio", "boolean", "level", "best", "minmax"]))
    if shape == "percent":
        return "percent", draw(linear()), {}
    if shape == "bands":
        return "percent", draw(bands(draw(st.sampled_from(["up", "down"])))), {}
    if shape == "count":
        return "count", draw(linear()), {}
    if shape == "ratio":
        return "ratio", draw(linear()), {}
    if shape == "boolean":
        return "boolean", {"method": "boolean"}, {}
    if shape == "level":
        return "level", {"method": "linear", "floor": 1, "target": 5}, {"min_level": 1, "max_level": 5}
    method = "relative_to_best" if shape == "best" else "minmax"
    return draw(st.sampled_from(["percent", "count", "ratio"])), {"method": method}, {}


def _with_invalid(valid, invalid):
    """Valid numbers for a type, and about one time in four an invalid one."""
    return st.integers(0, 3).flatmap(lambda i: invalid if i == 0 else valid)


NUMBER_FIELDS = {
    "percent": _with_invalid(percents.map(lambda v: {"value": v}),
                             st.sampled_from([{"value": D(150)}, {"value": D(-1)}, {}])),
    "count": _with_invalid(st.integers(0, 200).map(lambda v: {"value": v}),
                           st.sampled_from([{"value": D("2.5")}, {"value": -4}])),
    "ratio": _with_invalid(st.tuples(st.integers(1, 50), st.integers(0, 50)).map(
        lambda t: {"numerator": min(t), "denominator": t[0]}), st.just({"numerator": 0, "denominator": 0})),
    "boolean": _with_invalid(st.booleans().map(lambda b: {"bool_value": b}), st.just({})),
    "level": _with_invalid(st.integers(1, 5).map(lambda v: {"value": v}), st.just({"value": 9})),
}


@st.composite
def frameworks(draw, weighted=None):
    weighted = draw(st.booleans()) if weighted is None else weighted
    pillars, k = [], 0
    for p in range(draw(st.integers(1, 3))):
        indicators = []
        for _ in range(draw(st.integers(1, 4))):
            t, norm, kw = draw(indicator_shapes())
            indicators.append(IndicatorSpec(f"I{k}", f"P{p}", t, norm, draw(max_points), draw(st.sampled_from(APPLIES)),
                                            **kw))
            k += 1
        weight = draw(st.decimals(min_value=D("0.5"), max_value=5, places=1)) if weighted else None
        pillars.append(PillarSpec(f"P{p}", f"pillar {p}", weight, tuple(indicators)))
    return FrameworkSpec("F", "1", None, tuple(pillars))


@st.composite
def agency_lists(draw):
    agencies = []
    for i in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(KINDS))
        parent = draw(st.sampled_from(["X", "Y"])) if kind in ("department", "commune") else None
        valid_to = draw(st.sampled_from([None, None, None, datetime.date(2025, 6, 30)]))
        agencies.append(AgencySpec(f"A{i}", kind, parent, datetime.date(2000, 1, 1), valid_to))
    return agencies


@st.composite
def values_for(draw, fw, agencies, statuses=STATUSES):
    values = []
    for a in agencies:
        for p in fw.pillars:
            for indicator in p.indicators:
                if draw(st.integers(0, 4)) == 0:
                    continue  # nothing reported
                status = draw(st.sampled_from(statuses))
                values.append(ValueSpec(a.code, indicator.code, status, **draw(NUMBER_FIELDS[indicator.type])))
    return values


@st.composite
def scenarios(draw):
    fw = draw(frameworks())
    agencies = draw(agency_lists())
    return fw, agencies, draw(values_for(fw, agencies))


# ------------------------------------------------------------------------------------ bounds


@FAST
@given(scenarios())
def test_index_in_unit_interval_and_points_within_max(scenario):
    fw, agencies, values = scenario
    results = compute_scores(fw, agencies, values, P2025)
    # only agencies active on 31 December are scored, each once
    assert sorted(r.agency_code for r in results) == sorted(a.code for a in agencies if a.valid_to is None)
    for r in results:
        assert 0 <= r.index_exact <= 1 and 0 <= r.index <= 1
        assert 0 <= r.verified_share <= 1
        assert 0 <= r.points <= r.max_points
        assert r.level == level_for(r.index)
        for x in r.breakdown:
            if x.status is ResultStatus.NOT_APPLICABLE:
                assert (x.s, x.points, x.max_points) == (None, None, None)
            else:
                assert 0 <= x.s <= 1 and 0 <= x.points <= x.max_points
            if x.status is ResultStatus.MISSING:
                assert x.points == 0 and x.v is None and x.reason
        for p in r.pillars:
            assert 0 <= p.points <= p.max_points and 0 <= p.index <= 1
        assert sum(p.max_points for p in r.pillars) == r.max_points


# ------------------------------------------------------------------------------------ ranking


@FAST
@given(scenarios())
def test_ranks_follow_1224_within_groups(scenario):
    fw, agencies, values = scenario
    results = compute_scores(fw, agencies, values, P2025)
    groups = defaultdict(list)
    for r in results:
        groups[r.group].append(r)
    for members in groups.values():
        for r in members:
            assert r.rank == 1 + sum(1 for o in members if o.index > r.index)
        # listed by rank, ties by code; ranks skip after ties
        assert [(r.rank, r.agency_code) for r in members] == sorted((r.rank, r.agency_code) for r in members)
        counts = Counter(r.rank for r in members)
        for rank, n in counts.items():
            nxt = [k for k in counts if k > rank]
            assert not nxt or min(nxt) == rank + n


@FAST
@given(st.lists(st.tuples(st.text("abcdef", min_size=1, max_size=3), st.decimals(0, 1, places=8)),
                unique_by=lambda t: t[0]))
def test_rank_1224_on_rounded_indexes(rows):
    from assessments.scores.scoring import rank_1224

    ranked = dict(rank_1224(rows))
    for code, ix in rows:
        assert ranked[code] == 1 + sum(1 for _, o in rows if round_index(o) > round_index(ix))


# ---------------------------------------------------------------------------------- invariance


@FAST
@given(scenarios(), st.randoms(use_true_random=False))
def test_order_of_input_and_generators_do_not_matter(scenario, rnd):
    fw, agencies, values = scenario
    expected = compute_scores(fw, agencies, values, P2025)
    shuffled_values, shuffled_agencies = list(values), list(agencies)
    rnd.shuffle(shuffled_values)
    rnd.shuffle(shuffled_agencies)
    assert compute_scores(fw, iter(shuffled_agencies), (v for v in shuffled_values), P2025) == expected


# ---------------------------------------------------------------------------------- monotonicity


@FAST
@given(st.data(), st.sampled_from(["up", "down"]))
def test_monotone_in_each_value(data, direction):
    """Raising one value never lowers (higher-is-better) / never raises (lower-is-better) s or the index."""
    n = data.draw(st.integers(1, 4))
    indicators = []
    for k in range(n):
        norm = data.draw(st.one_of(linear(direction), bands(direction)))
        indicators.append(IndicatorSpec(f"I{k}", "P", "percent", norm, data.draw(max_points)))
    weighted = data.draw(st.booleans())
    fw = FrameworkSpec("F", "1", None, (PillarSpec("P", "p", D(2) if weighted else None, tuple(indicators)),))
    others = [ValueSpec("A", f"I{k}", "submitted", data.draw(percents)) for k in range(1, n)]
    low, high = sorted((data.draw(percents), data.draw(percents)))
    [r_low] = compute_scores(fw, [agency("A")], [ValueSpec("A", "I0", "submitted", low), *others], P2025)
    [r_high] = compute_scores(fw, [agency("A")], [ValueSpec("A", "I0", "verified", high), *others], P2025)
    s_low, s_high = line(r_low, "I0").s, line(r_high, "I0").s
    if direction == "up":
        assert s_low <= s_high and r_low.index_exact <= r_high.index_exact
    else:
        assert s_low >= s_high and r_low.index_exact >= r_high.index_exact


# ------------------------------------------------------------------------------ weighted index


@FAST
@given(st.data())
def test_equal_weights_and_equal_pillar_max_give_the_unweighted_index(data):
    """With every weight equal, the weighted index is the mean of the pillar indexes; it equals the
    unweighted sum(p) / sum(max) exactly when every pillar has the same applicable max."""
    n_pillars = data.draw(st.integers(1, 4))
    maxes = [data.draw(st.lists(st.integers(0, 10), min_size=1, max_size=4)) for _ in range(n_pillars)]
    total = max(sum(m) for m in maxes) + data.draw(st.integers(0, 5))
    weight = data.draw(st.decimals(min_value=D("0.1"), max_value=10, places=2))
    pillars_u, pillars_w, k = [], [], 0
    for p, ms in enumerate(maxes):
        ms = [*ms, total - sum(ms)]  # a filler indicator brings every pillar to the same max
        indicators = []
        for m in ms:
            indicators.append(IndicatorSpec(f"I{k}", f"P{p}", "percent", data.draw(linear()), m))
            k += 1
        pillars_u.append(PillarSpec(f"P{p}", "", None, tuple(indicators)))
        pillars_w.append(PillarSpec(f"P{p}", "", weight, tuple(indicators)))
    statuses = ("submitted", "verified", "draft", "rejected")  # no N/A: it would change a pillar's max
    values = [ValueSpec("A", f"I{i}", data.draw(st.sampled_from(statuses)), data.draw(percents))
              for i in range(k) if data.draw(st.booleans())]
    [u] = compute_scores(FrameworkSpec("F", "1", None, tuple(pillars_u)), [agency("A")], values, P2025)
    [w] = compute_scores(FrameworkSpec("F", "1", None, tuple(pillars_w)), [agency("A")], values, P2025)
    assert abs(u.index_exact - w.index_exact) <= D("1e-30")
    assert u.index == w.index and u.points == w.points and u.max_points == w.max_points
    positive = [p for p in w.pillars if p.max_points > 0]
    if positive:  # the mean of pillar indexes (stored to 6 dp, so within rounding)
        assert abs(w.index_exact - sum(p.index for p in positive) / len(positive)) <= D("0.000001")


# ------------------------------------------------------------------------------ relative methods


@FAST
@given(scenarios())
def test_relative_methods_reach_the_ends_of_the_scale(scenario):
    fw, agencies, values = scenario
    relative = {i.code: i.normalization["method"] for p in fw.pillars for i in p.indicators
                if i.normalization["method"] in ("relative_to_best", "minmax")}
    per_group = defaultdict(list)
    for r in compute_scores(fw, agencies, values, P2025):
        for x in r.breakdown:
            if x.indicator_code in relative and x.status is ResultStatus.COUNTED:
                per_group[(r.group, x.indicator_code)].append((x.v, x.s))
    for (_, code), pairs in per_group.items():
        best = max(v for v, _ in pairs)
        for v, s in pairs:
            if v == best and (best > 0 or relative[code] == "minmax"):
                assert s == 1
        if relative[code] == "minmax" and best != min(v for v, _ in pairs):
            assert min(s for _, s in pairs) == 0


# ------------------------------------------------------------------------------------ delta


@FAST
@given(scenarios(), st.data())
def test_delta_without_lineage_is_the_difference_of_stored_indexes(scenario, data):
    fw, agencies, values = scenario
    previous = {a.code: data.draw(st.decimals(0, 1, places=6)) for a in agencies if data.draw(st.booleans())}
    for r in compute_scores(fw, agencies, values, P2025, previous):
        if r.agency_code in previous:
            assert r.delta == r.index - previous[r.agency_code]
        else:
            assert r.delta is None
