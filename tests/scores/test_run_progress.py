"""Score runs from the ranking page: reviewers start one, everyone sees its state, polled while it goes."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from assessments.scores import runs
from assessments.scores.models import RunStatus, ScoreRun
from assessments.values.models import IndicatorValue

RANKING = "/scores/"
START = "/scores/runs/"
STATUS = "/scores/runs/status/"
SELECTION = {"framework": "SAMPLE", "period": 2024}


def signed_in(make_user, role, **client_options) -> Client:
    client = Client(**client_options)
    agency = "000.00.00.H29" if role.startswith("agency_") else None
    client.force_login(make_user(f"u-{role}", role, agency))
    return client


@pytest.mark.django_db(transaction=True)
def test_reviewer_starts_a_run_from_the_ranking_and_sees_it_done(verified_values, make_user):
    reviewer = signed_in(make_user, "reviewer")
    page = reviewer.get(RANKING, {**SELECTION, "group": "provincial"}).content.decode()
    assert 'data-testid="start-run"' in page and "95,7 %" in page  # published by the import's run
    # A change that asks for no run by itself (written behind the services' back): H29 loses HT.03's 5 points.
    IndicatorValue.objects.filter(agency__code="000.00.00.H29", indicator__code="HT.03").update(value_bool=False)

    response = reviewer.post(START, {**SELECTION, "group": "provincial"})
    assert response.status_code == 302 and "group=provincial" in response["Location"]
    run = ScoreRun.objects.latest("pk")
    assert (run.status, run.started_by.username, run.agencies_count) == (RunStatus.DONE, "u-reviewer", 3)
    page = reviewer.get(response["Location"]).content.decode()
    assert f"Score run {run.pk} started." in page or f"Đã bắt đầu lượt tính điểm {run.pk}." in page
    assert 'data-status="done"' in page and "81,4 %" in page and "95,7 %" not in page  # 28.5 / 35
    assert 'hx-trigger="every 1s"' not in page  # nothing to poll once done


@pytest.mark.parametrize("role", ["observer", "agency_staff", "agency_lead"])
@pytest.mark.django_db(transaction=True)
def test_only_reviewers_and_admins_start_runs(verified_values, make_user, role):
    client = signed_in(make_user, role)
    before = ScoreRun.objects.count()
    assert client.post(START, SELECTION).status_code == 403
    assert 'data-testid="start-run"' not in client.get(RANKING, SELECTION).content.decode()
    assert ScoreRun.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_start_needs_post_with_csrf_and_a_known_selection(framework, period, make_user):
    assert Client().post(START, SELECTION).status_code == 302  # anonymous: to the login page
    strict = signed_in(make_user, "admin", enforce_csrf_checks=True)
    assert strict.get(START).status_code == 405
    assert strict.post(START, SELECTION).status_code == 403  # no CSRF token
    reviewer = signed_in(make_user, "reviewer")
    for bad in ({"framework": "NOPE", "period": 2024}, {"framework": "SAMPLE", "period": 1999},
                {"framework": "SAMPLE", "period": "x"}, {}):
        response = reviewer.post(START, bad, follow=True)
        assert response.status_code == 200
        assert "nothing was started" in response.content.decode() or "chưa bắt đầu" in response.content.decode()
    assert not ScoreRun.objects.exists()


def running_run(framework, period, progress: float) -> ScoreRun:
    run = ScoreRun.objects.create(framework=framework, period=period, status=RunStatus.RUNNING,
                                  started_at=timezone.now())
    cache.set(runs.progress_key(run.pk), progress)
    return run


@pytest.mark.django_db(transaction=True)
def test_a_running_run_shows_its_progress_and_is_polled(framework, period, make_user):
    run = running_run(framework, period, 0.4)
    client = signed_in(make_user, "observer")
    page = client.get(RANKING, SELECTION).content.decode()
    assert 'data-status="running"' in page and '<progress max="100" value="40">' in page
    assert f'hx-get="{STATUS}?framework=SAMPLE&amp;period=2024&amp;watch={run.pk}" hx-trigger="every 1s"' in page
    # The ranking reloads itself when told the run finished.
    assert 'hx-trigger="score-run-finished from:body" hx-select="#ranking"' in page

    cache.set(runs.progress_key(run.pk), 0.75)
    fragment = client.get(STATUS, {**SELECTION, "watch": run.pk})
    assert "75 %" in fragment.content.decode() and "HX-Trigger" not in fragment
    assert "<html" not in fragment.content.decode()


@pytest.mark.django_db(transaction=True)
def test_when_the_watched_run_ends_polling_stops_and_the_ranking_is_told(framework, period, make_user):
    run = running_run(framework, period, 0.9)
    ScoreRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=timezone.now(),
                                              duration_seconds=1.25, agencies_count=1234, values_count=5)
    client = signed_in(make_user, "observer")
    fragment = client.get(STATUS, {**SELECTION, "watch": run.pk})
    html = fragment.content.decode()
    assert fragment["HX-Trigger"] == "score-run-finished"
    assert 'data-status="done"' in html and "hx-get" not in html
    assert "1,25" in html and "1.234" in html  # Vietnamese number format
    assert "HX-Trigger" not in client.get(STATUS, SELECTION)  # nobody was watching: nothing to reload


@pytest.mark.django_db(transaction=True)
def test_queued_and_failed_runs(framework, period, make_user):
    run = ScoreRun.objects.create(framework=framework, period=period)
    observer, reviewer = signed_in(make_user, "observer"), signed_in(make_user, "reviewer")
    assert 'data-status="queued"' in observer.get(STATUS, SELECTION).content.decode()
    ScoreRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, finished_at=timezone.now(),
                                              error="ValueError: boom")
    assert "boom" not in observer.get(STATUS, SELECTION).content.decode()  # details for reviewers only
    html = reviewer.get(STATUS, SELECTION).content.decode()
    assert 'data-status="failed"' in html and "ValueError: boom" in html
    assert observer.get(STATUS, {"framework": "SAMPLE", "period": 1999}).status_code == 404
    assert observer.get(STATUS, {"framework": "SAMPLE"}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_ranking_links_to_the_method_page(framework, period, make_user):
    page = signed_in(make_user, "observer").get(RANKING, SELECTION).content.decode()
    assert 'href="/scores/method/?framework=SAMPLE"' in page
