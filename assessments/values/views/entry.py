"""Data entry of indicator values (agency staff and leads): one form per pillar, evidence files, save as
draft, submit (leads), and the reviewer's "not applicable". Thin: rules live in services and evidence.

An agency outside the user's scope is a 404; an action the role may not take is a 403 page; a stale
version or a closed period answers 409 with what the user typed kept in the form.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from agencies.models import AGENCY_ROLES, Role
from assessments.values import services
from assessments.values.forms import Problem, RowsRejected, parse_rows, save_rows
from assessments.values.models import Evidence, IndicatorValue
from assessments.values.permissions import can_edit, can_review, can_submit
from assessments.values.selectors import (
    EntryRow,
    applicable,
    default_entry_agency,
    entry_agencies,
    pillar_progress,
    pillar_status_counts,
    pillars_of,
    previous_values,
    select_period,
    stored_fields,
    values_by_indicator,
    visible_values,
)
from assessments.values.services import EDITABLE
from govit.errors import Conflict, InputRejected


def refused(request, message, status: int):
    return render(request, "assessments/values/refused.html", {"message": message, "status": status}, status=status)


@require_GET
@login_required
def values_home(request):
    """The "Values" link: entry for agency staff and leads, the queue for reviewers, else completeness."""
    if request.user.role in AGENCY_ROLES:
        return redirect("values-entry")
    if request.user.is_reviewer_or_admin:
        return redirect("values-review")
    return redirect("values-completeness")


def _agency(request, period):
    """The agency asked for (?agency=id, 404 outside the scope), else the user's own one."""
    raw = request.GET.get("agency", "")
    if raw:
        if not raw.isdigit() or len(raw) > 9:
            raise Http404
        agency = entry_agencies(request.user, period).filter(pk=int(raw)).first()
        if agency is None:
            raise Http404
        return agency
    if request.user.role in AGENCY_ROLES:
        return default_entry_agency(request.user, period)
    return None


@require_http_methods(["GET", "POST"])
@login_required
def entry(request):
    user = request.user
    if user.role == Role.OBSERVER:
        return refused(request, _("Observers see verified values only: use the completeness view or the scores."),
                       403)
    selection = select_period(request.GET.get("framework"), request.GET.get("period"))
    context = {"selection": selection, "is_agency_user": user.role in AGENCY_ROLES}
    period, framework = selection.period, selection.framework
    if period is None or framework is None:
        return render(request, "assessments/values/entry.html", context)
    agency = _agency(request, period)
    context["agency"] = agency
    if agency is None:
        return render(request, "assessments/values/entry.html", context)
    if user.role in AGENCY_ROLES:
        context["agencies"] = entry_agencies(user, period)
    pillars = pillars_of(framework, with_legal_basis=True)
    pillar = next((p for p in pillars if p.code == request.GET.get("pillar")), pillars[0] if pillars else None)
    indicators = applicable(pillar, agency.kind, period) if pillar else []
    current = values_by_indicator(agency, period, indicators)
    decimal_comma = get_language() == "vi"
    shown = {i.pk: stored_fields(current.get(i.pk), decimal_comma) for i in indicators}
    previous = previous_values(agency, period, indicators)
    rows = [EntryRow(i, current.get(i.pk), dict(shown[i.pk]), previous=previous.get(i.code)) for i in indicators]
    query = urlencode({"framework": framework.code, "period": period.year, "agency": agency.pk,
                       "pillar": pillar.code if pillar else ""})
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not period.is_open:
            return refused(request, _("The period is closed; its values can no longer change."), 409)
        try:
            if action == "not_applicable":
                status = _not_applicable(request, agency, period, rows)
            elif action in ("save", "submit", "submit_all"):
                status = _save(request, action, agency, framework, period, rows, shown, current)
            else:
                return refused(request, _("Unknown action."), 400)
        except PermissionDenied as exc:
            return refused(request, exc.args[0] if exc.args else _("Not allowed."), 403)
        if status == 302:
            return redirect(f"{reverse('values-entry')}?{query}")
    counts = pillar_status_counts(agency, period, framework)
    progress = pillar_progress(pillars, agency.kind, counts, period)
    context.update({
        "framework": framework, "period": period,
        "pillars": [(p, counts.get(p.code, {}), progress[p.code]) for p in pillars],
        "pillar": pillar, "rows": rows, "query": query,
        "can_edit": period.is_open and can_edit(user, agency),
        "can_submit": period.is_open and can_submit(user, agency),
        "can_review": period.is_open and can_review(user, agency),
        "editable_count": sum(1 for r in rows if r.value is not None and r.value.status in EDITABLE),
        "conflict": status == 409,
    })
    return render(request, "assessments/values/entry.html", context, status=status)


def _save(request, action, agency, framework, period, rows, shown, current) -> int:
    """Save the pillar's form (and submit it, or every pillar's drafts); 302 when done, else 400/409."""
    if action == "submit_all":
        posted, submit = [], list(IndicatorValue.objects.filter(
            agency=agency, period=period, indicator__framework=framework, status__in=EDITABLE))
    else:
        posted = parse_rows(request.POST, request.FILES, [r.indicator for r in rows])
        submit = list(current.values()) if action == "submit" else None
    try:
        saved, submitted = save_rows(request.user, agency, period, posted, shown, submit=submit)
    except RowsRejected as exc:
        typed = {row.indicator.pk: row for row in posted}
        for row in rows:
            if row.indicator.pk in typed:
                row.shown = typed[row.indicator.pk].fields
            row.errors = exc.problems.get(row.indicator.pk, [])
        return 409 if exc.conflict else 400
    if action == "save":
        messages.success(request, _("Saved as draft: %(n)s value(s) changed.") % {"n": len(saved)})
    else:
        messages.success(request, _("Submitted for review: %(n)s value(s).") % {"n": submitted})
    return 302


def _not_applicable(request, agency, period, rows) -> int:
    """A reviewer accepts that an indicator does not apply to the agency this period (scoring.md §4)."""
    raw = request.POST.get("indicator", "")
    row = next((r for r in rows if str(r.indicator.pk) == raw), None)
    if row is None:
        raise Http404
    raw_version = request.POST.get("version", "")
    try:
        services.mark_not_applicable(request.user, agency, row.indicator, period, request.POST.get("reason", ""),
                                     int(raw_version) if raw_version.isdigit() and len(raw_version) < 10 else None)
    except InputRejected as exc:
        row.errors = [Problem.of(e.message, e.where) for e in exc.errors]
        return 400
    except Conflict as exc:
        row.errors = [Problem.of(exc.message, "na_reason")]
        return 409
    messages.success(request, _("%(code)s is marked not applicable.") % {"code": row.indicator.code})
    return 302


@require_GET
@login_required
def evidence_file(request, pk):
    """An evidence file, to whoever may see its value (404 otherwise); always a download, never rendered."""
    evidence = get_object_or_404(Evidence.objects.select_related("value"), pk=pk)
    if not visible_values(request.user).filter(pk=evidence.value_id).exists():
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                        content_type=evidence.content_type)
