"""manage.py govit_feed_source: create prints a working key once, rotate replaces it, deactivate refuses it."""

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from assessments.values.feeds.models import FeedSource
from tests.feeds.conftest import MINISTRY, obs

pytestmark = pytest.mark.django_db


def run(*argv) -> str:
    out = io.StringIO()
    call_command("govit_feed_source", *argv, stdout=out)
    return out.getvalue()


def status_with(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Source {key}")
    return client.post("/api/v1/feeds/DMS/observations/", {"observations": [obs(key[:8])]}, format="json").status_code


def test_create_rotate_deactivate(agencies, period):
    key = run("create", "DMS", "--agency", MINISTRY, "--framework", "SAMPLE", "--indicators", "HT.01").split()[-1]
    assert FeedSource.objects.get(code="DMS").key_hash != key  # only its hash is kept
    assert status_with(key) == 200
    new_key = run("rotate", "DMS").split()[-1]
    assert (status_with(key), status_with(new_key)) == (401, 200)
    run("deactivate", "DMS")
    assert status_with(new_key) == 401
