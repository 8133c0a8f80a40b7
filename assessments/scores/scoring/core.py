"""The scoring engine: reported values -> per-agency index, rank, level and delta (scoring.md).

``compute_scores`` is the whole computation for one (framework version, period). It is built
from small pure functions that a streaming or SQL implementation can reuse:

    peer_group, is_active             who is scored and against whom          (§5)
    value_of, normalize               value -> v -> s                          (§2, normalization.py)
    combine_index                     pillar totals -> index                   (§3)
    rank_1224                         "1224" ranking on the 6-decimal index    (§5)
    level_for                         index -> readiness level                 (§6)
    previous_index_for                previous index, through lineage          (§7)
    round_index, round_points         storage rounding                         (§8, numbers.py)

Edge cases (all defined, none raises):
* an indicator whose max_points is 0 scores 0 of 0; if every applicable max is 0 the index is 0
  (level: the first level, ``starting`` by default) and ``verified_share`` still counts;
* a period without values: every applicable indicator is missing, index 0;
* an agency for which every indicator is not applicable: max 0, index 0, verified_share 0;
* a counted value that yields no number (ratio with denominator 0, percent outside 0..100,
  a non-whole count or level, a level outside its bounds, NaN, a negative v under
  relative_to_best, a boolean without yes/no...) is *missing* with reason ``invalid_value``
  and a ``detail``; it is not in the peer group's min/max and not in verified_share;
* values of agencies not active on the last day of the period, and values of indicators the
  framework version does not have, are ignored;
* draft and rejected values are missing (``draft_not_counted`` / ``rejected_not_counted``); a
  status this engine does not know is missing too (``status_not_counted``);
* a value of an indicator whose ``applies_to`` excludes the agency's kind is ignored: the
  indicator is not applicable (``kind_not_assessed``), its ``value_status`` is still shown.

Caller errors do raise: a framework the loader would reject (FrameworkError), two active
agencies with one code, or two values for one (agency, indicator) (ValueError).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, NamedTuple

from .data import (
    CENTRAL,
    CENTRAL_KINDS,
    CENTRAL_NO_PUBLIC_SERVICES,
    COUNTED_STATUSES,
    DEFAULT_LEVELS,
    DRAFT,
    NOT_APPLICABLE,
    PROVINCIAL,
    PROVINCIAL_KINDS,
    REJECTED,
    VALUE_TYPES,
    VERIFIED,
    AgencyScore,
    AgencySpec,
    FrameworkError,
    FrameworkSpec,
    IndicatorResult,
    IndicatorSpec,
    InvalidValue,
    LineageSpec,
    PeriodSpec,
    PillarScore,
    Reason,
    ResultStatus,
    ValueSpec,
)
from .normalization import (
    GroupStats,
    Normalization,
    _check_for_method,
    _normalize,
    _value_of,
    parse_normalization,
)
from .numbers import ONE, ZERO, _round4, _round6, in_scoring_context, to_decimal

# The public part, re-exported by the package (__init__.py).
__all__ = [
    "FrameworkPlan", "PlannedIndicator", "combine_index", "compute_scores", "is_active", "level_for",
    "parse_levels", "peer_group", "pillar_index", "plan_framework", "previous_index_for", "published_groups",
    "rank_1224", "validate_framework"
]

# ------------------------------------------------------------------------------ peer groups (§5)


def peer_group(kind: str, parent_code: str | None, public_services: bool = True) -> str:
    """``central`` (``central_no_public_services`` for a central agency without public services),
    ``provincial``, or for a sub-unit ``"<kind>:<parent code>"`` ("<kind>:" without parent)."""
    if kind in CENTRAL_KINDS:
        return CENTRAL if public_services else CENTRAL_NO_PUBLIC_SERVICES
    if kind in PROVINCIAL_KINDS:
        return PROVINCIAL
    return f"{kind}:{parent_code or ''}"


def is_active(agency: AgencySpec, day: datetime.date) -> bool:
    """Active on ``day`` (valid_from and valid_to inclusive). Only agencies active on the last day are scored."""
    return agency.valid_from <= day and (agency.valid_to is None or agency.valid_to >= day)


# ------------------------------------------------------------------------------- framework plan


@dataclass(frozen=True, slots=True)
class PlannedIndicator:
    spec: IndicatorSpec
    norm: Normalization
    max_points: Decimal
    pillar_pos: int
    applies_to: frozenset[str]
    max_points_stored: Decimal  # 4 dp, one shared object for every breakdown line
    code: str  # = spec.code, and the two below: plain fields, read for every value of a run
    pillar_code: str
    legal_basis: tuple[str, ...]
    relative: bool  # = norm.relative
    no_value: _Entry | None = None  # the missing line when nothing was reported (set by plan_framework)

    def applies(self, kind: str) -> bool:
        return not self.applies_to or kind in self.applies_to


@dataclass(frozen=True, slots=True)
class FrameworkPlan:
    """A checked framework, with parsed parameters, in catalog order."""

    framework: FrameworkSpec
    indicators: tuple[PlannedIndicator, ...]
    by_code: Mapping[str, PlannedIndicator]
    pillar_codes: tuple[str, ...]
    weights: tuple[Decimal, ...] | None  # None: unweighted index
    levels: tuple[tuple[str, Decimal | None], ...]

    @property
    def has_relative(self) -> bool:
        return any(ind.norm.relative for ind in self.indicators)

    def applicable_max(self, kind: str) -> tuple[list[Decimal], int]:
        """Per pillar, the max points of the indicators that apply to ``kind``; and how many apply."""
        p_max = [ZERO] * len(self.pillar_codes)
        count = 0
        for ind in self.indicators:
            if ind.applies(kind):
                p_max[ind.pillar_pos] += ind.max_points
                count += 1
        return p_max, count


def parse_levels(levels: Sequence[Mapping[str, Any]] | None) -> tuple[tuple[str, Decimal | None], ...]:
    """[(code, below), ...] from the catalog's ``levels`` (None or empty: the default levels)."""
    parsed: list[tuple[str, Decimal | None]] = []
    for level in levels or DEFAULT_LEVELS:
        code = level.get("code")
        if not code:
            raise FrameworkError("every level needs a code")
        below = level.get("below")
        if below is not None:
            try:
                below = to_decimal(below)
            except TypeError as exc:
                raise FrameworkError(f"level {code}: 'below' is not a number") from exc
            if parsed and (parsed[-1][1] is None or below <= parsed[-1][1]):
                raise FrameworkError("levels must be in ascending order of 'below'; only the last has none")
        elif parsed and parsed[-1][1] is None:
            raise FrameworkError("only the last level has no 'below'")
        parsed.append((code, below))
    return tuple(parsed)


