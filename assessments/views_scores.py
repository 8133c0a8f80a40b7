"""Score pages: a ranking per framework, period and peer group, and an agency's scores over the years.

Charts are server-rendered SVG (no script, so the Content-Security-Policy stays strict).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.codes import normalize_code
from agencies.selectors import agency_by_code

from .models import Indicator, Period
from .score_selectors import breakdown_lines, pillar_names, published_scores

GROUPS = ("central", "provincial")


@require_GET
@login_required
def ranking(request):
    periods = Period.objects.order_by("framework_code", "-year")
    choices = [(p.framework_code, p.year) for p in periods]
    framework = request.GET.get("framework") or (choices[0][0] if choices else "")
    years = [y for code, y in choices if code == framework]
    year = int(request.GET["period"]) if request.GET.get("period", "").isdigit() else (years[0] if years else 0)
    group = request.GET.get("group") if request.GET.get("group") in GROUPS else "provincial"
    rows = list(
        published_scores().filter(framework__code=framework, period__year=year, group=group)
        .order_by("rank", "agency_code")
    )
    return render(request, "assessments/ranking.html", {
        "frameworks": sorted({code for code, _y in choices}), "framework": framework, "years": years,
        "year": year, "groups": GROUPS, "group": group, "rows": rows,
        "bars": [(r, float(r.index) * 400) for r in rows],
    })


def _gains(score, limit: int = 5) -> list[dict]:
    """The applicable indicators where the agency would gain the most points."""
    lines = [line for line in breakdown_lines(score) if line["max_points"]]
    lines.sort(key=lambda line: (line["points"] or 0) - line["max_points"])
    names = dict(Indicator.objects.filter(framework_id=score.framework_id).values_list("code", "name_vi"))
    return [{**line, "name": names.get(line["indicator"], ""), "gain": line["max_points"] - (line["points"] or 0)}
            for line in lines[:limit] if line["max_points"] - (line["points"] or 0) > 0]


@require_GET
@login_required
def agency_scores(request, code):
    agency = agency_by_code(normalize_code(code))
    if agency is None:
        raise Http404
    scores = list(published_scores().filter(agency_code=agency.code).order_by("framework__code", "period__year"))
    names = pillar_names(s.framework_id for s in scores)
    frameworks: dict[str, list] = {}
    for s in scores:
        frameworks.setdefault(s.framework.code, []).append(s)
    panels = []
    for code_, series in frameworks.items():
        latest = series[-1]
        step = 300 / max(len(series) - 1, 1)
        points = " ".join(f"{10 + i * step:.1f},{110 - float(s.index) * 100:.1f}" for i, s in enumerate(series))
        pillars = [{**p, "name": names.get(latest.framework_id, {}).get(p["code"], (p["code"],))[0],
                    "width": (p["index"] or 0) * 400} for p in latest.pillars]
        panels.append({"code": code_, "series": series, "latest": latest, "polyline": points,
                       "dots": [(10 + i * step, 110 - float(s.index) * 100, s) for i, s in enumerate(series)],
                       "pillars": pillars, "gains": _gains(latest)})
    return render(request, "assessments/agency_scores.html", {"agency": agency, "panels": panels})
