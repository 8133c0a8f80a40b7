"""Who may do what to an indicator value (roles.md): the one place for each rule.

Writing (entry, imports), submitting, reviewing and seeing unverified values are decided here; the
importer, the web pages, the API and the score breakdown call these functions, and
tests/test_permission_matrix.py drives them. Scope and membership come from agencies.selectors.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from agencies.models import AGENCY_ROLES, Agency, Role, User
from agencies.selectors import member_agency_ids, scope_agencies
from assessments.values.models import IndicatorValue, ValueStatus
from govit.i18n import LazyMessage, _

# The statuses a signed-in user's import may give, and to which roles. A verified import is the
# system's only (the import_values command, user None): verifying is a reviewer's act on one value.
IMPORT_ROLES = {ValueStatus.DRAFT: AGENCY_ROLES, ValueStatus.SUBMITTED: (Role.AGENCY_LEAD,)}
REVIEWERS_DO_NOT_WRITE = _(
    "Reviewers and administrators do not write values: they verify or reject submitted values on the review "
    "page or with POST /api/v1/values/{id}/verify/ and /reject/."
)


def in_scope(user: User, agency: Agency) -> bool:
    return scope_agencies(user).filter(pk=agency.pk).exists()


def can_edit(user: User, agency: Agency) -> bool:
    """Create and edit draft values, upload evidence: agency staff and leads, in their scope."""
    return user.is_authenticated and user.role in AGENCY_ROLES and in_scope(user, agency)


def can_submit(user: User, agency: Agency) -> bool:
    return user.is_authenticated and user.role == Role.AGENCY_LEAD and in_scope(user, agency)


def reviews_values(user: User) -> bool:
    """Reviewers and admins verify and reject values (a review queue), of agencies they are not members of."""
    return user.is_authenticated and user.is_reviewer_or_admin


def can_review(user: User, agency: Agency) -> bool:
    """Verify, reject, accept N/A: reviewers and admins, never for an agency they are a member of."""
    return reviews_values(user) and agency.pk not in member_agency_ids(user)


def reviewable_values(user: User) -> QuerySet[IndicatorValue]:
    """`can_review` as a filter: every value the user may verify or reject (the review queue)."""
    if not reviews_values(user):
        return IndicatorValue.objects.none()
    return IndicatorValue.objects.exclude(agency_id__in=member_agency_ids(user))


# --- seeing unverified values -------------------------------------------------------------------

def sees_unverified(user: User, *agencies: Agency) -> bool:
    """Whether the user may see the unverified values (and what is derived from them) of all these
    agencies: their scope's; every agency's for reviewers and admins; no one's for observers."""
    ids = {agency.pk for agency in agencies}
    return user.is_authenticated and scope_agencies(user).filter(pk__in=ids).count() == len(ids)


def visible_values_filter(user: User) -> Q:
    """`sees_unverified` as a filter on values: everyone's verified ones, and any status in the scope."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_reviewer_or_admin:
        return Q()  # their scope is every agency: no subquery
    return Q(status=ValueStatus.VERIFIED) | Q(agency__in=scope_agencies(user))


# --- imports ------------------------------------------------------------------------------------

def may_import(user: User | None, status: str) -> bool:
    """Whether an import by `user` (None: the system) may give values this status."""
    if user is None:
        return True
    return user.is_authenticated and user.role in IMPORT_ROLES.get(status, ())


def import_refusal(user: User, status: str | None = None) -> LazyMessage:
    """Why the user may not import (values of this status), in words for them."""
    if reviews_values(user):
        return REVIEWERS_DO_NOT_WRITE
    if status is None:
        return _("Your role may not import values.")
    return _("Your role may not import %(status)s values.") % {"status": status}


def require_import(user: User | None, status: str) -> None:
    if not may_import(user, status):
        raise PermissionDenied(import_refusal(user, status))


def import_agency_check(user: User | None) -> Callable[[Agency], bool]:
    """Per row of an import: the agency must be in the importer's scope (the system imports for any)."""
    if user is None:
        return lambda agency: True
    scope = set(scope_agencies(user).values_list("pk", flat=True))
    return lambda agency: agency.pk in scope
