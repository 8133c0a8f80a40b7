"""Who may see what: the agency scope of a user (roles.md)."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import AGENCY_ROLES, Agency, ReviewingAuthority, Role, User


def scope_agencies(user: User) -> QuerySet[Agency]:
    """The agencies whose unpublished work (drafts, submissions) the user may see."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.role in (Role.REVIEWER, Role.ADMIN):
        return Agency.objects.all()
    if user.role in AGENCY_ROLES and user.agency_id:
        if user.with_descendants:
            return Agency.objects.descendants_of(user.agency, include_self=True)
        return Agency.objects.filter(pk=user.agency_id)
    return Agency.objects.none()


def member_agency_ids(user: User) -> set[int]:
    """Agencies a user belongs to, for separation of duties (a reviewer never acts on their own)."""
    if not user.agency_id:
        return set()
    ids = {user.agency_id}
    if user.with_descendants:
        ids |= set(Agency.objects.descendants_of(user.agency).values_list("pk", flat=True))
    return ids


def agency_by_code(code: str, on: datetime.date | None = None) -> Agency | None:
    """The agency carrying `code` on a date; without a date the current one, else the latest."""
    qs = Agency.objects.filter(code=code).select_related("parent").annotate(children_count=Count("children"))
    if on is not None:
        return qs.active_on(on).first()
    return qs.active_on(timezone.localdate()).first() or qs.order_by("-valid_from").first()


def lineage_of(agency: Agency) -> tuple[list, list]:
    preds = list(agency.predecessor_links.select_related("predecessor").order_by("predecessor__code"))
    succs = list(agency.successor_links.select_related("successor").order_by("successor__code"))
    return preds, succs


def reviewing_authority_on(day: datetime.date) -> Agency | None:
    term = (
        ReviewingAuthority.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("agency")
        .first()
    )
    return term.agency if term else None
