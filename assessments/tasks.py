"""Celery tasks of the assessments: thin wrappers over assessments.runs."""

from celery import shared_task

from . import runs
from .models import Period, PeriodStatus
from .selectors import latest_framework


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=5)
def compute_run(run_id: int) -> dict:
    run = runs.execute_run(run_id)
    return {"run": run.pk, "status": run.status}


@shared_task
def dispatch_pending_runs() -> int:
    return runs.dispatch_pending()


@shared_task
def nightly_recompute() -> int:
    """A full run of every open period with the latest version of its framework, plan indicators refreshed."""
    from plans.feed import sync_plan_indicators  # plans depends on assessments, not the other way round

    started = 0
    for period in Period.objects.filter(status=PeriodStatus.OPEN):
        framework = latest_framework(period.framework_code)
        if framework is not None:
            sync_plan_indicators(framework, period)
            started += runs.request_run(framework, period, reason="nightly")[1]
    return started