@in_scoring_context
def plan_framework(framework: FrameworkSpec) -> FrameworkPlan:
    """Check a framework as the catalog loader does and prepare it; raises FrameworkError."""
    indicators: list[PlannedIndicator] = []
    by_code: dict[str, PlannedIndicator] = {}
    pillar_codes: list[str] = []
    weights: list[Decimal | None] = []
    for pos, pillar in enumerate(framework.pillars):
        if pillar.code in pillar_codes:
            raise FrameworkError(f"duplicate pillar {pillar.code}")
        pillar_codes.append(pillar.code)
        weight = None
        if pillar.weight is not None:
            weight = to_decimal(pillar.weight)
            if not weight.is_finite() or weight <= 0:
                raise FrameworkError(f"pillar {pillar.code}: a weight is a number above 0")
        weights.append(weight)
        for spec in pillar.indicators:
            if spec.code in by_code:
                raise FrameworkError(f"duplicate indicator {spec.code}")
            if spec.pillar_code != pillar.code:
                raise FrameworkError(f"indicator {spec.code} says pillar {spec.pillar_code}, is in {pillar.code}")
            if spec.type not in VALUE_TYPES:
                raise FrameworkError(f"indicator {spec.code}: unknown type {spec.type!r}")
            max_points = to_decimal(spec.max_points)
            if not max_points.is_finite() or max_points < 0:
                raise FrameworkError(f"indicator {spec.code}: max_points must be >= 0")
            try:
                norm = parse_normalization(spec.normalization)
            except FrameworkError as exc:
                raise FrameworkError(f"indicator {spec.code}: {exc}") from exc
            planned = PlannedIndicator(spec, norm, max_points, pos, frozenset(spec.applies_to), _round4(max_points),
                                       spec.code, spec.pillar_code, tuple(spec.legal_basis), norm.relative)
            planned = replace(planned, no_value=_uncounted(planned, ResultStatus.MISSING, None, Reason.NO_VALUE))
            indicators.append(planned)
            by_code[spec.code] = planned
    weighted = [w is not None for w in weights]
    if any(weighted) and not all(weighted):
        raise FrameworkError("either every pillar has a weight or none has")
    return FrameworkPlan(
        framework=framework,
        indicators=tuple(indicators),
        by_code=by_code,
        pillar_codes=tuple(pillar_codes),
        weights=tuple(weights) if weights and all(weighted) else None,  # type: ignore[arg-type]
        levels=parse_levels(framework.levels),
    )


