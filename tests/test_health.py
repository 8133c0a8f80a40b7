import pytest
import redis
from django.test import override_settings


@pytest.mark.django_db
def test_healthz_and_readyz_are_public(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] is True and ready.json()["broker"] is True


@pytest.mark.django_db
def test_readyz_is_503_when_the_broker_is_unreachable(client):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"] is False


def test_redis_used_by_the_suite_is_real():
    from django.conf import settings

    assert redis.Redis.from_url(settings.REDIS_URL).ping()
