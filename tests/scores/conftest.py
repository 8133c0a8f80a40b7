import pytest

from assessments.values.services import import_values
from tests.values.conftest import VALUES_CSV, agencies, framework, period  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def tasks_in_process(transactional_db):
    """Score runs execute at commit, in this process (the real-worker tests live in tests/test_worker*)."""
    from govit.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def verified_values(agencies, framework, period):  # noqa: F811
    import_values(VALUES_CSV, "SAMPLE", 2024, status="verified")
    return period
