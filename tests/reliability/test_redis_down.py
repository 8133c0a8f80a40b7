"""Redis down while values are verified and rejected (API and web): every save succeeds, the
recomputation is kept as a queued run in the database, and it is computed once Redis is back,
without anyone doing anything (beat's dispatch_pending)."""

import time

import pytest
from django.test import Client

from assessments.scores.models import RunStatus, ScoreRun
from assessments.values.models import IndicatorValue, ValueStatus
from assessments.values.services import import_values
from tests.values.conftest import VALUES_CSV

from .faults import FAST_DISPATCH, HCM, hcm_published, wait_for, wait_until_done


def value(indicator: str) -> IndicatorValue:
    return IndicatorValue.objects.get(agency__code=HCM, indicator__code=indicator)


def hcm_score(api_client) -> dict:
    return hcm_published(api_client, "index", "verified_share")


@pytest.mark.worker
def test_saves_succeed_while_redis_is_down_and_the_recomputation_runs_when_it_returns(
        agencies, framework, period, private_redis, celery_processes, api, make_user):
    celery_processes.worker(private_redis.url, FAST_DISPATCH)
    celery_processes.beat(private_redis.url, FAST_DISPATCH)
    import_values(VALUES_CSV, "SAMPLE", 2024, status="submitted")
    wait_until_done(ScoreRun.objects.get())
    reviewer_api = api("reviewer")
    assert hcm_score(reviewer_api) == {"index": 0.957143, "verified_share": 0.0}
    web = Client()
    web.force_login(make_user("tham-dinh", "reviewer"))

    private_redis.stop()
    started = time.monotonic()
    # API: the reviewer rejects HT.03 (H29 loses its 5 points).
    rejected = reviewer_api.post(f"/api/v1/values/{value('HT.03').pk}/reject/",
                                 {"reason": "Thiếu minh chứng", "version": value("HT.03").version}, format="json")
    assert rejected.status_code == 200, rejected.content
    # Web: the reviewer verifies HT.01 from the review queue.
    ht01 = value("HT.01")
    verified = web.post("/values/review/", {"one": f"verify:{ht01.pk}", f"version-{ht01.pk}": ht01.version})
    assert verified.status_code == 200, verified.content
    assert value("HT.03").status == ValueStatus.REJECTED and value("HT.01").status == ValueStatus.VERIFIED
    # Web: a reviewer asks for a run from the ranking page; the pages still render.
    assert web.post("/scores/runs/", {"framework": "SAMPLE", "period": 2024}).status_code == 302
    page = web.get("/scores/", {"framework": "SAMPLE", "period": 2024, "group": "provincial"})
    assert page.status_code == 200 and 'data-status="queued"' in page.content.decode()
    # Nobody waited for the broker (kombu alone would retry for about 6 s per message).
    assert time.monotonic() - started < 4
    # The request is a row: one queued run for the period, asked for during the outage.
    pending = ScoreRun.objects.get(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    assert pending.status == RunStatus.QUEUED
    assert hcm_score(reviewer_api) == {"index": 0.957143, "verified_share": 0.0}  # the last published scores

    private_redis.start()  # empty: every message sent before the outage is gone too
    run = wait_until_done(pending, timeout=90)
    assert run.agencies_count == 3
    wait_for(lambda: not ScoreRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists(),
             "every requested run to finish", timeout=90)
    # 28.5 / 35 without HT.03; one of the six applicable indicators has a verified value.
    assert hcm_score(reviewer_api) == {"index": 0.814286, "verified_share": 0.166667}
