"""A source of the ministry (000.00.00.G12) feeding HT.01 (percent), HT.02 (ratio), HT.03 (yes/no), AT.01 (count)
of the sample catalog, period 2024 open."""

import pytest
from rest_framework.test import APIClient

from assessments.values.feeds.services import create_source
from tests.values.conftest import agencies, framework, indicator, period  # noqa: F401 - shared fixtures

MINISTRY = "000.00.00.G12"
FED = ["HT.01", "HT.02", "HT.03", "AT.01"]


@pytest.fixture
def source(agencies, period):  # noqa: F811
    source, key = create_source("MOF-DMS", "Document management", agencies[MINISTRY], "SAMPLE", FED)
    source.key = key
    return source


@pytest.fixture
def feed(source):
    """POST a list of observations as the source; returns the response."""
    client = APIClient()

    def post(observations, key=None, code=None):
        client.credentials(HTTP_AUTHORIZATION=f"Source {key or source.key}")
        return client.post(f"/api/v1/feeds/{code or source.code}/observations/", {"observations": observations},
                           format="json")

    return post


def obs(key, observed_at="2024-03-01T08:00:00+07:00", indicator="HT.01", **value):  # noqa: F811
    return {"indicator": indicator, "observed_at": observed_at, "idempotency_key": key, **(value or {"value": "50"})}
