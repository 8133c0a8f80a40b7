"""Who may do what with a plan (roles.md): scope, roles and separation of duties.

Visibility (404) is decided by `selectors.visible_plans`; these checks give 403 to a caller who
sees the plan but may not act on it.
"""

from agencies.models import AGENCY_ROLES, Role, User
from agencies.selectors import member_agency_ids, scope_agencies
from govit.i18n import _

from .errors import PlanForbidden
from .models import Plan

AGENCY_ACTIONS = {"edit"}
LEAD_ACTIONS = {"submit", "withdraw"}
REVIEW_ACTIONS = {"start_review", "return", "approve", "comment"}


def in_scope(user: User, agency_id: int) -> bool:
    return scope_agencies(user).filter(pk=agency_id).exists()


def can_create(user: User, agency_id: int) -> bool:
    return user.role in AGENCY_ROLES and in_scope(user, agency_id)


def is_member(user: User, agency_id: int) -> bool:
    return agency_id in member_agency_ids(user)


def forbidden_reason(user: User, action: str, plan: Plan):
    """Why `user` may not do `action` on `plan` (a lazy message), or None when the role allows it.

    The state of the plan is not considered here (see plans.workflow).
    """
    if action in AGENCY_ACTIONS or action in LEAD_ACTIONS:
        if user.role not in AGENCY_ROLES or not in_scope(user, plan.agency_id):
            return _("Only staff of the plan's agency may edit it; only its lead may submit or withdraw it.")
        if action in LEAD_ACTIONS and user.role != Role.AGENCY_LEAD:
            return _("Only the agency lead may submit or withdraw a plan.")
        return None
    if action in REVIEW_ACTIONS:
        if not user.is_reviewer_or_admin:
            return _("Only reviewers and administrators may review plans.")
        if is_member(user, plan.agency_id):
            return _("You are a member of this agency: someone outside it must review its plan (separation of duties).")
        return None
    return _("Unknown action.")


def require(user: User, action: str, plan: Plan) -> None:
    reason = forbidden_reason(user, action, plan)
    if reason is not None:
        raise PlanForbidden(reason)


def may(user: User, action: str, plan: Plan) -> bool:
    return forbidden_reason(user, action, plan) is None
