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


@pytest.mark.parametrize("url", ["/api/v1/scores/000.00.00.H26/2024/breakdown/?framework=%00",
                                 "/api/v1/agencies/?search=a%00b", "/agencies/?q=%00"])
def test_a_nul_character_in_the_address_is_a_400_in_both_languages(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 400
    text = response.content.decode()
    assert "NUL" in text and ("detail_vi" in text if url.startswith("/api/") else " / " in text)
