"""DRF's own answers (401, invalid token, CSRF, JSON parse error, invalid page) in vi (default) and en."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def api_as(make_user, role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(role, role))
    return client


def no_credentials(make_user, headers):
    return APIClient().get("/api/v1/agencies/", **headers), 401


def wrong_token(make_user, headers):
    return APIClient().get("/api/v1/agencies/", HTTP_AUTHORIZATION="Token 0123abcd", **headers), 401


def session_post_without_csrf(make_user, headers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("reviewer", "reviewer"))
    return client.post("/api/v1/score-runs/", {"framework": "x", "period": 2025}, **headers), 403


def broken_json(make_user, headers):
    body = '{"framework": '
    return api_as(make_user, "reviewer").post("/api/v1/score-runs/", body, content_type="application/json",
                                              **headers), 400


def page_past_the_end(make_user, headers):
    return api_as(make_user, "observer").get("/api/v1/agencies/", {"page": 999}, **headers), 404


CASES = {
    "not_authenticated": no_credentials,
    "authentication_failed": wrong_token,
    "csrf_failed": session_post_without_csrf,
    "parse_error": broken_json,
    "invalid_page": page_past_the_end,
}


@pytest.mark.parametrize("lang", ["vi", "en", None])
@pytest.mark.parametrize("code", CASES)
def test_drf_answers_follow_the_request_language(make_user, code, lang):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}  # none: Vietnamese
    response, status = CASES[code](make_user, headers)
    body = response.json()
    assert response.status_code == status and body["code"] == code
    assert body["detail"] == body[f"detail_{lang or 'vi'}"] and body["detail_vi"] != body["detail_en"]


def test_a_json_parse_error_says_where(make_user):
    response, _status = broken_json(make_user, {})
    assert "line 1 column 15" in response.json()["detail"]


def test_the_404_page_is_in_both_languages(client):
    response = client.get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404 and "Không tìm thấy trang" in page and "Page not found" in page


def test_the_500_page_is_in_both_languages_and_reads_nothing_from_the_database(rf, django_assert_num_queries):
    from govit.handlers import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/plans/"))
    page = response.content.decode()
    assert response.status_code == 500 and "Lỗi hệ thống" in page and "Server error" in page


def test_api_404_and_500_are_bilingual_json(client, rf):
    import json

    from govit.handlers import server_error

    assert client.get("/api/v1/khong-co/").json()["detail_en"] == "Not found."
    body = json.loads(server_error(rf.get("/api/v1/plans/")).content)
    assert body["code"] == "server_error" and body["detail"].startswith("Lỗi máy chủ") and body["detail_en"]
