"""Celery tasks of the assessments: thin wrappers over assessments.scores.runs.

No task stores a result: a run's state is its row (polled through /api/v1/score-runs/), and
sending a task that stores one would also need the result backend, which a broker outage
would make the caller wait for.
"""

from celery import shared_task

from assessments.catalog.models import Period, PeriodStatus
from assessments.catalog.selectors import latest_framework
from assessments.scores import runs


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def compute_run(run_id: int) -> dict:
    run = runs.execute_run(run_id)
    return {"run": run.pk, "status": run.status}


@shared_task(ignore_result=True)
def dispatch_pending_runs() -> int:
    return runs.dispatch_pending()


@shared_task(ignore_result=True)
def nightly_recompute() -> int:
    """A full run of every open period with the latest version of its framework (its input feeds refreshed)."""
    started = 0
    for period in Period.objects.filter(status=PeriodStatus.OPEN):
        framework = latest_framework(period.framework_code)
        if framework is not None:
            started += runs.request_run(framework, period, reason="nightly")[1]
    return started
