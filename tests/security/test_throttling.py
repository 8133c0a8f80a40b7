"""API throttling per signed-in user and per anonymous client: 429 with Retry-After and a bilingual body."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from agencies.users import create_user

RATES = {"anon": "2/minute", "user": "3/minute"}


def _clear_throttle_counters() -> None:
    """Only the throttle's keys: on Redis the cache shares its database with the Celery queues."""
    client = getattr(cache, "_cache", None)
    if hasattr(client, "get_client"):  # django's RedisCache
        redis = client.get_client(write=True)
        for key in redis.scan_iter(match=cache.make_key("throttle_*")):
            redis.delete(key)
    else:
        cache.clear()


@pytest.fixture
def low_rates(monkeypatch):
    """Low rates for this test, and counters that start and end empty."""
    _clear_throttle_counters()
    # DRF copies the rates into the throttle class when it is imported; the setting alone does not reach it.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", RATES)
    with override_settings(REST_FRAMEWORK={**api_settings.user_settings, "DEFAULT_THROTTLE_RATES": RATES}):
        yield
    _clear_throttle_counters()


def assert_throttled(response, language: str = "vi"):
    assert response.status_code == 429, response.content
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["code"] == "throttled" and body["retry_after"] == int(response["Retry-After"])
    assert body["detail"] == body[f"detail_{language}"]
    assert "Quá nhiều yêu cầu" in body["detail_vi"] and "Too many requests" in body["detail_en"]
    assert f"{body['retry_after']} seconds" in body["detail_en"]


@pytest.mark.django_db
def test_anonymous_clients_are_throttled_by_address_and_cannot_dodge_it_with_a_forged_header(low_rates):
    client = APIClient()
    assert [client.get("/api/schema/?format=json").status_code for _ in range(2)] == [200, 200]
    assert_throttled(client.get("/api/schema/?format=json"))
    # No trusted proxy: X-Forwarded-For is the client's own word and does not make a new client.
    assert_throttled(client.get("/api/schema/?format=json", HTTP_X_FORWARDED_FOR="203.0.113.9"))
    assert_throttled(client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en"), "en")
    assert APIClient(REMOTE_ADDR="198.51.100.4").get("/api/schema/?format=json").status_code == 200  # another address


@pytest.mark.django_db
def test_signed_in_users_are_throttled_each_on_their_own(low_rates):
    def token_client(name):
        key = create_user(name, "observer", password="Correct-horse-9", with_token=True)[2]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    first, second = token_client("khach1"), token_client("khach2")
    assert [first.get("/api/v1/agencies/").status_code for _ in range(3)] == [200, 200, 200]
    assert_throttled(first.get("/api/v1/agencies/"))
    assert second.get("/api/v1/agencies/").status_code == 200  # same address, another user


@pytest.mark.django_db
def test_counters_start_empty(low_rates):
    """The previous tests used up the budget of 127.0.0.1; the fixture reset it."""
    assert APIClient().get("/api/schema/?format=json").status_code == 200