def validate_framework(framework: FrameworkSpec) -> None:
    """Raise FrameworkError if the framework cannot be scored."""
    plan_framework(framework)


# ------------------------------------------------------------------------------------ index (§3)


@in_scoring_context
def pillar_index(points: object, max_points: object) -> Decimal:
    """points / max, 0 when max is 0."""
    mx = to_decimal(max_points)
    return to_decimal(points) / mx if mx > 0 else ZERO


@in_scoring_context
def combine_index(pillars: Sequence[tuple[object, object]], weights: Sequence[object] | None = None) -> Decimal:
    """The index from per-pillar (points, max) of the applicable indicators (scoring.md §3).

    Unweighted (``weights`` None): sum(points) / sum(max), 0 when the sum of max is 0.
    Weighted: sum(w * pillar index) / sum(w) over the pillars whose max > 0, 0 when none.

    The two agree when every weight is equal *and* every pillar with max > 0 has the same max:
    with equal weights the weighted index is the plain mean of the pillar indexes, while the
    unweighted index is the mean of the pillar indexes weighted by the pillars' max points.
    The result is capped at 1 (it can only exceed 1 by rounding in the last of 34 digits).
    """
    return _combine_index([(to_decimal(p), to_decimal(m)) for p, m in pillars],
                          None if weights is None else [to_decimal(w) for w in weights])


def _combine_index(pillars: Sequence[tuple[Decimal, Decimal]], weights: Sequence[Decimal] | None) -> Decimal:
    if weights is None:
        total_max = sum((m for _, m in pillars), ZERO)
        if total_max <= 0:
            return ZERO
        return min(sum((p for p, _ in pillars), ZERO) / total_max, ONE)
    if len(weights) != len(pillars):
        raise ValueError("one weight per pillar")
    num, den = ZERO, ZERO
    for (p, m), w in zip(pillars, weights, strict=True):
        if m > 0:
            num += w * (p / m)
            den += w
    return min(num / den, ONE) if den > 0 else ZERO


# --------------------------------------------------------------------------------- ranking (§5)


@in_scoring_context
def rank_1224(indexes: Iterable[tuple[str, object]]) -> list[tuple[str, int]]:
    """Standard competition ("1224") ranking of (agency code, index) within one peer group.

    Indexes are compared rounded to 6 decimals (half up); equal ones share a rank and the next
    rank skips. Returned in rank order, ties by agency code. rank = 1 + the number of agencies
    with a strictly greater rounded index.
    """
    rows = sorted(((_round6(to_decimal(ix)), code) for code, ix in indexes), key=lambda r: (-r[0], r[1]))
    ranked: list[tuple[str, int]] = []
    rank, previous = 0, None
    for position, (ix, code) in enumerate(rows, start=1):
        if ix != previous:
            rank, previous = position, ix
        ranked.append((code, rank))
    return ranked


# ---------------------------------------------------------------------------------- levels (§6)


@in_scoring_context
def level_for(index: object, levels: Sequence[Mapping[str, Any]] | None = None) -> str:
    """The first level whose ``below`` is above the index; the last level otherwise.

    ``levels`` is the catalog's list ([{"below": 0.25, "code": "starting"}, ..., {"code": ...}]),
    default levels when None or empty. Boundaries belong to the upper level: 0.25 is
    ``developing``. compute_scores passes the stored (6-decimal) index, so the level always
    agrees with the number on screen.
    """
    return _level(to_decimal(index), parse_levels(levels))


def _level(index: Decimal, levels: tuple[tuple[str, Decimal | None], ...]) -> str:
    for code, below in levels:
        if below is None or index < below:
            return code
    return levels[-1][0]


# ------------------------------------------------------------------------------ lineage (§7)


