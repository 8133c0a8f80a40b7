"""The "how is this computed" page, built from a framework and the scoring core (scoring.md).

Nothing here restates a rule: the indicator parameters are the ones the core parses
(plan_framework), the statuses, peer-group kinds, level thresholds and rounding come from the
core's constants, and the worked example and the tie example are computed by the core itself.
So the page cannot disagree with the code.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from agencies.models import AgencyKind
from assessments.catalog.models import Framework
from assessments.scores.inputs import framework_spec
from assessments.scores.scoring import (
    CENTRAL,
    COUNTED_STATUSES,
    DEFAULT_LEVELS,
    PROVINCIAL,
    AgencySpec,
    PeriodSpec,
    Reason,
    ValueSpec,
    compute_scores,
    parse_levels,
    plan_framework,
    rank_1224,
)
from assessments.scores.scoring.core import PlannedIndicator
from assessments.scores.scoring.data import (
    BOOLEAN,
    CENTRAL_KINDS,
    COUNT,
    DRAFT,
    LEVEL,
    NOT_APPLICABLE,
    PERCENT,
    PROVINCIAL_KINDS,
    RATIO,
    VERIFIED,
)
from assessments.scores.scoring.normalization import (
    BANDS,
    BOOLEAN_METHOD,
    LINEAR,
    MINMAX,
    RELATIVE_TO_BEST,
    Normalization,
)
from assessments.scores.scoring.numbers import INDEX_QUANTUM, POINTS_QUANTUM
from assessments.scores.templatetags.scores import percent
from assessments.values.models import ValueStatus

# The worked example: two agencies of one peer group, placed at these fractions of each indicator's range.
EXAMPLE_FRACTIONS = {"A": Decimal("0.6"), "B": Decimal("0.9")}
# The tie example of the ranking rule: indexes that differ only beyond the stored decimals tie.
TIE_EXAMPLE = (("A", Decimal("0.9")), ("B", Decimal("0.8")), ("C", Decimal("0.8000001")), ("D", Decimal("0.5")))

LEVEL_NAMES = {"starting": gettext_lazy("Starting"), "developing": gettext_lazy("Developing"),
               "advanced": gettext_lazy("Advanced"), "leading": gettext_lazy("Leading")}


def english() -> bool:
    return (get_language() or "vi").startswith("en")


def named(obj, field: str = "name") -> str:
    """The English text of a catalog object on the English pages (when it has one), else the Vietnamese."""
    return (english() and getattr(obj, f"{field}_en", "")) or getattr(obj, f"{field}_vi", "")


def num(x) -> str:
    """A number as written on the page: localised decimal separator, no trailing zeros."""
    d = Decimal(x) if not isinstance(x, Decimal) else x
    return number_format(Decimal(format(d.normalize(), "f")))


def decimals(quantum: Decimal) -> int:
    return -quantum.as_tuple().exponent


def kind_label(kind: str) -> str:
    return AgencyKind(kind).label if kind in AgencyKind.values else kind


def level_label(code: str) -> str:
    return str(LEVEL_NAMES.get(code, code))


def describe_type(ind) -> str:
    texts = {
        PERCENT: _("a percentage from 0 to 100; v is the number"),
        RATIO: _("a numerator and a denominator; v = 100 × numerator / denominator (a denominator of 0 is refused "
                 "when the value is entered)"),
        BOOLEAN: _("yes or no; v is 1 for yes and 0 for no"),
        COUNT: _("a whole number from 0; v is the number"),
    }
    if ind.type == LEVEL:
        return _("a whole level from %(low)s to %(high)s; v is the level") % {
            "low": "…" if ind.min_level is None else ind.min_level,
            "high": "…" if ind.max_level is None else ind.max_level}
    return texts[ind.type]


def describe_normalization(norm: Normalization) -> dict:
    """The method's formula with this indicator's parameters, and a sentence saying what it means."""
    if norm.method == LINEAR:
        floor, target = num(norm.floor), num(norm.target)
        sentence = (_("Higher is better: s is 0 at or below %(floor)s and 1 at or above %(target)s, in a straight line "
                      "between.") if norm.target > norm.floor else
                    _("Lower is better: s is 0 at or above %(floor)s and 1 at or below %(target)s, in a straight line "
                      "between."))
        return {"method": norm.method, "formula": f"s = clamp((v − {floor}) / ({target} − {floor}), 0, 1)",
                "sentence": sentence % {"floor": floor, "target": target}}
    if norm.method == BOOLEAN_METHOD:
        return {"method": norm.method, "formula": "s = 1 | 0", "sentence": _("s is 1 for yes and 0 for no.")}
    if norm.method == BANDS:
        bands = [{"threshold": num(t), "score": num(s)} for t, s in zip(norm.thresholds, norm.scores, strict=True)]
        return {"method": norm.method, "formula": "s = " + "; ".join(f"{b['score']} (v ≥ {b['threshold']})"
                                                                       for b in bands),
                "sentence": _("s is the score of the largest threshold not above v; 0 below %(first)s.")
                % {"first": bands[0]["threshold"]}, "bands": bands}
    if norm.method == RELATIVE_TO_BEST:
        return {"method": norm.method, "formula": "s = v / max(v)",
                "sentence": _("Relative to the best agency of the peer group in the same period: v divided by the "
                              "largest counted v of the group (0 for everyone when that largest is 0).")}
    assert norm.method == MINMAX
    return {"method": norm.method, "formula": "s = (v − min(v)) / (max(v) − min(v))",
            "sentence": _("Relative to the peer group in the same period: 0 for the lowest counted v of the group, "
                          "1 for the highest, in a straight line between (1 for everyone when they are all equal).")}


def legal_basis(indicator) -> list[dict]:
    return [{"source": b.source.code, "title": named(b.source, "title"), "article": b.article, "clause": b.clause,
             "note": named(b, "note")} for b in indicator.legal_basis.all()]


# --------------------------------------------------------------------------------- worked example


def example_kind(plan) -> str:
    """The agency kind most indicators are assessed for (provinces first on a tie)."""
    kinds = [AgencyKind.PROVINCE, *[k for k in AgencyKind.values if k != AgencyKind.PROVINCE]]
    return max(kinds, key=lambda k: sum(ind.applies(k) for ind in plan.indicators))


def _clamp(v: Decimal, low, high) -> Decimal:
    if low is not None and v < low:
        return Decimal(low)
    if high is not None and v > high:
        return Decimal(high)
    return v


def example_value(code: str, ind: PlannedIndicator, fraction: Decimal, status: str) -> ValueSpec:
    """A value placed at `fraction` of the indicator's range (its floor..target, its bands, or its type's span)."""
    spec, norm = ind.spec, ind.norm
    if spec.type == BOOLEAN:
        return ValueSpec(code, spec.code, status, bool_value=fraction >= Decimal("0.5"))
    if norm.method == BANDS:
        v = norm.thresholds[min(int(fraction * len(norm.thresholds)), len(norm.thresholds) - 1)]
    else:
        low, high = {LINEAR: (norm.floor, norm.target)}.get(norm.method) or {
            PERCENT: (0, 100), RATIO: (0, 100), COUNT: (0, 10),
            LEVEL: (spec.min_level or 0, spec.max_level or 5)}[spec.type]
        v = Decimal(low) + (Decimal(high) - Decimal(low)) * fraction
    if spec.type == PERCENT:
        return ValueSpec(code, spec.code, status, value=_clamp(v, 0, 100).quantize(Decimal("0.1")))
    if spec.type == RATIO:
        return ValueSpec(code, spec.code, status, numerator=int(_clamp(v, 0, 100).quantize(1, ROUND_HALF_UP)),
                         denominator=100)
    whole = v.quantize(1, ROUND_HALF_UP)
    if spec.type == COUNT:
        return ValueSpec(code, spec.code, status, value=max(whole, Decimal(0)))
    return ValueSpec(code, spec.code, status, value=_clamp(whole, spec.min_level, spec.max_level))


def reason_label(reason: str) -> str:
    return str({
        Reason.NO_VALUE: _("nothing reported"),
        Reason.DRAFT: _("only a draft: not counted"),
        Reason.REJECTED: _("rejected: not counted"),
        Reason.OTHER_STATUS: _("status not counted"),
        Reason.INVALID: _("not a usable number"),
        Reason.KIND_NOT_ASSESSED: _("not assessed for this kind of agency"),
        Reason.NA_ACCEPTED: _("not applicable, accepted by a reviewer"),
    }.get(reason, ""))


def worked_example(framework: Framework, plan, names: dict[str, str]) -> dict | None:
    """Two agencies A and B of one peer group scored by compute_scores; A's last applicable indicator is a draft."""
    kind = example_kind(plan)
    applicable = [ind for ind in plan.indicators if ind.applies(kind)]
    if not applicable:
        return None
    draft = applicable[-1].code if len(applicable) > 1 else None
    values = [example_value(code, ind, fraction, DRAFT if (code, ind.code) == ("A", draft) else VERIFIED)
              for code, fraction in EXAMPLE_FRACTIONS.items() for ind in applicable]
    parent = None if kind in CENTRAL_KINDS | PROVINCIAL_KINDS else "P"
    agencies = [AgencySpec(code, kind, parent, datetime.date(2000, 1, 1)) for code in EXAMPLE_FRACTIONS]
    computed = compute_scores(plan.framework, agencies, values, PeriodSpec.calendar_year(2024))
    scores = {s.agency_code: s for s in computed}
    a = scores["A"]
    pillar_names = {p.code: named(p) for p in framework.pillars.all()}
    weights = dict(zip(plan.pillar_codes, plan.weights or (), strict=False))
    pillars = [{"code": p.code, "name": pillar_names[p.code], "points": num(p.points), "max_points": num(p.max_points),
                "index": percent(p.index), "weight": num(weights[p.code]) if p.code in weights else None}
               for p in a.pillars]
    if plan.weights is None:
        formula = f"{num(a.points)} / {num(a.max_points)} = {num(a.index)}"
    else:  # scoring.md §3: pillars without applicable points (max 0) are left out
        used = [p for p in a.pillars if p.max_points > 0]
        terms = " + ".join(f"{num(weights[p.code])} × {num(p.index)}" for p in used)
        formula = f"({terms}) / ({' + '.join(num(weights[p.code]) for p in used)}) = {num(a.index)}"
    return {
        "kind": kind_label(kind),
        "lines": [{"code": r.indicator_code, "name": names.get(r.indicator_code, ""),
                   "value": None if r.v is None else num(r.v), "s": None if r.s is None else num(r.s.quantize(
                       INDEX_QUANTUM, ROUND_HALF_UP)),
                   "points": None if r.points is None else num(r.points),
                   "max_points": None if r.max_points is None else num(r.max_points),
                   "reason": reason_label(r.reason)} for r in a.breakdown],
        "pillars": pillars, "formula": formula, "index": percent(a.index), "points": num(a.points),
        "max_points": num(a.max_points), "level": level_label(a.level), "rank": a.rank,
        "peer_index": percent(scores["B"].index), "peer_rank": scores["B"].rank,
        "fractions": {code: percent(f) for code, f in EXAMPLE_FRACTIONS.items()}, "draft": draft,
    }


