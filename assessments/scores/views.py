"""Score pages: a ranking per framework, period and peer group, and an agency's scores over the years.

Charts are server-rendered SVG (no script, so the Content-Security-Policy stays strict).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agencies.codes import normalize_code
from agencies.models import Agency, AgencyKind, PeerGroup
from agencies.selectors import agency_by_code
from agencies.text import vi_collate
from assessments.catalog.method import LEVEL_NAMES
from assessments.catalog.models import Indicator, Period
from assessments.catalog.selectors import latest_framework, period_of
from assessments.scores import runs
from assessments.scores.inputs import legal_basis_titles
from assessments.scores.labels import agency_group, group_label
from assessments.scores.models import ACTIVE_RUN_STATUSES, ScoreRun
from assessments.scores.scoring import level_for
from assessments.scores.selectors import (
    RANKED_GROUPS,
    pillar_names,
    published_scores,
    ranking_groups,
    what_to_fix_next,
)
from assessments.scores.templatetags.names import level_label, local_name

COMMUNES = AgencyKind.COMMUNE.value  # the communes of one province: group key commune:<province code>


@require_GET
@login_required
def ranking(request):
    periods = Period.objects.order_by("framework_code", "-year")
    choices = [(p.framework_code, p.year) for p in periods]
    framework = request.GET.get("framework") or (choices[0][0] if choices else "")
    years = [y for code, y in choices if code == framework]
    year = int(request.GET["period"]) if request.GET.get("period", "").isdigit() else (years[0] if years else 0)
    period = period_of(framework, year) if framework else None
    group, communes = _ranking_group(request, period)
    rows = list(
        published_scores().filter(framework__code=framework, period__year=year, group=group)
        .order_by("rank", vi_collate("agency__name_vi"), "agency_code")  # ties in Vietnamese name order
    )
    return render(request, "assessments/ranking.html", {
        "frameworks": sorted({code for code, _y in choices}), "framework": framework, "years": years,
        "year": year, "groups": ranking_groups(framework), "group": group, "rows": rows, **communes,
        "group_name": group_label(group, _picked(communes)),
        "bars": [(r, float(r.index) * 400) for r in rows],
        **(run_status_context(period) if period else {}),
    })


def _ranking_group(request, period: Period | None) -> tuple[str, dict]:
    """The peer group asked for (?group=central|provincial, else provincial) or the communes of a province
    (scoring.md §5, key commune:<code>: ?province=<code>, ?group=commune:<code>, or ?group=commune for the
    user's own province), with the picker's provinces: those active on the period's last day. Published scores
    are everyone's to read (roles.md), so any province may be picked; the default is only a convenience."""
    asked, picked = request.GET.get("group", ""), request.GET.get("province", "")
    kind, _sep, code = asked.partition(":")
    if period is None:
        return PeerGroup.PROVINCIAL, {}
    provinces = list(Agency.objects.filter(kind=AgencyKind.PROVINCE).active_on(period.end_date).by_name())
    if kind != COMMUNES and not picked:
        return (asked if asked in RANKED_GROUPS else PeerGroup.PROVINCIAL), {"provinces": provinces, "province": ""}
    codes = {p.code for p in provinces}
    code = normalize_code(picked or code)
    if code not in codes:
        own = own_province(request.user)
        code = own.code if own is not None and own.code in codes else (provinces[0].code if provinces else "")
    return f"{COMMUNES}:{code}", {"provinces": provinces, "province": code}


def _picked(communes: dict) -> Agency | None:
    """The province whose communes are ranked, among the picker's (None when a central or provincial group)."""
    return next((p for p in communes.get("provinces", ()) if p.code == communes.get("province")), None)


def own_province(user) -> Agency | None:
    """The province of an agency user: their agency if it is one, else the province above it (None for others)."""
    agency = getattr(user, "agency", None)
    if agency is None or agency.kind == AgencyKind.PROVINCE:
        return agency
    above = [int(pk) for pk in agency.path.strip("/").split("/") if pk]
    return Agency.objects.filter(pk__in=above, kind=AgencyKind.PROVINCE).first()


def run_status_context(period: Period, watching: str = "") -> dict:
    """The latest score run of the period, its progress, and whether the run the page was watching has ended."""
    run = ScoreRun.objects.filter(period=period).select_related("framework", "started_by").order_by(
        "-requested_at", "-pk").first()
    active = run is not None and run.status in ACTIVE_RUN_STATUSES
    query = {"framework": period.framework_code, "period": period.year, **({"watch": run.pk} if active else {})}
    return {
        "run": run, "run_active": active, "run_progress": round(runs.run_progress(run) * 100) if run else 0,
        "run_period": period, "run_poll_url": f"{reverse('score-run-status')}?{urlencode(query)}",
        # The watched run ended (or was followed by another one): the page reloads its ranking.
        "run_finished": watching.isdigit() and not (active and run.pk == int(watching)),
    }


@require_GET
@login_required
def run_status(request):
    """The run-status fragment; the page polls it while a run is queued or running."""
    year = request.GET.get("period", "")
    period = period_of(request.GET.get("framework", ""), int(year)) if year.isdigit() else None
    if period is None:
        raise Http404
    context = run_status_context(period, request.GET.get("watch", ""))
    response = render(request, "assessments/_run_status.html", context)
    if context["run_finished"]:
        response["HX-Trigger"] = "score-run-finished"
    return response


@require_POST
@login_required
def start_run(request):
    """Start (or join) a score run of the latest version of the framework for the period; reviewers and admins."""
    if not request.user.is_reviewer_or_admin:
        raise PermissionDenied
    code, year = request.POST.get("framework", ""), request.POST.get("period", "")
    framework = latest_framework(code) if code else None
    period = period_of(framework.code, int(year)) if framework and year.isdigit() else None
    if period is None:
        messages.error(request, _("Unknown framework or period; nothing was started."))
        return redirect("score-ranking")
    run, created = runs.request_run(framework, period, user=request.user)
    messages.success(request, _("Score run %(id)s started.") % {"id": run.pk} if created
                     else _("A score run is already going; your request joined run %(id)s.") % {"id": run.pk})
    return redirect(f"{reverse('score-ranking')}?{urlencode({'framework': code, 'period': year, **_group(request)})}")


def _group(request) -> dict:
    group = request.POST.get("group")
    return {"group": group} if group in RANKED_GROUPS else {}


# The "over the years" chart: plot area in SVG units, 0–100 % upwards.
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 40, 320, 10, 110
Y_TICKS = (0, 25, 50, 75, 100)


def _over_the_years(series: list) -> dict:
    """Points of the index chart, with its y ticks; one period is drawn as a labelled bar, not a lone dot."""
    step = (PLOT_RIGHT - PLOT_LEFT) / max(len(series), 1)
    height = PLOT_BOTTOM - PLOT_TOP
    points = [(PLOT_LEFT + (i + 0.5) * step, PLOT_BOTTOM - float(s.index) * height, s) for i, s in enumerate(series)]
    one = points[0] if len(points) == 1 else None
    return {"dots": points, "polyline": " ".join(f"{x:.1f},{y:.1f}" for x, y, _s in points),
            # One period: a bar from the axis to the value (its label above it) reads better than one dot.
            "bar": (one[0] - 20, one[1], PLOT_BOTTOM - one[1], one[2]) if one else None,
            "ticks": [(t, PLOT_BOTTOM - t * height / 100) for t in Y_TICKS]}


def _pillars(latest, names: dict) -> list[dict]:
    """The latest score's pillars with their name in the reader's language and readiness level (colour)."""
    english = get_language() == "en"
    rows = []
    for p in latest.pillars:
        vi, en = names.get(latest.framework_id, {}).get(p["code"], (p["code"], ""))
        level = level_for(p["index"], latest.framework.levels) if p["index"] is not None else ""
        rows.append({**p, "name": (en if english else "") or vi, "level": level, "width": (p["index"] or 0) * 400})
    return rows


def _gains(latest, user) -> list[dict]:
    """What to fix next, with legal bases by the act's short title (the breakdown API keeps the codes)."""
    gains = what_to_fix_next(latest, user)
    indicators = Indicator.objects.filter(framework_id=latest.framework_id, code__in=[g["indicator"] for g in gains])
    titles = {i.code: (legal_basis_titles(i, get_language()), local_name(i))
              for i in indicators.prefetch_related("legal_basis__source")}
    return [{**g, "legal_basis": titles.get(g["indicator"], ((), ""))[0],
             "name": titles.get(g["indicator"], ((), g["name"]))[1]} for g in gains]


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
    panels = [{"code": code_, "series": series, "latest": series[-1], **_over_the_years(series),
               "pillars": _pillars(series[-1], names), "gains": _gains(series[-1], request.user)}
              for code_, series in frameworks.items()]
    return render(request, "assessments/agency_scores.html", {
        "agency": agency, "panels": panels, "levels": [(c, level_label(c)) for c in LEVEL_NAMES],
        "group": agency_group(agency)})
