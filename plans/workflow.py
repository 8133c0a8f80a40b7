"""Plan state transitions (roles.md): row lock, role, state, inputs, then the change and its event.

    draft --submit--> submitted --start_review--> under_review --approve--> approved
    submitted --withdraw--> draft;   under_review --return--> returned --submit--> submitted

Each transition runs in one transaction holding SELECT ... FOR UPDATE on the plan row, so of two
reviewers acting at once exactly one wins and the other finds the new state (409). Approving an
amendment supersedes the plan it amends in the same transaction.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import can_proceed

from agencies.models import User
from govit.dates import parse_day
from govit.errors import InputError, InputRejected
from govit.i18n import _

from . import policy
from .content import text
from .errors import PlanConflict
from .events import record_event
from .models import EventAction, Plan, PlanKind, PlanStatus
from .selectors import current_five_year_plan
from .services import missing_parts, stale

ACTIONS = {
    "submit": ("submit", EventAction.SUBMIT),
    "withdraw": ("withdraw", EventAction.WITHDRAW),
    "start_review": ("start_review", EventAction.START_REVIEW),
    "return": ("return_for_changes", EventAction.RETURN),
    "approve": ("approve", EventAction.APPROVE),
}


def available_actions(plan: Plan, user: User) -> list[str]:
    """The transitions this user may take on the plan in its current state."""
    return [name for name, (method, _e) in ACTIONS.items()
            if can_proceed(getattr(plan, method)) and policy.may(user, name, plan)]


def _wrong_state(plan: Plan, action: str) -> PlanConflict:
    return PlanConflict(
        _("The plan is “%(status)s”: “%(action)s” is not possible in this state (someone may have acted on it "
          "just before you).") % {"status": PlanStatus(plan.status).label, "action": ACTION_LABELS[action]},
        "invalid_state", plan.version, plan.status)


ACTION_LABELS = {
    "submit": EventAction.SUBMIT.label, "withdraw": EventAction.WITHDRAW.label,
    "start_review": EventAction.START_REVIEW.label, "return": EventAction.RETURN.label,
    "approve": EventAction.APPROVE.label,
}


def _check_inputs(plan: Plan, action: str, comment: str, decision_number: str, decision_date,
                  raw_date: str) -> list[InputError]:
    errors: list[InputError] = []
    if action == "submit":
        errors += missing_parts(plan)
    elif action == "return" and not comment:
        errors.append(InputError(_("Say what must be changed: a comment is required to return a plan."),
                                 where="comment"))
    elif action == "approve":
        if not decision_number:
            errors.append(InputError(_("The number of the approval decision is required."), where="decision_number"))
        elif len(decision_number) > 100:
            errors.append(InputError(_("The decision number is too long."), where="decision_number"))
        if decision_date is None and raw_date:
            errors.append(InputError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": raw_date},
                                     where="decision_date"))
        elif decision_date is None:
            errors.append(InputError(_("The date of the approval decision is required (dd/mm/yyyy)."),
                                     where="decision_date"))
        elif decision_date > timezone.localdate():
            errors.append(InputError(_("The decision date cannot be in the future."), where="decision_date"))
    return errors


def perform(plan_id: int, action: str, user: User, *, version=None, comment: str = "",
            decision_number: str = "", decision_date=None) -> Plan:
    """Take `action` on the plan. Raises PlanForbidden (403), PlanConflict (409) or InputRejected (400);
    the caller has already checked that the plan is visible to the user (else 404)."""
    if action not in ACTIONS:
        raise InputRejected([InputError(_("Unknown action."), where="action")])
    method_name, event = ACTIONS[action]
    comment, decision_number = text(comment).strip(), text(decision_number).strip()
    raw_date = "" if decision_date is None else text(decision_date).strip()
    if not isinstance(decision_date, datetime.date):
        decision_date = parse_day(raw_date)
    with transaction.atomic():
        plan = Plan.objects.select_for_update(of=("self",)).select_related("agency", "updated_by").get(pk=plan_id)
        policy.require(user, action, plan)
        if version not in (None, "") and str(version) != str(plan.version):
            raise stale(plan)
        if not can_proceed(getattr(plan, method_name)):
            raise _wrong_state(plan, action)
        errors = _check_inputs(plan, action, comment, decision_number, decision_date, raw_date)
        if errors:
            raise InputRejected(errors)
        from_status = plan.status
        if action == "approve":
            _approve(plan, user, decision_number, decision_date)
        else:
            getattr(plan, method_name)()
        plan.version += 1
        plan.updated_by, plan.updated_at = user, timezone.now()
        try:
            with transaction.atomic():
                plan.save()
        except IntegrityError:  # another plan for the same years was approved concurrently
            raise _second_approved(plan) from None
        record_event(plan, event, from_status, user, comment)
    return plan


def _second_approved(plan: Plan) -> PlanConflict:
    return PlanConflict(
        _("The agency already has an approved plan for these years; only an amendment of it can be approved."),
        "already_approved", plan.version, plan.status)


def _approve(plan: Plan, user: User, decision_number: str, decision_date: datetime.date) -> None:
    same = Plan.objects.filter(agency_id=plan.agency_id, kind=plan.kind, period_start=plan.period_start,
                               year=plan.year, status=PlanStatus.APPROVED).exclude(pk=plan.pk)
    if plan.amends_id:
        amended = Plan.objects.select_for_update(of=("self",)).get(pk=plan.amends_id)
        if amended.status != PlanStatus.APPROVED:
            raise PlanConflict(_("The plan this one amends is no longer the approved plan in force."),
                               "invalid_state", plan.version, plan.status)
        if same.exclude(pk=amended.pk).exists():
            raise _second_approved(plan)
        from_status = amended.status
        amended.supersede(decision_date)
        amended.version += 1
        amended.updated_by, amended.updated_at = user, timezone.now()
        amended.save()
        record_event(amended, EventAction.SUPERSEDE, from_status, user,
                     f"#{plan.pk} {decision_number} {decision_date:%d/%m/%Y}")
    elif same.exists():
        raise _second_approved(plan)
    if plan.kind == PlanKind.ANNUAL:
        plan.five_year_plan = current_five_year_plan(plan.agency_id, plan.period_start) or plan.five_year_plan
    plan.approve(user, decision_number, decision_date)
