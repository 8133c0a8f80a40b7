"""Bodies over Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS / _FILES) are a
413 in both languages: JSON under /api/, a page elsewhere (issue 11, 4e); never a bare 400."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

pytestmark = pytest.mark.django_db

LIMIT = 10_000


def _assert_json_413(response):
    assert response.status_code == 413, response.content[:300]
    body = response.json()
    assert body["code"] == "too_large" and "too large" in body["detail_en"]
    assert body["detail"] == body["detail_vi"]  # the API speaks Vietnamese unless asked otherwise


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_json_body_over_the_limit_is_a_json_413(api):
    body = json.dumps({"title": "x" * (LIMIT + 1)})
    _assert_json_413(api().post("/api/v1/values/", body, content_type="application/json"))


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_multipart_fields_over_the_limit_are_a_json_413(api):
    _assert_json_413(api().post("/api/v1/values/", {"title": "x" * (LIMIT + 1)}, format="multipart"))


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=2)
def test_multipart_with_too_many_files_is_a_json_413(api):
    files = {f"f{i}": SimpleUploadedFile(f"{i}.csv", b"a,b\n") for i in range(3)}
    _assert_json_413(api().post("/api/v1/values/", files, format="multipart"))


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=LIMIT)
def test_a_form_over_the_limit_is_a_bilingual_413_page(client, make_user):
    client.force_login(make_user("canbo", "admin"))
    response = client.post("/plans/new/", {"title": "x" * (LIMIT + 1)})
    assert response.status_code == 413
    html = response.content.decode()
    assert 'data-testid="too_large"' in html and 'lang="en">The request is too large' in html