@in_scoring_context
def previous_index_for(
    agency_code: str,
    previous_indexes: Mapping[str, object | None],
    lineage: Iterable[LineageSpec],
    *,
    previous_end: datetime.date,
    period_end: datetime.date,
) -> Decimal | None:
    """The index to take a delta against (scoring.md §7), unrounded; None when there is none.

    Predecessors are the lineage records whose successor is ``agency_code`` dated after
    ``previous_end`` and no later than ``period_end`` (only direct predecessors: a chain
    A -> B -> C inside one period counts B, not A). The result is the weighted mean of the
    previous indexes of those predecessors (weight from the record, None = 1) and of the
    agency itself (weight 1) if it was scored then. A member without a previous index is left
    out; None when nobody is left (or the remaining weights sum to 0). A record naming the
    agency as its own predecessor (same code kept through a merger) counts once, with the
    record's weight. Without predecessors this is simply ``previous_indexes.get(agency_code)``.
    """
    members: dict[str, Decimal] = {}
    for link in lineage:
        if link.successor_code == agency_code and previous_end < link.date <= period_end:
            members[link.predecessor_code] = ONE if link.weight is None else to_decimal(link.weight)
    members.setdefault(agency_code, ONE)
    num, den = ZERO, ZERO
    for code, weight in members.items():
        ix = previous_indexes.get(code)
        if ix is None:
            continue
        num += weight * to_decimal(ix)
        den += weight
    if den <= 0:
        return None
    return num / den


# ------------------------------------------------------------------------------ the computation


class _Entry(NamedTuple):
    """What one reported value turned into, ready for its agency's sums.

    ``line`` is the breakdown line, except for a counted value of a relative indicator: its s
    needs the peer group's min/max, known once every value is read. ``points`` is the exact
    s × max of a counted value. Entries depend only on the indicator and the reported value,
    so compute_scores shares one entry between the agencies that reported the same value.
    """

    outcome: ResultStatus
    value_status: str | None
    v: Decimal | None
    points: Decimal | None
    line: IndicatorResult | None


_NOT_COUNTED = {DRAFT: Reason.DRAFT, REJECTED: Reason.REJECTED}
# Enum members read once: ResultStatus.X is a slow lookup, and these are read for every value of a run.
_COUNTED, _MISSING, _NOT_APPLICABLE = ResultStatus.COUNTED, ResultStatus.MISSING, ResultStatus.NOT_APPLICABLE
_ZERO_POINTS = Decimal("0.0000")
# Distinct reported values remembered per indicator in one compute_scores call: bounds the memory
# of the sharing (yes/no, counts, levels and statuses repeat; free-form percentages mostly do not).
_SHARED_PER_INDICATOR = 2048


def _uncounted(ind: PlannedIndicator, outcome: ResultStatus, value_status: str | None, reason: Reason,
               detail: str = "") -> _Entry:
    """A missing (s = 0, points = 0 of max) or not applicable (excluded from both sums) line."""
    if outcome is ResultStatus.MISSING:
        line = IndicatorResult(ind.code, outcome, value_status, None, ZERO, _ZERO_POINTS, ind.max_points_stored,
                               reason, detail, ind.pillar_code, ind.legal_basis)
    else:
        line = IndicatorResult(ind.code, outcome, value_status, None, None, None, None, reason, detail,
                               ind.pillar_code, ind.legal_basis)
    return _Entry(outcome, value_status, None, None, line)


def _counted(ind: PlannedIndicator, value_status: str, v: Decimal, s: Decimal) -> _Entry:
    points = s * ind.max_points
    line = IndicatorResult(ind.code, ResultStatus.COUNTED, value_status, v, s, _round4(points), ind.max_points_stored,
                           Reason.COUNTED, "", ind.pillar_code, ind.legal_basis)
    return _Entry(ResultStatus.COUNTED, value_status, v, points, line)


def _classify(ind: PlannedIndicator, reported: tuple) -> _Entry:
    """The entry of a reported value: ``reported`` is ValueSpec's fields from ``status`` on."""
    status, number, num, den, bool_value = reported
    if status == NOT_APPLICABLE:
        return _uncounted(ind, ResultStatus.NOT_APPLICABLE, status, Reason.NA_ACCEPTED)
    if status not in COUNTED_STATUSES:
        return _uncounted(ind, ResultStatus.MISSING, status, _NOT_COUNTED.get(status, Reason.OTHER_STATUS))
    try:
        v = _check_for_method(ind.norm, _value_of(ind.spec, number, num, den, bool_value))
    except InvalidValue as exc:
        return _uncounted(ind, ResultStatus.MISSING, status, Reason.INVALID, str(exc))
    if ind.relative:
        return _Entry(ResultStatus.COUNTED, status, v, None, None)
    return _counted(ind, status, v, _normalize(ind.norm, v, None))


