"""Web pages of plans (Vietnamese first). Thin: rules live in services, workflow, selectors and policy.

A plan the user may not see is a 404; an action their role may not take is a 403 page; a wrong
state or a stale version is a 409 page that keeps what the user typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from agencies.models import AGENCY_ROLES
from agencies.selectors import scope_agencies
from govit.errors import InputError, InputRejected

from . import docx, editor, exports, policy, services, workflow
from . import sections as spec
from .content import whole_number
from .deadlines import due_dates
from .errors import PlanConflict, PlanForbidden
from .filters import PlanFilter
from .models import EventAction, FundingSource, InvestmentCategory, PlanEvent, PlanKind, PlanStatus
from .sections import Basis
from .selectors import (
    catalog_indicators,
    filing_time,
    get_visible_plan,
    in_list_order,
    plan_totals,
    review_queue,
    review_span,
    tasks_with_totals,
    visible_plans,
    with_budget_total,
)
from .snapshots import diff


def _error_page(request, exc, status: int):
    return render(request, "plans/error.html", {"message": exc.message, "status": status}, status=status)


def _page(request, qs):
    return Paginator(qs, 50).get_page(request.GET.get("page"))


@require_GET
@login_required
def plan_list(request):
    filters = PlanFilter(request.GET, queryset=with_budget_total(visible_plans(request.user)))
    qs = filters.qs if filters.is_valid() else filters.queryset.none()
    creatable = scope_agencies(request.user).order_by("name_vi") if request.user.role in AGENCY_ROLES else None
    return render(request, "plans/list.html", {
        "page": _page(request, in_list_order(qs)), "filters": filters,
        "statuses": PlanStatus.choices, "kinds": PlanKind.choices, "creatable": creatable,
        "bases": Basis.CHOICES, "this_year": timezone.localdate().year,
    })


@require_POST
@login_required
def plan_create(request):
    post = request.POST
    agency_id = whole_number(post.get("agency"))
    agency = scope_agencies(request.user).filter(pk=agency_id).first() if agency_id is not None else None
    if agency is None:
        messages.error(request, _("Choose an agency in your scope."))
        return redirect("plan-list")
    number = {k: whole_number(post.get(k)) for k in ("period_start", "year")}
    kind = post.get("kind", "")
    new = services.NewPlan(agency=agency, kind=kind, title=post.get("title", ""), basis=post.get("basis", ""),
                           period_start=number["period_start"] if kind == PlanKind.FIVE_YEAR else None,
                           year=number["year"] if kind == PlanKind.ANNUAL else None)
    try:
        plan = services.create_plan(request.user, new)
    except PlanForbidden as exc:
        return _error_page(request, exc, 403)
    except InputRejected as exc:
        for error in exc.errors:
            messages.error(request, str(error.message))
        return redirect("plan-list")
    return redirect("plan-edit", pk=plan.pk)


@require_POST
@login_required
def plan_amend(request, pk):
    plan = get_visible_plan(request.user, pk)
    try:
        amendment = services.create_plan(request.user, services.NewPlan(agency=plan.agency, amends=plan))
    except PlanForbidden as exc:
        return _error_page(request, exc, 403)
    except InputRejected as exc:
        for error in exc.errors:
            messages.error(request, str(error.message))
        return redirect("plan-detail", pk=plan.pk)
    return redirect("plan-edit", pk=amendment.pk)


def _targets_table(plan):
    rows: dict[int, dict] = {}
    for t in plan.targets.select_related("indicator").order_by("indicator__code", "year"):
        row = rows.setdefault(t.indicator_id, {"indicator": t.indicator, "values": {}})
        row["values"][t.year] = t.value
    return [{"indicator": r["indicator"], "cells": [r["values"].get(y) for y in plan.years]} for r in rows.values()]


def _plan_context(request, plan) -> dict:
    user = request.user
    totals = plan_totals(plan)
    return {
        "plan": plan, "sections": plan.sections.order_by("order"), "tasks": tasks_with_totals(plan),
        "totals": totals, "targets": _targets_table(plan),
        "source_totals": [(FundingSource(s).label, a) for s, a in totals["by_source"].items()],
        "category_totals": [(InvestmentCategory(c).label, a) for c, a in totals["by_category"].items() if a],
        "actions": workflow.available_actions(plan, user),
        "can_edit": plan.is_editable and policy.may(user, "edit", plan),
        "can_amend": services.may_amend(user, plan),
        "can_review": policy.may(user, "start_review", plan),
        "missing": services.missing_parts(plan) if plan.is_editable else [],
    }


@require_GET
@login_required
def plan_detail(request, pk):
    plan = get_visible_plan(request.user, pk)
    return render(request, "plans/detail.html", _plan_context(request, plan))


def _comments_by_section(plan) -> dict[str, list]:
    comments: dict[str, list] = {}
    for c in plan.comments.select_related("author").order_by("created_at", "id"):
        comments.setdefault(c.section_key, []).append(c)
    return comments


def _editor_context(plan, state, errors=(), conflict=None) -> dict:
    ids = {whole_number(r.indicator) for r in state.targets} - {None}
    # The staff fixing a returned plan need the reviewers' words next to what they edit.
    comments = _comments_by_section(plan)
    returned = plan.events.filter(action=EventAction.RETURN).select_related("actor").defer("snapshot").order_by(
        "-version").first() if plan.status == PlanStatus.RETURNED else None
    return {"plan": plan, "state": state, "errors": errors, "conflict": conflict, "returned": returned,
            "section_rows": [(s, comments.get(s["key"], [])) for s in state.sections],
            "general_comments": comments.get("", []),
            "indicators": catalog_indicators(plan.agency, ids, plan.years), "categories": InvestmentCategory.choices,
            "sources": FundingSource.choices, "blank_task": editor.TaskRow(index=0),
            "blank_target": editor.TargetRow(index=0), "blank_cells": [(y, "", False) for y in plan.years]}


@require_http_methods(["GET", "POST"])
@login_required
def plan_edit(request, pk):
    plan = get_visible_plan(request.user, pk)
    if not policy.may(request.user, "edit", plan):
        return _error_page(request, PlanForbidden(policy.forbidden_reason(request.user, "edit", plan)), 403)
    if request.method == "GET":
        if not plan.is_editable:
            return _error_page(request, services.not_editable(plan), 409)
        return render(request, "plans/edit.html", _editor_context(plan, editor.state_from_plan(plan)))
    content, state, _rows = editor.parse_post(plan, request.POST)
    try:
        plan, changed = services.update_plan(plan.pk, request.user, content, request.POST.get("version"))
    except PlanConflict as exc:
        return render(request, "plans/edit.html", _editor_context(plan, state, conflict=exc), status=409)
    except InputRejected as exc:
        editor.mark_invalid(state, content, exc.errors)
        return render(request, "plans/edit.html", _editor_context(plan, state, errors=exc.errors), status=400)
    messages.success(request, _("Saved (version %(v)s).") % {"v": plan.version} if changed else _("No change."))
    return redirect("plan-edit", pk=plan.pk)


@require_POST
@login_required
def plan_autosave(request, pk):
    """htmx: save the draft a few seconds after the user stops typing; answers a status fragment."""
    plan = get_visible_plan(request.user, pk)
    content, state, rows = editor.parse_post(plan, request.POST)
    try:
        plan, changed = services.update_plan(plan.pk, request.user, content, request.POST.get("version"))
    except PlanForbidden as exc:
        return render(request, "plans/_autosave.html", {"error": exc.message}, status=403)
    except PlanConflict as exc:
        return render(request, "plans/_autosave.html", {"conflict": exc}, status=409)
    except InputRejected as exc:
        return render(request, "plans/_autosave.html", {"errors": exc.errors}, status=400)
    task_ids = list(plan.tasks.order_by("order", "id").values_list("pk", flat=True))
    return render(request, "plans/_autosave.html", {
        "plan": plan, "saved": plan, "changed": changed, "saved_at": timezone.localtime(),
        "task_ids": list(zip(rows, task_ids, strict=False)),
    })


@require_http_methods(["GET", "POST"])
@login_required
def plan_submit(request, pk):
    """The submission checklist, and the submission itself (agency lead)."""
    plan = get_visible_plan(request.user, pk)
    if request.method == "POST":
        try:
            workflow.perform(plan.pk, "submit", request.user, version=request.POST.get("version"))
        except PlanForbidden as exc:
            return _error_page(request, exc, 403)
        except PlanConflict as exc:
            return _error_page(request, exc, 409)
        except InputRejected:
            plan.refresh_from_db()
        else:
            messages.success(request, _("The plan was submitted."))
            return redirect("plan-detail", pk=plan.pk)
    required = spec.required_keys(plan.basis, plan.kind)
    missing = services.missing_parts(plan)
    missing_where = {e.where for e in missing}
    checklist = [(spec.BY_KEY[k].title, f"sections.{k}" not in missing_where) for k in required]
    checklist.append((_("At least one task with its budget"), "tasks" not in missing_where))
    if plan.basis == Basis.DIGITAL_TRANSFORMATION:
        checklist.append((_("Targets on catalog indicators"), "targets" not in missing_where))
    due = due_dates({(plan.kind, plan.first_year)})[(plan.kind, plan.first_year)]
    return render(request, "plans/submit.html", {
        "plan": plan, "checklist": checklist, "missing": missing, "due": due,
        "may_submit": "submit" in workflow.available_actions(plan, request.user),
    }, status=400 if request.method == "POST" else 200)


ACTION_MESSAGES = {
    "withdraw": gettext_lazy("The plan was withdrawn and is a draft again."),
    "start_review": gettext_lazy("The review has started."),
    "return": gettext_lazy("The plan was returned to the agency."),
    "approve": gettext_lazy("The plan was approved."),
}


@require_POST
@login_required
def plan_act(request, pk, action):
    plan = get_visible_plan(request.user, pk)
    if action not in ("withdraw", "start_review", "return", "approve"):
        return _error_page(request, PlanForbidden(_("Unknown action.")), 404)
    post = request.POST
    try:
        workflow.perform(plan.pk, action, request.user, version=post.get("version"), comment=post.get("comment", ""),
                         decision_number=post.get("decision_number", ""), decision_date=post.get("decision_date"))
    except PlanForbidden as exc:
        return _error_page(request, exc, 403)
    except (PlanConflict, InputRejected) as exc:
        status = 409 if isinstance(exc, PlanConflict) else 400
        errors = exc.errors if isinstance(exc, InputRejected) else [exc]
        if action in ("return", "approve"):
            return render(request, "plans/review.html", _review_context(request, plan, errors=errors), status=status)
        return _error_page(request, exc if isinstance(exc, PlanConflict) else exc.errors[0], status)
    messages.success(request, str(ACTION_MESSAGES[action]))
    return redirect("plan-review" if action == "start_review" else "plan-detail", pk=plan.pk)


@require_GET
@login_required
def plan_queue(request):
    """Reviewers: plans waiting for review, with their due dates."""
    if not request.user.is_reviewer_or_admin:
        return _error_page(request, PlanForbidden(_("Only reviewers and administrators have a review queue.")), 403)
    filters = PlanFilter(request.GET, queryset=with_budget_total(review_queue(request.user)))
    qs = filters.qs if filters.is_valid() else filters.queryset.none()
    page = _page(request, qs.order_by("submitted_at", "id"))
    dues = due_dates({(p.kind, p.first_year) for p in page})
    rows = []
    for p in page:
        due = dues[(p.kind, p.first_year)]
        filed = filing_time(p.agency, p.kind, p.first_year) if not p.amends_id else p.submitted_at
        rows.append({"plan": p, "due": due, "filed": filed,
                     "late": filed is not None and timezone.localdate(filed) > due and not p.amends_id})
    return render(request, "plans/queue.html", {"page": page, "rows": rows, "filters": filters,
                                                "statuses": [(s, lbl) for s, lbl in PlanStatus.choices
                                                             if s in (PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW)],
                                                "kinds": PlanKind.choices})


def _review_context(request, plan, errors=()) -> dict:
    context = _plan_context(request, plan)
    from_v, to_v = review_span(plan)
    comments = _comments_by_section(plan)
    snapshots = {e.version: e.snapshot for e in PlanEvent.objects.filter(plan=plan, version__in=[from_v, to_v])}
    context.update({
        "comments": comments, "can_comment": plan.status in (PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW)
        and policy.may(request.user, "comment", plan),
        "section_rows": [(s, comments.get(s.key, [])) for s in context["sections"]],
        "general_comments": comments.get("", []), "errors": errors, "post": request.POST,
        "diff": diff(snapshots[from_v], snapshots[to_v]) if from_v != to_v and len(snapshots) == 2 else None,
        "from_v": from_v, "to_v": to_v,
    })
    return context


@require_GET
@login_required
def plan_review(request, pk):
    plan = get_visible_plan(request.user, pk)
    return render(request, "plans/review.html", _review_context(request, plan))


@require_POST
@login_required
def plan_comment(request, pk):
    """htmx: add a reviewer's comment to a section; answers the section's comment list."""
    plan = get_visible_plan(request.user, pk)
    key = request.POST.get("section", "")
    errors = []
    try:
        services.add_comment(plan.pk, request.user, key, request.POST.get("body", ""))
    except PlanForbidden as exc:
        return _error_page(request, exc, 403)
    except PlanConflict as exc:
        errors = [exc]
    except InputRejected as exc:
        errors = exc.errors
    comments = plan.comments.filter(section_key=key).select_related("author").order_by("created_at", "id")
    context = {"plan": plan, "key": key, "comments": comments, "errors": errors, "can_comment": True,
               "body": request.POST.get("body", "") if errors else ""}
    status = 409 if errors and isinstance(errors[0], PlanConflict) else (400 if errors else 200)
    if not request.htmx:
        if errors:
            messages.error(request, str(errors[0].message))
        return redirect("plan-review", pk=plan.pk)
    return render(request, "plans/_comments.html", context, status=status)


@require_GET
@login_required
def plan_history(request, pk):
    plan = get_visible_plan(request.user, pk)
    events = plan.events.select_related("actor").order_by("-version").defer("snapshot")
    return render(request, "plans/history.html", {"plan": plan, "page": _page(request, events)})


@require_GET
@login_required
def plan_diff(request, pk):
    plan = get_visible_plan(request.user, pk)
    versions = list(plan.events.order_by("version").values_list("version", "action", "at"))
    asked = {key: request.GET.get(key, "") for key in ("from", "to")}
    numbers = {key: whole_number(raw) for key, raw in asked.items()}
    if any(raw and numbers[key] is None for key, raw in asked.items()):
        return _error_page(request, InputError(_("A version is a whole number, such as 3.")), 400)
    to_v = numbers["to"] or plan.version
    from_v = numbers["from"] or max(to_v - 1, 1)
    snapshots = {e.version: e.snapshot for e in PlanEvent.objects.filter(plan=plan, version__in=[from_v, to_v])}
    found = from_v in snapshots and to_v in snapshots
    parts = diff(snapshots[from_v], snapshots[to_v]) if found else None
    return render(request, "plans/diff.html", {"plan": plan, "versions": versions, "from_v": from_v, "to_v": to_v,
                                               "parts": parts}, status=200 if parts is not None else 404)


# The files of a plan by extension: builder and content type. Same visibility as the plan page.
DOWNLOADS = {
    "pdf": (exports.plan_pdf, "application/pdf"),
    "xlsx": (exports.plan_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    # The Word document officials edit before signing.
    "docx": (docx.plan_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


@require_GET
@login_required
def plan_download(request, pk, file: str):
    plan = get_visible_plan(request.user, pk)
    build, content_type = DOWNLOADS[file]
    filename = f"ke-hoach-{plan.agency.code}-{plan.years_label.replace('–', '-')}-v{plan.version}.{file}"
    response = HttpResponse(build(plan), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