# ---------------------------------------------------------------------------------------- the page


def method_context(framework: Framework) -> dict:
    """Everything the method page shows for this framework version."""
    plan = plan_framework(framework_spec(framework))
    pillars = list(framework.pillars.prefetch_related("indicators__legal_basis__source").order_by("order"))
    weights = dict(zip(plan.pillar_codes, plan.weights or (), strict=False))
    total_weight = sum(weights.values(), Decimal(0))
    names: dict[str, str] = {}
    pillar_rows = []
    for pillar in pillars:
        indicators = []
        for ind in sorted(pillar.indicators.all(), key=lambda i: i.order):
            planned = plan.by_code[ind.code]
            names[ind.code] = named(ind)
            indicators.append({
                "code": ind.code, "name": named(ind), "type": ind.type, "type_text": describe_type(ind),
                "normalization": describe_normalization(planned.norm), "max_points": num(planned.max_points),
                "applies_to": [kind_label(k) for k in sorted(planned.applies_to)],
                "legal_basis": legal_basis(ind), "evidence": named(ind, "evidence"),
            })
        weight = weights.get(pillar.code)
        pillar_rows.append({
            "code": pillar.code, "name": named(pillar), "indicators": indicators,
            "max_points": num(sum((plan.by_code[i["code"]].max_points for i in indicators), Decimal(0))),
            "weight": None if weight is None else num(weight),
            "weight_share": None if weight is None else percent(weight / total_weight),
        })
    levels = parse_levels(framework.levels or None)
    ranks = dict(rank_1224(TIE_EXAMPLE))
    counted = [ValueStatus(s).label for s in ValueStatus.values if s in COUNTED_STATUSES]
    not_counted = [ValueStatus(s).label for s in ValueStatus.values
                   if s not in COUNTED_STATUSES and s != NOT_APPLICABLE]
    return {
        "framework": framework, "name": named(framework), "description": named(framework, "description"),
        "weighted": plan.weights is not None, "pillars": pillar_rows,
        "indicator_count": len(plan.indicators),
        "levels": [{"code": code, "name": level_label(code), "below": below, "below_text": None if below is None
                    else num(below), "below_percent": None if below is None else percent(below)}
                   for code, below in levels],
        "default_levels": not framework.levels or parse_levels(framework.levels) == parse_levels(DEFAULT_LEVELS),
        "counted_statuses": counted, "not_counted_statuses": not_counted,
        "not_applicable_status": ValueStatus(NOT_APPLICABLE).label,
        "public_service_indicators": framework.public_service_indicators,
        "groups": {CENTRAL: [kind_label(k) for k in sorted(CENTRAL_KINDS)],
                   PROVINCIAL: [kind_label(k) for k in sorted(PROVINCIAL_KINDS)]},
        "index_decimals": decimals(INDEX_QUANTUM), "points_decimals": decimals(POINTS_QUANTUM),
        "tie_example": [{"code": code, "index": num(ix), "rank": ranks[code]} for code, ix in TIE_EXAMPLE],
        "example": worked_example(framework, plan, names),
    }
