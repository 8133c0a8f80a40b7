"""Read-side queries on plans: visibility, totals, filing against deadlines, the plan in force."""

import datetime
from collections.abc import Iterable
from typing import Literal

from django.db.models import BigIntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from agencies.models import Agency, User
from agencies.selectors import member_agency_ids, scope_agencies
from agencies.text import vi_collate

from .deadlines import due_date
from .models import (
    PUBLISHED,
    BudgetLine,
    EventAction,
    FundingSource,
    InvestmentCategory,
    Plan,
    PlanEvent,
    PlanKind,
    PlanStatus,
    PlanTask,
    cycle_start,
)

FilingStatus = Literal["on_time", "late", "pending", "missing"]


def visible_plans(user: User) -> QuerySet[Plan]:
    """Approved (and superseded) plans for every signed-in user; the rest for the agency's scope,
    reviewers and admins (roles.md). Anything else does not exist for the caller."""
    qs = Plan.objects.select_related("agency")
    if not user.is_authenticated:
        return qs.none()
    if user.is_reviewer_or_admin:
        return qs
    return qs.filter(Q(status__in=PUBLISHED) | Q(agency__in=scope_agencies(user)))


def get_visible_plan(user: User, pk) -> Plan:
    try:
        return visible_plans(user).get(pk=int(pk))
    except (Plan.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def in_list_order(qs: QuerySet[Plan]) -> QuerySet[Plan]:
    """The plan list's order: newest cycle and year first, then agencies in Vietnamese name order (not by bytes)."""
    return qs.order_by("-period_start", "-year", vi_collate("agency__name_vi"), "agency__code", "-id")


def with_budget_total(qs: QuerySet[Plan]) -> QuerySet[Plan]:
    lines = (BudgetLine.objects.filter(task__plan=OuterRef("pk")).order_by().values("task__plan")
             .annotate(t=Sum("amount")).values("t"))
    return qs.annotate(budget_total=Coalesce(Subquery(lines, output_field=BigIntegerField()), 0))


def tasks_with_totals(plan: Plan) -> QuerySet[PlanTask]:
    return (plan.tasks.annotate(total=Coalesce(Sum("budget_lines__amount"), 0, output_field=BigIntegerField()))
            .prefetch_related("budget_lines").order_by("order", "id"))


def plan_totals(plan: Plan) -> dict:
    """Sums of the budget lines: overall, per funding source and per investment category (Art. 27(2))."""
    lines = BudgetLine.objects.filter(task__plan=plan).order_by()
    total = lines.aggregate(t=Coalesce(Sum("amount"), 0, output_field=BigIntegerField()))["t"]
    by_source = dict(lines.values("source").annotate(t=Sum("amount")).values_list("source", "t"))
    by_category = dict(lines.values("task__category").annotate(t=Sum("amount")).values_list("task__category", "t"))
    return {
        "total": total,
        "by_source": {s: by_source.get(s, 0) for s in FundingSource.values},
        "by_category": {c: by_category.get(c, 0) for c in InvestmentCategory.values},
    }


def _plans_for(agency: Agency, kind: str, year: int) -> QuerySet[Plan]:
    qs = Plan.objects.filter(agency=agency, kind=kind)
    if kind == PlanKind.ANNUAL:
        return qs.filter(year=year)
    return qs.filter(period_start=year, year__isnull=True)


def filing_time(agency: Agency, kind: str, year: int) -> datetime.datetime | None:
    """When the agency filed its plan of `kind` whose first year is `year`.

    Filing is the first submission after which the plan was never withdrawn (a plan returned by
    the reviewer stays filed). Amendments do not count: they are not the plan the deadline asks for.
    """
    plans = _plans_for(agency, kind, year).filter(amends__isnull=True)
    events = (PlanEvent.objects.filter(plan__in=plans, action__in=[EventAction.SUBMIT, EventAction.WITHDRAW])
              .order_by("at", "id").values_list("action", "at"))
    filed = None
    for action, at in events:
        if action == EventAction.WITHDRAW:
            filed = None
        elif filed is None:
            filed = at
    return filed


def filing_status(agency: Agency, kind: str, year: int, today: datetime.date | None = None) -> FilingStatus:
    """on_time / late (filed after the due date) / pending (not filed, not yet due) / missing (overdue)."""
    due = due_date(kind, year)
    filed = filing_time(agency, kind, year)
    if filed is not None:
        return "on_time" if timezone.localdate(filed) <= due else "late"
    return "pending" if (today or timezone.localdate()) <= due else "missing"


def filed_on_time(agency: Agency, kind: str, year: int) -> bool:
    """For the plan indicators of the score: the plan whose first year is `year` (the cycle start
    for five-year plans) was filed on or before its due date. Not filed yet is False."""
    return filing_status(agency, kind, year) == "on_time"


def approved_plan_in_force(agency: Agency, on_date: datetime.date, kind: str = PlanKind.FIVE_YEAR) -> Plan | None:
    """The approved plan of the agency covering `on_date`, in force on that date: its approval decision
    dated on or before it, and not yet superseded by an approved amendment."""
    qs = Plan.objects.filter(agency=agency, kind=kind, status__in=PUBLISHED, decision_date__lte=on_date).filter(
        Q(superseded_on__isnull=True) | Q(superseded_on__gt=on_date)
    )
    covering = {"year": on_date.year} if kind == PlanKind.ANNUAL else {"period_start": cycle_start(on_date.year)}
    return qs.filter(**covering).order_by("-decision_date", "-id").first()


def current_five_year_plan(agency_id: int, period_start: int) -> Plan | None:
    """The approved five-year plan of the cycle as it stands now (annual plans refer to it)."""
    return Plan.objects.filter(agency_id=agency_id, kind=PlanKind.FIVE_YEAR, period_start=period_start,
                               status=PlanStatus.APPROVED).first()


def review_queue(user: User) -> QuerySet[Plan]:
    """Plans waiting for a reviewer, without those of the reviewer's own agencies (separation of duties)."""
    qs = visible_plans(user).filter(status__in=[PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW])
    members = member_agency_ids(user)
    if members:
        qs = qs.exclude(agency_id__in=members)
    return qs.order_by("submitted_at", "id")


def catalog_indicators(agency: Agency | None = None, include_ids=(), years: Iterable[int] = ()) -> list:
    """Indicators of the latest version of each catalog, for the targets picker (plus the ones given). With
    `years` (the plan's), only catalogs in force and indicators the agency's kind reports in one of them: a
    2026-2030 plan is not offered district indicators ended in 2025, nor a catalog repealed before it starts."""
    from assessments.catalog.models import Framework, Indicator
    from assessments.catalog.selectors import latest_framework

    years = list(years) or [None]
    codes = Framework.objects.order_by().values_list("code", flat=True).distinct()
    frameworks = [f for f in (latest_framework(c) for c in codes)
                  if f is not None and any(y is None or f.covers_year(y) for y in years)]
    qs = Indicator.objects.filter(Q(framework__in=frameworks) | Q(pk__in=list(include_ids)))
    rows = list(qs.select_related("framework", "pillar").order_by("framework__code", "pillar__order", "order"))

    def offered(indicator) -> bool:
        if indicator.pk in include_ids:
            return True
        if agency is not None:
            return any(indicator.applies_in(agency.kind, y) for y in years)
        return any(y is None or indicator.assessed_in(y) for y in years)

    return [i for i in rows if offered(i)]


def review_span(plan: Plan) -> tuple[int, int]:
    """The versions a reviewer compares: since the plan was last returned, else since just before it was first
    submitted (the whole plan as filed), up to the current version."""
    events = list(plan.events.order_by("version").values_list("version", "action"))
    last_return = next((v for v, action in reversed(events) if action == EventAction.RETURN), None)
    first_submit = next((v for v, action in events if action == EventAction.SUBMIT), 1)
    return last_return or max(first_submit - 1, 1), plan.version
