"""Read-side queries on published scores."""

import json
from decimal import Decimal, InvalidOperation

from django.db.models import Q, QuerySet

from agencies.models import User
from assessments.catalog.models import Indicator, Pillar
from assessments.catalog.selectors import latest_framework
from assessments.scores.models import AgencyScore, RunStatus, ScoreRun
from assessments.scores.scoring import CENTRAL, CENTRAL_NO_PUBLIC_SERVICES, PROVINCIAL, STORED_FIELDS, ResultStatus
from assessments.values.feeds.selectors import NO_VALUE, provenance
from assessments.values.models import ValueStatus
from assessments.values.permissions import sees_unverified


def published_pairs() -> list[tuple[int, int]]:
    """(framework id, period id) of the newest framework version scored for each (framework code, period).

    Read from the small run table, so a page of scores costs no per-row subquery.
    """
    newest: dict[tuple[str, int], tuple] = {}
    done = ScoreRun.objects.filter(status=RunStatus.DONE).values_list(
        "framework_id", "framework__code", "framework__loaded_at", "period_id"
    ).distinct()
    for fid, code, loaded, pid in done:
        key = (code, pid)
        if key not in newest or loaded > newest[key][0]:
            newest[key] = (loaded, fid)
    return [(fid, pid) for (_code, pid), (_loaded, fid) in newest.items()]


def published_pair(framework_code: str, year: int) -> tuple[int, int] | None:
    """(framework id, period id) published for this framework code and year, None if nothing is."""
    return (
        ScoreRun.objects.filter(status=RunStatus.DONE, framework__code=framework_code, period__year=year)
        .order_by("-framework__loaded_at")
        .values_list("framework_id", "period_id")
        .first()
    )


def one_ranking(scores: QuerySet[AgencyScore], framework_code: str, period: str) -> QuerySet[AgencyScore]:
    """Scores narrowed to the published ranking of one framework and year, in rank order, by its ids:
    PostgreSQL then reads the score_ranking index in order and stops at the page instead of sorting
    the whole period. Unchanged when no such ranking is named."""
    year = _whole_number(period)
    pair = published_pair(framework_code, year) if framework_code and year is not None else None
    if pair is None:
        return scores
    return scores.filter(framework_id=pair[0], period_id=pair[1]).order_by("group", "rank", "agency_code")


def _whole_number(text: str) -> int | None:
    """The year of a `period` parameter the filter accepted (it takes decimals: "2024.0"), else None."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    return int(number) if number.is_finite() and number == number.to_integral_value() else None


# The central and provincial peer groups a ranking offers (scoring.md §5); communes are picked per province.
RANKED_GROUPS = (CENTRAL, CENTRAL_NO_PUBLIC_SERVICES, PROVINCIAL)


def ranking_groups(framework_code: str) -> list[str]:
    """RANKED_GROUPS of a catalog code: central agencies without public services only where its latest version
    names public service indicators (DTI-BO-TINH)."""
    framework = latest_framework(framework_code) if framework_code else None
    split = framework is not None and bool(framework.public_service_indicators)
    return [g for g in RANKED_GROUPS if split or g != CENTRAL_NO_PUBLIC_SERVICES]


def published_scores() -> QuerySet[AgencyScore]:
    """Scores of the newest framework version scored for each (framework code, period)."""
    condition = Q(pk__in=[])
    for fid, pid in published_pairs():
        condition |= Q(framework_id=fid, period_id=pid)
    return AgencyScore.objects.filter(condition).select_related("agency", "framework", "period").defer("breakdown")


def pillar_names(framework_ids) -> dict[int, dict[str, tuple[str, str]]]:
    """framework id → pillar code → (vi name, en name): one query for a whole page of scores."""
    names: dict[int, dict[str, tuple[str, str]]] = {}
    for fid, code, vi, en in Pillar.objects.filter(framework_id__in=set(framework_ids)).values_list(
        "framework_id", "code", "name_vi", "name_en"
    ):
        names.setdefault(fid, {})[code] = (vi, en)
    return names


def breakdown_lines(score: AgencyScore, user: User) -> list[dict]:
    """The stored compact breakdown as dicts, with each indicator's pillar and legal basis from the catalog and
    the provenance of its current value (feeds.selectors.provenance);
    what comes from an unverified value is hidden from users who may not see it (permissions.sees_unverified)."""
    from assessments.scores.inputs import legal_basis_labels

    catalog = {
        ind.code: (ind.pillar.code, legal_basis_labels(ind))
        for ind in Indicator.objects.filter(framework_id=score.framework_id)
        .select_related("pillar")
        .prefetch_related("legal_basis__source")
    }
    hide = not sees_unverified(user, score.agency)
    origins = provenance(score.agency_id, score.period_id, score.framework_id)
    lines = []
    for row in json.loads(score.breakdown):
        line = dict(zip(STORED_FIELDS, row, strict=True))
        if hide:
            line = _without_unverified(line)
        if line["s"] is not None:
            line["s"] = round(line["s"], 6)
        pillar, basis = catalog.get(line["indicator"], ("", ()))
        lines.append({**line, "pillar": pillar, "legal_basis": list(basis),
                      **origins.get(line["indicator"], NO_VALUE)})
    return lines


def _without_unverified(line: dict) -> dict:
    """A line without what its unverified value reveals: the value, the detail quoting an invalid one and,
    when it is counted, s and points (points = s × max_points, scoring.md §3, so either gives the value
    back). A line not counted has s = 0 and points = 0 whatever was reported (§4): those stay."""
    if line["value_status"] in (None, ValueStatus.VERIFIED):
        return line
    hidden = {"value": None, "detail": ""}
    if line["status"] == ResultStatus.COUNTED:
        hidden |= {"s": None, "points": None}
    return {**line, **hidden}


def what_to_fix_next(score: AgencyScore, user, limit: int = 5) -> list[dict]:
    """What to fix next: the applicable indicators where the agency would gain the most points. Lines whose
    points the user may not see (an unverified value outside their scope) are left out, not shown as all to gain."""
    lines = [line for line in breakdown_lines(score, user) if line["max_points"] and line["points"] is not None]
    lines.sort(key=lambda line: line["points"] - line["max_points"])
    names = dict(Indicator.objects.filter(framework_id=score.framework_id).values_list("code", "name_vi"))
    return [{**line, "name": names.get(line["indicator"], ""), "gain": line["max_points"] - line["points"]}
            for line in lines[:limit] if line["max_points"] - line["points"] > 0]
