"""The thread that reads a run's next batch works inside the run's transaction (its own connection would not)."""

from assessments.scores import run_io, runs
from assessments.scores.models import AgencyScore, RunStatus
from assessments.values.models import IndicatorValue
from assessments.values.services import import_values
from tests.values.conftest import VALUES_CSV


def test_values_not_yet_committed_are_read_by_the_read_ahead_thread(agencies, framework, period, monkeypatch):
    # The `db` fixture keeps this test in one uncommitted transaction: another connection sees no value.
    import_values(VALUES_CSV, "SAMPLE", 2024, status="verified")
    monkeypatch.setattr(run_io, "BATCH_AGENCIES", 1)
    run, _created = runs.request_run(framework, period)
    run = runs.execute_run(run.pk)
    assert run.status == RunStatus.DONE, run.error
    assert run.values_count == IndicatorValue.objects.filter(period=period).count() > 0
    assert AgencyScore.objects.filter(run=run, points__gt=0).exists()
