"""What the home page shows each role: what is due, what came back, drafts, review queues, key figures.

Every query starts from the user's scope (agencies.selectors.scope_agencies, the values' and plans' permission
rules), so nothing of an agency outside it appears; observers get only published scores.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agencies.models import AGENCY_ROLES, User
from agencies.selectors import scope_agencies
from assessments.catalog.models import Period, PeriodStatus
from assessments.scores.models import AgencyScore
from assessments.scores.selectors import published_scores
from assessments.values.models import IndicatorValue, ValueStatus
from assessments.values.permissions import reviewable_values, reviews_values
from plans.deadlines import due_date
from plans.models import Plan, PlanKind, PlanStatus, cycle_start
from plans.selectors import filing_status, review_queue

LIST_LIMIT = 10
TREND_WIDTH, TREND_HEIGHT = 200, 60


@dataclass
class Due:
    label: str  # what is due: a period's values or a plan
    day: datetime.date
    url: str
    today: datetime.date

    @property
    def days_left(self) -> int:
        return (self.day - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return -self.days_left


@dataclass
class Waiting:
    label: str
    count: int
    oldest: datetime.datetime | None
    url: str

    @property
    def age_days(self) -> int | None:
        return None if self.oldest is None else (timezone.now() - self.oldest).days


@dataclass
class Figures:
    score: AgencyScore
    peers: int
    trend: list[tuple[float, float, AgencyScore]] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _s in self.trend)


def _entry_url(period: Period, agency_id: int | None = None, pillar: str = "") -> str:
    query = {"framework": period.framework_code, "period": period.year}
    if agency_id:
        query["agency"] = agency_id
    if pillar:
        query["pillar"] = pillar
    return f"{reverse('values-entry')}?{urlencode(query)}"


def due_items(user: User, today: datetime.date) -> list[Due]:
    """Open periods' value deadlines, and the plans of the user's agency not filed yet, soonest first."""
    if user.role not in AGENCY_ROLES or not user.agency_id:
        return []
    items = [Due(f"{p.framework_code} {p.year}", p.deadline, _entry_url(p, user.agency_id), today)
             for p in Period.objects.filter(status=PeriodStatus.OPEN)]
    plans = [(PlanKind.ANNUAL, today.year + 1), (PlanKind.FIVE_YEAR, cycle_start(today.year + 1))]
    for kind, year in dict.fromkeys(plans):
        if filing_status(user.agency, kind, year, today) in ("pending", "missing"):
            years = str(year) if kind == PlanKind.ANNUAL else f"{year}–{year + 4}"
            items.append(Due(f"{PlanKind(kind).label} {years}", due_date(kind, year), reverse("plan-list"), today))
    return sorted(items, key=lambda d: d.day)


def _scope_values(user: User) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(agency__in=scope_agencies(user))


def rejected_values(user: User) -> list[dict]:
    """Rejected values of the scope with their reason, newest first (agency staff and leads)."""
    if user.role not in AGENCY_ROLES:
        return []
    rows = (_scope_values(user).filter(status=ValueStatus.REJECTED)
            .select_related("agency", "indicator__pillar", "period").order_by("-updated_at")[:LIST_LIMIT])
    return [{"value": v, "url": _entry_url(v.period, v.agency_id, v.indicator.pillar.code)} for v in rows]


def returned_plans(user: User) -> QuerySet[Plan]:
    if user.role not in AGENCY_ROLES:
        return Plan.objects.none()
    return (Plan.objects.filter(agency__in=scope_agencies(user), status=PlanStatus.RETURNED)
            .select_related("agency").order_by("-updated_at")[:LIST_LIMIT])


def draft_plans(user: User) -> QuerySet[Plan]:
    if user.role not in AGENCY_ROLES:
        return Plan.objects.none()
    return (Plan.objects.filter(agency__in=scope_agencies(user), status=PlanStatus.DRAFT)
            .select_related("agency").order_by("-updated_at")[:LIST_LIMIT])


def draft_values(user: User) -> list[dict]:
    """Draft values not submitted, counted per open period and agency of the scope."""
    if user.role not in AGENCY_ROLES:
        return []
    rows = (_scope_values(user).filter(status=ValueStatus.DRAFT, period__status=PeriodStatus.OPEN)
            .values("period", "agency", "agency__name_vi").annotate(n=Count("id")).order_by("agency__name_vi"))
    periods = Period.objects.in_bulk({r["period"] for r in rows})
    return [{"period": periods[r["period"]], "agency": r["agency__name_vi"], "count": r["n"],
             "url": _entry_url(periods[r["period"]], r["agency"])} for r in rows]


def review_waiting(user: User) -> list[Waiting]:
    """Reviewers and admins: submitted values per period and plans waiting, with their count and oldest."""
    if not reviews_values(user):
        return []
    out = []
    values = (reviewable_values(user).filter(status=ValueStatus.SUBMITTED).values("period")
              .annotate(n=Count("id"), oldest=Min("updated_at")).order_by("period"))
    periods = Period.objects.in_bulk({r["period"] for r in values})
    for r in values:
        p = periods[r["period"]]
        url = f"{reverse('values-review')}?{urlencode({'framework': p.framework_code, 'period': p.year})}"
        out.append(Waiting(f"{p.framework_code} {p.year}", r["n"], r["oldest"], url))
    plans = review_queue(user).aggregate(n=Count("id"), oldest=Min("submitted_at"))
    if plans["n"]:
        out.append(Waiting(gettext_lazy("Plans"), plans["n"], plans["oldest"], reverse("plan-queue")))
    return out


def key_figures(user: User) -> list[Figures]:
    """The latest published score of the user's agency per framework, its peer group size and its trend."""
    if not user.agency_id:
        return []
    scores = list(published_scores().filter(agency_id=user.agency_id).order_by("framework__code", "period__year"))
    series: dict[str, list[AgencyScore]] = {}
    for s in scores:
        series.setdefault(s.framework.code, []).append(s)
    out = []
    for rows in series.values():
        latest = rows[-1]
        peers = AgencyScore.objects.filter(framework_id=latest.framework_id, period_id=latest.period_id,
                                           group=latest.group).count()
        step = (TREND_WIDTH - 20) / max(len(rows) - 1, 1)
        trend = [(10 + i * step, TREND_HEIGHT - 5 - float(s.index) * (TREND_HEIGHT - 15), s)
                 for i, s in enumerate(rows)]
        out.append(Figures(latest, peers, trend))
    return out


def home_context(user: User, today: datetime.date) -> dict:
    return {
        "due": due_items(user, today),
        "rejected_values": rejected_values(user),
        "returned_plans": returned_plans(user),
        "draft_plans": draft_plans(user),
        "draft_values": draft_values(user),
        "waiting": review_waiting(user),
        "figures": key_figures(user),
        "is_agency_user": user.role in AGENCY_ROLES,
        "is_reviewer": reviews_values(user),
    }
