"""Who may do what to an indicator value (roles.md); scope and membership come from agencies.selectors."""

from agencies.models import AGENCY_ROLES, Agency, Role, User
from agencies.selectors import member_agency_ids, scope_agencies


def in_scope(user: User, agency: Agency) -> bool:
    return scope_agencies(user).filter(pk=agency.pk).exists()


def can_edit(user: User, agency: Agency) -> bool:
    """Create and edit draft values, upload evidence: agency staff and leads, in their scope."""
    return user.is_authenticated and user.role in AGENCY_ROLES and in_scope(user, agency)


def can_submit(user: User, agency: Agency) -> bool:
    return user.is_authenticated and user.role == Role.AGENCY_LEAD and in_scope(user, agency)


def can_review(user: User, agency: Agency) -> bool:
    """Verify, reject, accept N/A: reviewers and admins, never for an agency they are a member of."""
    return user.is_authenticated and user.is_reviewer_or_admin and agency.pk not in member_agency_ids(user)
