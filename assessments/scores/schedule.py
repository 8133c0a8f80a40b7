"""Celery beat entries of the assessments app."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    # Re-send score runs whose message was lost (broker down at request time, or a dead worker).
    "scores-dispatch-pending": {
        "task": "assessments.scores.tasks.dispatch_pending_runs",
        "schedule": 60.0,
        "options": {"queue": "scoring", "expires": 55},
    },
    # A full recomputation of every open period, at night.
    "scores-nightly": {
        "task": "assessments.scores.tasks.nightly_recompute",
        "schedule": crontab(hour=1, minute=30),
        "options": {"queue": "scoring", "expires": 6 * 3600},
    },
}
