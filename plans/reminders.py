"""E-mail reminders of plan deadlines: 30 and 7 days before the due date, and once after it.

Recipients are the active agency leads and staff of each agency (with an e-mail address). Each
(agency, plan kind, year, due date, reminder, recipient) is sent once: the PlanReminder row is
written in the same transaction as the e-mail is handed over, and its unique constraint stops a
second send, also from a concurrent worker. Agencies that have filed are not reminded.
"""

import datetime
import logging
from collections import defaultdict
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from agencies.models import AGENCY_ROLES, User

from .deadlines import due_date
from .models import PlanKind, PlanReminder, ReminderKind, cycle_start
from .selectors import filing_time

logger = logging.getLogger(__name__)

OVERDUE_WINDOW_DAYS = 90  # no reminder about a deadline that passed longer ago


def reminder_for(today: datetime.date, due: datetime.date) -> str | None:
    days = (due - today).days
    if 8 <= days <= 30:
        return ReminderKind.BEFORE_30
    if 0 <= days <= 7:
        return ReminderKind.BEFORE_7
    if -OVERDUE_WINDOW_DAYS <= days < 0:
        return ReminderKind.OVERDUE
    return None


def open_deadlines(today: datetime.date) -> list[tuple[str, int, datetime.date, str]]:
    """(kind, first year, due date, reminder) of every deadline that calls for a reminder today."""
    candidates = [(PlanKind.ANNUAL, y) for y in range(today.year - 1, today.year + 3)]
    start = cycle_start(today.year)
    candidates += [(PlanKind.FIVE_YEAR, s) for s in (start - 5, start, start + 5)]
    out = []
    for kind, year in candidates:
        due = due_date(kind, year)
        reminder = reminder_for(today, due)
        if reminder:
            out.append((kind, year, due, reminder))
    return out


def recipients_by_agency(today: datetime.date) -> dict:
    users = (User.objects.filter(role__in=AGENCY_ROLES, is_active=True, agency__isnull=False)
             .exclude(email="").select_related("agency")
             .filter(Q(agency__valid_to__isnull=True) | Q(agency__valid_to__gte=today), agency__valid_from__lte=today))
    out = defaultdict(list)
    for user in users.order_by("agency_id", "username"):
        out[user.agency].append(user)
    return out


def _message(agency, kind: str, year: int, due: datetime.date, reminder: str, today: datetime.date) -> tuple:
    years = str(year) if kind == PlanKind.ANNUAL else f"{year}–{year + 4}"
    url = f"{getattr(settings, 'GOVIT_BASE_URL', '')}{reverse('plan-list')}"
    context = {"agency": agency, "kind": kind, "years": years, "due": due, "reminder": reminder,
               "days": abs((due - today).days), "url": url}
    subjects, bodies = [], []
    for lang in ("vi", "en"):
        with translation.override(lang):
            context["kind_label"] = str(PlanKind(kind).label)
            subjects.append(render_to_string("plans/email/reminder_subject.txt", context).strip())
            bodies.append(render_to_string("plans/email/reminder_body.txt", context).strip())
    return " / ".join(subjects), "\n\n----\n\n".join(bodies)


def send_reminders(today: datetime.date) -> dict[str, int]:
    counts = {"sent": 0, "already_sent": 0, "filed": 0, "failed": 0}
    deadlines = open_deadlines(today)
    if not deadlines:
        return counts
    for agency, users in recipients_by_agency(today).items():
        for kind, year, due, reminder in deadlines:
            if filing_time(agency, kind, year) is not None:
                counts["filed"] += 1
                continue
            subject, body = _message(agency, kind, year, due, reminder, today)
            for user in users:
                try:
                    with transaction.atomic():
                        PlanReminder.objects.create(agency=agency, kind=kind, year=year, due_date=due,
                                                    reminder=reminder, recipient=user)
                        send_mail(subject, body, None, [user.email])
                except IntegrityError:
                    counts["already_sent"] += 1
                except (SMTPException, OSError):
                    logger.exception("plan reminder to %s failed; it will be tried again", user.email)
                    counts["failed"] += 1
                else:
                    counts["sent"] += 1
    return counts
