"""A worker killed (SIGKILL) in the middle of a score run: the previous scores stay published, and the
run is computed again by another worker without anyone doing anything (beat's dispatch_pending)."""

import pytest

from assessments.scores import runs
from assessments.scores.models import RunStatus, ScoreRun
from assessments.values.models import IndicatorValue
from assessments.values.services import import_values
from tests.values.conftest import VALUES_CSV

from .faults import (
    FAST_DISPATCH,
    HCM,
    hcm_published,
    run_status,
    scores_locked,
    wait_for,
    wait_until_done,
    waiting_for_lock,
)


def published(api_client) -> dict:
    return hcm_published(api_client, "index", "run")


@pytest.mark.worker
def test_a_run_whose_worker_is_killed_is_retried_and_the_previous_scores_stay(
        agencies, framework, period, private_redis, celery_processes, api):
    worker = celery_processes.worker(private_redis.url, FAST_DISPATCH)
    import_values(VALUES_CSV, "SAMPLE", 2024, status="verified")  # asks for a run, computed by the worker
    first = wait_until_done(ScoreRun.objects.get())
    reader = api("observer")
    before = published(reader)
    assert before == {"index": 0.957143, "run": first.pk}

    # H29 loses HT.03's 5 points (written directly: no run is asked for by itself).
    IndicatorValue.objects.filter(agency__code=HCM, indicator__code="HT.03").update(value_bool=False)
    with scores_locked():
        run, created = runs.request_run(framework, period)
        assert created
        wait_for(lambda: run_status(run) == RunStatus.RUNNING, "the run to start")
        wait_for(waiting_for_lock, "the run to reach the publication")  # mid-run, deterministically
        assert published(reader) == before
        celery_processes.kill(worker)
    assert worker.returncode < 0  # killed, not exited
    assert run_status(run) == RunStatus.RUNNING and published(reader) == before

    # A new worker and beat come up (as docker-compose restarts them); nobody touches the run.
    celery_processes.worker(private_redis.url, FAST_DISPATCH)
    celery_processes.beat(private_redis.url, FAST_DISPATCH)
    run = wait_until_done(run)
    assert run.attempts == 2 and run.agencies_count == 3
    assert published(reader) == {"index": 0.814286, "run": run.pk}  # 28.5 / 35
    assert not ScoreRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists()


@pytest.mark.worker
def test_a_run_that_keeps_killing_its_worker_is_failed_not_retried_forever(
        agencies, framework, period, private_redis, celery_processes, settings):
    """An orphan run that already used SCORE_RUN_MAX_ATTEMPTS is marked failed by dispatch_pending."""
    run = ScoreRun.objects.create(framework=framework, period=period, status=RunStatus.RUNNING,
                                  attempts=settings.SCORE_RUN_MAX_ATTEMPTS, rerun_requested=True)
    ScoreRun.objects.filter(pk=run.pk).update(started_at=run.requested_at)
    assert runs.dispatch_pending(older_than_seconds=0) == 0  # not re-sent; the follow-up run is a new request
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "worker lost" in run.error
    follow_up = ScoreRun.objects.exclude(pk=run.pk).get()
    assert follow_up.reason == "rerun"
    celery_processes.worker(private_redis.url)
    assert wait_until_done(follow_up).status == RunStatus.DONE
