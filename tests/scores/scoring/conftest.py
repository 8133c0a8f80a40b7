"""The pure scoring core's tests need no database: the scores tests' autouse fixture, which runs score
runs in process on a transactional database, is replaced here by one that does nothing."""

import pytest


@pytest.fixture(autouse=True)
def tasks_in_process():
    """No database and no Celery for the pure core."""
    return None
