"""Background work on plans (queue `reminders`, see CELERY_TASK_ROUTES)."""

import datetime

from celery import shared_task
from django.utils import timezone

from .reminders import send_reminders


@shared_task(name="plans.tasks.send_plan_reminders")
def send_plan_reminders(today: str | None = None) -> dict[str, int]:
    """E-mail the reminders due today (ISO date; default: today in Asia/Ho_Chi_Minh). Safe to run again."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    return send_reminders(day)
