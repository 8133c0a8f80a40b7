"""The reviewer queue: submitted values filtered by framework, period, agency and pillar; verify or
reject them one by one or in bulk, each row reported on its own (separation of duties in services)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.codes import normalize_code
from assessments.values.forms import decide
from assessments.values.permissions import reviewable_values, reviews_values
from assessments.values.selectors import pillars_of, review_queue, select_period, shown_value
from assessments.values.views.entry import refused

ACTIONS = ("verify", "reject")


def _version(post, pk: int) -> int | None:
    raw = post.get(f"version-{pk}", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _decisions(post) -> list[tuple[int, str, str, int | None]]:
    """(value id, action, reason, version) from one row's button ("verify:12") or the bulk form."""
    one = post.get("one", "")
    if ":" in one:
        action, _sep, raw = one.partition(":")
        if action in ACTIONS and raw.isdigit() and len(raw) < 10:
            return [(int(raw), action, post.get(f"reason-{raw}", ""), _version(post, int(raw)))]
        return []
    action = post.get("action", "")
    if action not in ACTIONS:
        return []
    ids = sorted({int(raw) for raw in post.getlist("ids") if raw.isdigit() and len(raw) < 10})
    return [(pk, action, post.get("reason", ""), _version(post, pk)) for pk in ids]


@require_http_methods(["GET", "POST"])
@login_required
def review(request):
    user = request.user
    if not reviews_values(user):
        return refused(request, _("Only reviewers and administrators have a review queue."), 403)
    selection = select_period(request.GET.get("framework"), request.GET.get("period"))
    context = {"selection": selection, "agency_code": normalize_code(request.GET.get("agency", ""))[:20],
               "pillar_code": request.GET.get("pillar", "")[:50]}
    if selection.period is None:
        return render(request, "assessments/values/review.html", context)
    status = 200
    if request.method == "POST":
        decisions = _decisions(request.POST)
        if not decisions:
            context["problem"] = _("Tick at least one value, then choose verify or reject.")
            status = 400
        else:
            values = reviewable_values(user).select_related("agency", "indicator", "period").in_bulk(
                [pk for pk, *_rest in decisions])
            outcomes = decide(user, values, decisions)
            context["outcomes"] = outcomes
            if not any(o.ok for o in outcomes):
                status = 409 if any(p.where == "version" for o in outcomes for p in o.problems) else 400
    queue = review_queue(user, selection.period, context["agency_code"], context["pillar_code"])
    page = Paginator(queue, 50).get_page(request.GET.get("page"))
    decimal_comma = get_language() == "vi"
    context.update({
        "page": page, "pillars": pillars_of(selection.framework) if selection.framework else [],
        "rows": [(v, shown_value(v, decimal_comma, _("yes"), _("no"))) for v in page],
    })
    return render(request, "assessments/values/review.html", context, status=status)
