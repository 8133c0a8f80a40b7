"""A task through a real worker and Redis (not eager mode)."""

import datetime

import pytest
from django.conf import settings

from agencies.models import Agency, AgencyKind
from agencies.tasks import active_counts


@pytest.mark.worker
def test_task_runs_on_a_real_worker(celery_worker_process):
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    Agency.objects.create(code="000.00.00.H90", name_vi="Tỉnh Thử", kind=AgencyKind.PROVINCE,
                          valid_from=datetime.date(2020, 1, 1))
    result = active_counts.delay("2024-01-01")
    counts = result.get(timeout=30)
    assert counts["provincial"] == 1
    # The result came back through Redis from another process.
    assert result.backend.__class__.__name__ == "RedisBackend"
