import datetime

import pytest
from rest_framework.test import APIClient

from agencies.models import Agency, AgencyKind
from agencies.services import _set_tree_fields


def make_agency(code, kind=AgencyKind.PROVINCE, parent=None, valid_from=datetime.date(2008, 1, 1), **kw):
    agency = Agency(code=code, name_vi=kw.pop("name_vi", code), kind=kind, parent=parent, valid_from=valid_from, **kw)
    _set_tree_fields(agency)
    agency.save()
    return agency


@pytest.mark.django_db
def test_anonymous_gets_401_but_schema_and_docs_are_public(client):
    assert APIClient().get("/api/v1/agencies/").status_code == 401
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"http://" not in docs.content.replace(b"http://testserver", b"")
    assert b"https://" not in docs.content


@pytest.mark.django_db
def test_token_auth(make_user):
    from agencies.users import issue_token

    key = issue_token(make_user("t", "observer"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/agencies/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get("/api/v1/agencies/").status_code == 401


@pytest.mark.django_db
def test_page_size_is_capped_at_500(api):
    Agency.objects.bulk_create(
        Agency(code=f"000.00.{i // 100:02d}.H{i % 100:02d}", name_vi=f"A{i}", kind=AgencyKind.UNIT,
               valid_from=datetime.date(2008, 1, 1))
        for i in range(600)
    )
    body = api("observer").get("/api/v1/agencies/", {"page_size": 1000}).json()
    assert body["count"] == 600 and len(body["results"]) == 500 and body["next"]


@pytest.mark.django_db
def test_filters_parent_and_children_count(api):
    province = make_agency("000.00.00.H90")
    make_agency("000.00.01.H90", AgencyKind.DEPARTMENT, province)
    make_agency("000.00.02.H90", AgencyKind.DEPARTMENT, province, valid_to=datetime.date(2020, 1, 1))
    client = api("observer")
    assert client.get("/api/v1/agencies/", {"parent": "H90"}).json()["count"] == 2
    assert client.get("/api/v1/agencies/", {"parent": "H90", "active_on": "2024-01-01"}).json()["count"] == 1
    assert client.get("/api/v1/agencies/H90/").json()["children_count"] == 2


@pytest.mark.django_db
def test_unknown_code_is_404_and_bad_date_is_400(api):
    make_agency("000.00.00.H90")
    client = api("observer")
    assert client.get("/api/v1/agencies/000.00.00.H91/").status_code == 404
    assert client.get("/api/v1/agencies/000.00.00.H90/", {"active_on": "2001-01-01"}).status_code == 404
    assert client.get("/api/v1/agencies/000.00.00.H90/", {"active_on": "31/12/2024x"}).status_code == 400
    assert client.get("/api/v1/agencies/", {"active_on": "not-a-date"}).status_code == 400


@pytest.mark.django_db
def test_messages_follow_accept_language(api):
    client = api("observer")
    vi = client.get("/api/v1/agencies/", {"kind": "planet"}, HTTP_ACCEPT_LANGUAGE="vi").json()
    en = client.get("/api/v1/agencies/", {"kind": "planet"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert vi["kind"] != en["kind"] and "planet" in en["kind"][0]


@pytest.mark.django_db
def test_descendants_query_is_one_indexed_prefix_query(django_assert_num_queries):
    root = make_agency("000.00.00.H90")
    level = [root]
    for depth in range(1, 4):
        level = [make_agency(f"{depth:03d}.{i:02d}.{j:02d}.H90", AgencyKind.UNIT, parent)
                 for j, parent in enumerate(level) for i in range(3)]
    with django_assert_num_queries(1):
        assert Agency.objects.descendants_of(root).count() == 3 + 9 + 27


@pytest.mark.django_db
def test_unknown_api_paths_answer_json_404(api):
    response = api("observer").get("/api/v1/scores/X/not-a-year/breakdown/")
    body = response.json()
    assert response.status_code == 404 and body == {"detail": "Không tìm thấy.", "detail_vi": "Không tìm thấy.",
                                                    "detail_en": "Not found.", "code": "not_found"}
