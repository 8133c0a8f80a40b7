"""Opening and closing assessment periods (admins manage periods, roles.md)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.models import Role, User
from assessments.catalog.loader import day_text
from assessments.catalog.models import Period, PeriodStatus
from assessments.catalog.selectors import latest_framework
from govit.errors import InputError, InputRejected
from govit.i18n import _

# The default deadline is this (month, day) of the year after the period; override with the
# ASSESSMENT_DEADLINE_MONTH_DAY setting, or per period with `deadline`.
DEFAULT_DEADLINE_MONTH_DAY = (3, 31)


@dataclass
class PeriodResult:
    period: Period
    created: bool


def default_deadline(year: int) -> datetime.date:
    month, day = getattr(settings, "ASSESSMENT_DEADLINE_MONTH_DAY", DEFAULT_DEADLINE_MONTH_DAY)
    return datetime.date(year + 1, month, day)


def _require_admin(user: User | None) -> None:
    # No user = a management command run by the operator.
    if user is not None and user.role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators manage periods."))


def create_period(
    framework_code: str, year: int, deadline: datetime.date | None = None, user: User | None = None
) -> PeriodResult:
    """Open the period (framework code, calendar year); idempotent. An existing period keeps its status;
    an explicit deadline different from the stored one replaces it."""
    _require_admin(user)
    errors = []
    framework = latest_framework(framework_code)
    if framework is None:
        errors.append(InputError(_("No framework with code “%(code)s” is loaded.") % {"code": framework_code},
                                 where="framework"))
    if not 2000 <= year <= 2100:
        errors.append(InputError(_("The year must be between 2000 and 2100."), where="year"))
    elif framework is not None and not framework.covers_year(year):
        errors.append(InputError(
            _("%(code)s %(version)s is in force from %(start)s to %(end)s; a period of %(year)s lies outside it.")
            % {"code": framework.code, "version": framework.version, "start": day_text(framework.valid_from),
               "end": day_text(framework.valid_to), "year": year},
            where="year",
        ))
    elif deadline is not None and (error := _deadline_error(datetime.date(year, 1, 1), deadline)):
        errors.append(error)
    if errors:
        raise InputRejected(errors)
    try:
        with transaction.atomic():
            period, created = Period.objects.get_or_create(
                framework_code=framework_code, year=year, defaults={"deadline": deadline or default_deadline(year)}
            )
    except IntegrityError:  # created concurrently: the other one wins
        period, created = Period.objects.get(framework_code=framework_code, year=year), False
    if not created and deadline and period.deadline != deadline:
        period.deadline = deadline
        period.save(update_fields=["deadline"])
    return PeriodResult(period, created)


def close_period(period: Period, user: User | None = None) -> Period:
    """Close a period: its values can no longer be changed, by hand or by import. Idempotent."""
    _require_admin(user)
    if period.status != PeriodStatus.CLOSED:
        period.status = PeriodStatus.CLOSED
        period.closed_at = timezone.now()
        period.save(update_fields=["status", "closed_at"])
    return period


def reopen_period(period: Period, user: User | None = None) -> Period:
    """Reopen a closed period (a correction after closing): its values can change again. Idempotent."""
    _require_admin(user)
    if period.status != PeriodStatus.OPEN:
        period.status = PeriodStatus.OPEN
        period.closed_at = None
        period.save(update_fields=["status", "closed_at"])
    return period


def set_deadline(period: Period, deadline: datetime.date, user: User | None = None) -> Period:
    """Move a period's deadline; a deadline before the period's first day would make no sense."""
    _require_admin(user)
    if error := _deadline_error(period.start_date, deadline):
        raise InputRejected([error])
    if period.deadline != deadline:
        period.deadline = deadline
        period.save(update_fields=["deadline"])
    return period


def _deadline_error(start: datetime.date, deadline: datetime.date) -> InputError | None:
    if deadline >= start:
        return None
    return InputError(_("The deadline cannot be before the period starts (%(start)s).") % {"start": day_text(start)},
                      where="deadline")