@dataclass(slots=True)
class _Partial:
    agency: AgencySpec
    group: str
    index_exact: Decimal
    index: Decimal
    points: Decimal
    max_points: Decimal
    verified_share: Decimal
    pillars: tuple[PillarScore, ...]
    breakdown: tuple[IndicatorResult, ...]


def _score_agency(
    plan: FrameworkPlan,
    agency: AgencySpec,
    group: str,
    entries: Sequence[_Entry | None],
    stats: Mapping[tuple[str, str], GroupStats],
    kind_totals: Mapping[str, tuple[list[Decimal], int]],
) -> _Partial:
    """``entries``: the agency's entry of each indicator, in plan order (None: nothing reported);
    ``kind_totals``: FrameworkPlan.applicable_max of each kind."""
    # Runs once per (agency, indicator) of a run: locals and module-level aliases on purpose. Every
    # indicator of the agency's kind counts in max until an accepted N/A claim takes it out.
    kind = agency.kind
    kind_max, applicable = kind_totals[kind]
    p_max = kind_max.copy()
    p_points = [ZERO] * len(p_max)
    verified = 0
    breakdown: list[IndicatorResult] = []
    append = breakdown.append
    for ind, entry in zip(plan.indicators, entries, strict=True):
        if ind.applies_to and kind not in ind.applies_to:
            append(_uncounted(ind, _NOT_APPLICABLE, entry.value_status if entry else None,
                              Reason.KIND_NOT_ASSESSED).line)
            continue
        if entry is None:
            entry = ind.no_value
        outcome = entry.outcome
        if outcome is _COUNTED:
            if entry.line is None:  # relative: normalized now that the group's min/max is known
                entry = _counted(ind, entry.value_status, entry.v,
                                 _normalize(ind.norm, entry.v, stats[(group, ind.code)]))
            p_points[ind.pillar_pos] += entry.points
            if entry.value_status == VERIFIED:
                verified += 1
        elif outcome is _NOT_APPLICABLE:
            p_max[ind.pillar_pos] -= ind.max_points
            applicable -= 1
        append(entry.line)
    totals = list(zip(p_points, p_max, strict=True))
    index_exact = _combine_index(totals, plan.weights)
    pillars = tuple(
        PillarScore(code, _round4(pp), _round4(pm), _round6(pp / pm if pm > 0 else ZERO))
        for code, (pp, pm) in zip(plan.pillar_codes, totals, strict=True)
    )
    total_points, total_max = sum(p_points, ZERO), sum(p_max, ZERO)
    return _Partial(
        agency=agency,
        group=group,
        index_exact=index_exact,
        index=_round6(index_exact),
        points=_round4(total_points),
        max_points=_round4(total_max),
        # verified counted values / applicable indicators; 0 when no indicator is applicable.
        verified_share=_round6(Decimal(verified) / applicable if applicable else ZERO),
        pillars=pillars,
        breakdown=tuple(breakdown),
    )


def _group_order(group: str) -> tuple[int, str]:
    return ({CENTRAL: 0, CENTRAL_NO_PUBLIC_SERVICES: 1, PROVINCIAL: 2}.get(group, 3), group)


def published_groups(groups: Iterable[str]) -> list[str]:
    """The published groups a recompute of these groups replaces: central agencies are read together, since
    whether one has public services depends on its values."""
    groups = set(groups)
    if CENTRAL in groups:
        groups.add(CENTRAL_NO_PUBLIC_SERVICES)
    return sorted(groups)


