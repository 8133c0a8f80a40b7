"""Public rankings (issue 14 item 4): published scores for anyone, without signing in, when PUBLIC_RANKINGS is on.

What is public: the scores a finished run published (`selectors.published_scores`) — per agency its index,
points, rank, level, change, verified share and pillar totals. These aggregate submitted and verified values
(scoring.md §4) and say how much of it is verified (`verified_share`); no breakdown line, value, evidence, plan
or run in progress is ever read here, so drafts, rejected and unverified values cannot show. Everything is a 404
while the setting is off, and read through the score page cache (assessments.scores.cache).
"""

import functools

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import SimpleRateThrottle

from agencies.models import Agency, PeerGroup
from assessments.catalog.method import method_context
from assessments.catalog.models import Framework, Period
from assessments.catalog.selectors import latest_framework
from assessments.scores.api import ScoreList
from assessments.scores.cache import cached_page
from assessments.scores.exports import score_rows_csv
from assessments.scores.labels import group_label
from assessments.scores.selectors import (
    RANKED_GROUPS,
    pillar_names,
    published_pair,
    published_pairs,
    published_scores,
)
from assessments.scores.serializers import ScoreSerializer


def public_rankings_on() -> bool:
    return settings.PUBLIC_RANKINGS


def public_page(view):
    """A page that exists only while PUBLIC_RANKINGS is on, for anyone, GET only."""

    @require_GET
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not public_rankings_on():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class PublicRankingsOn(BasePermission):
    """Anyone may read, but only while PUBLIC_RANKINGS is on; otherwise the route is a 404."""

    def has_permission(self, request, view):
        if not public_rankings_on():
            raise Http404
        return True


class PublicRateThrottle(SimpleRateThrottle):
    """THROTTLE_PUBLIC requests per client address (TRUSTED_PROXY_COUNT decides which address), signed in or not."""

    scope = "public"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicScoreList(ScoreList):
    """Published readiness scores for anyone (PUBLIC_RANKINGS): the filters and cached pages of /scores/."""

    authentication_classes = []  # nobody is identified: the answer is the same for everyone
    permission_classes = [PublicRankingsOn]
    throttle_classes = [PublicRateThrottle]


def _ranking_scores(framework_code: str, year: int):
    """The published scores of one framework code and year (its newest scored version); 404 if none."""
    pair = published_pair(framework_code, year)
    if pair is None:
        raise Http404
    return published_scores().filter(framework_id=pair[0], period_id=pair[1])


def _groups(scores) -> list[tuple[str, str]]:
    """(group key, label) of the peer groups scored: central, provincial, then the communes of each province."""
    keys = set(scores.order_by().values_list("group", flat=True).distinct())
    fixed = [(g, group_label(g)) for g in RANKED_GROUPS if g in keys]
    parents = {key.partition(":")[2]: key for key in keys if key not in dict(fixed)}
    names = dict(Agency.objects.filter(code__in=parents).values_list("code", "name_vi"))
    return fixed + sorted((key, names.get(code, code)) for code, key in parents.items())


def _row(score) -> dict:
    return {"rank": score.rank, "agency": {"code": score.agency.code, "name_vi": score.agency.name_vi},
            "index": score.index, "points": score.points, "max_points": score.max_points, "level": score.level,
            "delta": score.delta, "verified_share": score.verified_share}


def _ranking_data(framework_code: str, year: int, group: str) -> dict:
    scores = _ranking_scores(framework_code, year)
    groups = _groups(scores)
    keys = [key for key, _label in groups]
    if group not in keys:
        group = PeerGroup.PROVINCIAL if PeerGroup.PROVINCIAL in keys else next(iter(keys), "")
    rows = [_row(s) for s in scores.filter(group=group).order_by("rank", "agency_code")]
    return {"groups": groups, "group": group, "rows": rows}


@public_page
def rankings(request):
    """The framework codes and years with published scores."""
    def build() -> list[tuple[str, int]]:
        pairs = published_pairs()
        codes = dict(Framework.objects.filter(pk__in={f for f, _p in pairs}).values_list("pk", "code"))
        years = dict(Period.objects.filter(pk__in={p for _f, p in pairs}).values_list("pk", "year"))
        return sorted(((codes[f], years[p]) for f, p in pairs), key=lambda pair: (pair[0], -pair[1]))

    return render(request, "public/rankings.html", {"pairs": cached_page(request, build)})


@public_page
def ranking(request, framework: str, period: int):
    """One framework's ranking of a year in one peer group (?group=), with the chart and the downloads."""
    data = cached_page(request, lambda: _ranking_data(framework, period, request.GET.get("group", "")))
    return render(request, "public/ranking.html", {
        **data, "framework": framework, "year": period,
        "bars": [(r, float(r["index"]) * 400) for r in data["rows"]],
    })


@public_page
def ranking_csv(request, framework: str, period: int):
    """Open data: every published score of the framework and year, formula-like cells escaped (govit.exports)."""
    scores = _ranking_scores(framework, period).order_by("group", "rank", "agency_code")
    response = score_rows_csv(scores)
    response["Content-Disposition"] = f'attachment; filename="scores-{framework}-{period}.csv"'
    return response


@public_page
def ranking_json(request, framework: str, period: int):
    """Open data: the published scores of the framework and year as the API gives them (pillars included)."""
    def build() -> bytes:
        scores = list(_ranking_scores(framework, period).order_by("group", "rank", "agency_code"))
        context = {"pillar_names": pillar_names(s.framework_id for s in scores)}
        return JSONRenderer().render(ScoreSerializer(scores, many=True, context=context).data)

    response = HttpResponse(cached_page(request, build), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="scores-{framework}-{period}.json"'
    return response


@public_page
def method(request, framework: str):
    """How the scores are computed, for the latest version of this framework code."""
    found = latest_framework(framework)
    if found is None:
        raise Http404
    return render(request, "assessments/method.html", {"versions": [found], **method_context(found)})
