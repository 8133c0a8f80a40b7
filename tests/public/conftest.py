import pytest

from tests.scores.conftest import tasks_in_process, verified_values  # noqa: F401 - shared fixtures
from tests.values.conftest import agencies, framework, period  # noqa: F401 - shared fixtures


@pytest.fixture
def public_on(settings):
    settings.PUBLIC_RANKINGS = True
    return settings