@in_scoring_context
def compute_scores(
    framework: FrameworkSpec,
    agencies: Iterable[AgencySpec],
    values: Iterable[ValueSpec],
    period: PeriodSpec,
    previous_indexes: Mapping[str, object | None] | None = None,
    lineage: Iterable[LineageSpec] = (),
    *,
    previous_period_end: datetime.date | None = None,
) -> list[AgencyScore]:
    """Score every agency active on ``period.end`` (scoring.md §2-§8).

    ``values`` (ValueSpecs, or plain tuples in ValueSpec's field order, as a database cursor
    gives them) is read exactly once, in any order, so a generator or a server-side cursor will
    do; a second pass over live rows could see different data. Memory: the returned
    breakdowns are O(agencies x indicators) anyway; besides them the engine keeps one small
    entry per relevant value and, for relative indicators, one GroupStats per (peer group,
    indicator). Counted values of relative indicators are normalized after the pass, once
    their group's min/max is known. Agencies that reported the same value of an indicator
    share one entry and one breakdown line (up to _SHARED_PER_INDICATOR distinct values per
    indicator): yes/no answers, counts, levels and statuses repeat across thousands of agencies.

    ``previous_indexes`` maps agency code -> stored index of the previous period of the same
    framework code (None or missing: not scored). ``previous_period_end`` is that period's
    last day, used for the lineage window; it defaults to the day before ``period.start``.

    Returns one AgencyScore per scored agency ordered by group (central, provincial, then
    sub-unit groups by key), rank, agency code.
    """
    plan = plan_framework(framework)
    day = period.end
    active: dict[str, tuple[AgencySpec, str]] = {}
    for agency in agencies:
        if not is_active(agency, day):
            continue
        if agency.code in active:
            raise ValueError(f"two agencies with code {agency.code} are active on {day}")
        active[agency.code] = (agency, peer_group(agency.kind, agency.parent_code, agency.public_services))

    # Per agency: its entries in plan order, kind and group; per indicator: plan position and shared entries.
    raw: dict[str, tuple[list[_Entry | None], str, str]] = {
        code: ([None] * len(plan.indicators), agency.kind, group) for code, (agency, group) in active.items()
    }
    indicators = {ind.code: (ind, pos, {}) for pos, ind in enumerate(plan.indicators)}
    stats: dict[tuple[str, str], GroupStats] = defaultdict(GroupStats)
    raw_get, indicators_get = raw.get, indicators.get
    for value in values:
        slot = raw_get(value[0])
        planned = indicators_get(value[1])
        if slot is None or planned is None:
            continue  # agency not scored in this period, or indicator not in this version
        entries, kind, group = slot
        ind, pos, shared = planned
        if entries[pos] is not None:
            raise ValueError(f"two values for agency {value[0]}, indicator {ind.code}")
        if ind.applies_to and kind not in ind.applies_to:
            entries[pos] = _Entry(_NOT_APPLICABLE, value[2], None, None, None)
            continue
        reported = value[2:]  # status and the reported numbers: all an entry depends on
        try:
            entry = shared.get(reported)
        except TypeError:  # a signalling NaN cannot be hashed: classified alone (invalid, so never counted)
            entries[pos] = _classify(ind, reported)
            continue
        if entry is None:
            entry = _classify(ind, reported)
            if len(shared) < _SHARED_PER_INDICATOR:
                shared[reported] = entry
        entries[pos] = entry
        if ind.relative and entry.outcome is _COUNTED:
            stats[(group, ind.code)].add(entry.v)

    kind_totals = {kind: plan.applicable_max(kind) for kind in {agency.kind for agency, _group in active.values()}}
    partials = [_score_agency(plan, agency, group, raw[code][0], stats, kind_totals)
                for code, (agency, group) in active.items()]
    del raw

    by_group: dict[str, list[_Partial]] = defaultdict(list)
    for partial in partials:
        by_group[partial.group].append(partial)

    previous = previous_indexes or {}
    previous_end = previous_period_end or (period.start - datetime.timedelta(days=1))
    lineage_by_successor: dict[str, list[LineageSpec]] = defaultdict(list)
    for link in lineage:
        lineage_by_successor[link.successor_code].append(link)

    results: list[AgencyScore] = []
    for group in sorted(by_group, key=_group_order):
        members = {p.agency.code: p for p in by_group[group]}
        for code, rank in rank_1224((c, p.index) for c, p in members.items()):
            p = members[code]
            prev = previous_index_for(code, previous, lineage_by_successor.get(code, ()),
                                      previous_end=previous_end, period_end=period.end)
            results.append(AgencyScore(
                agency_code=code,
                group=group,
                index=p.index,
                points=p.points,
                max_points=p.max_points,
                rank=rank,
                level=_level(p.index, plan.levels),
                delta=None if prev is None else _round6(p.index - prev),
                verified_share=p.verified_share,
                pillars=p.pillars,
                breakdown=p.breakdown,
                index_exact=p.index_exact,
                previous_index=prev,
            ))
    return results
