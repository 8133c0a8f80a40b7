"""Celery beat entries of the plans app. In settings: `from plans.schedule import CELERY_BEAT_SCHEDULE`
(merge it with other apps' entries if there are any)."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "plans-deadline-reminders": {
        "task": "plans.tasks.send_plan_reminders",
        # Every morning at 07:00 (CELERY_TIMEZONE = Asia/Ho_Chi_Minh); a missed day is caught up the next
        # day, and each reminder still goes out only once.
        "schedule": crontab(hour=7, minute=0),
        "options": {"queue": "reminders", "expires": 6 * 3600},
    },
}
