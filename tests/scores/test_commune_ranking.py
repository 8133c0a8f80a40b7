"""The communes of a province ranked on the ranking page (issue 14 item 3, scoring.md §5: group commune:<code>),
and the agencies API's `group=commune:<code>` filter."""

import datetime

import pytest
from django.utils import timezone

from agencies.models import Agency, AgencyKind
from agencies.services import _set_tree_fields
from assessments.scores.models import AgencyScore, RunStatus, ScoreRun

HCM, HANOI, NEW = "000.00.00.H29", "000.00.00.H26", "000.00.00.H90"  # H90 begins on 1/7/2025, after the period


def make(code, name, kind, parent=None):
    agency = Agency(code=code, name_vi=name, kind=kind, parent=parent, valid_from=datetime.date(2008, 1, 1))
    _set_tree_fields(agency)
    agency.save()
    return agency


@pytest.fixture
def communes(agencies, framework, period):
    """Two communes under each of Hà Nội and Hồ Chí Minh City, scored and published in their peer groups."""
    hanoi = make(HANOI, "Thành phố Hà Nội", AgencyKind.PROVINCE)
    hcm = agencies[HCM]
    run = ScoreRun.objects.create(framework=framework, period=period, status=RunStatus.DONE)
    made = {}
    for province, names in ((hanoi, ("Phường Ba Đình", "Xã Sóc Sơn")), (hcm, ("Phường Bến Thành", "Xã Cần Giờ"))):
        for rank, name in enumerate(names, start=1):
            commune = make(f"000.0{rank}.{province.code[-2:]}.{province.code[-3:]}", name, AgencyKind.COMMUNE,
                           province)
            AgencyScore.objects.create(
                framework=framework, period=period, agency=commune, agency_code=commune.code, run=run,
                group=f"commune:{province.code}", index=0.9 - rank / 10, points=1, max_points=2, rank=rank,
                level="leading", verified_share=0, computed_at=timezone.now())
            made[name] = commune
    return made


def ranking(client, **params) -> str:
    response = client.get("/scores/", {"framework": "SAMPLE", "period": 2024, **params})
    assert response.status_code == 200
    return response.content.decode()


def picked(html: str) -> str:
    """The province the picker shows as chosen."""
    picker = html.split('data-testid="province-picker"')[1].split("</select>")[0]
    return picker.split(" selected>")[0].rsplit('value="', 1)[1].split('"')[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role, agency", [("agency_lead", HANOI), ("agency_staff", "commune")])
def test_an_agency_user_gets_the_communes_of_their_own_province(communes, client, make_user, role, agency):
    code = communes["Xã Sóc Sơn"].code if agency == "commune" else agency
    client.force_login(make_user("hn", role, code))
    html = ranking(client, group="commune")
    assert picked(html) == HANOI
    assert "Phường Ba Đình" in html and "Xã Sóc Sơn" in html and "Phường Bến Thành" not in html


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_picks_the_province(communes, client, make_user):
    client.force_login(make_user("rv", "reviewer"))
    html = ranking(client, province=HCM)
    assert picked(html) == HCM and "Phường Bến Thành" in html and "Phường Ba Đình" not in html
    assert ranking(client, group=f"commune:{HANOI}").count("Phường Ba Đình") >= 1
    # Without a province of their own, the first province by name: Hà Nội before Hồ Chí Minh.
    assert picked(ranking(client, group="commune")) == HANOI
    assert "Phường" not in ranking(client, group="provincial")  # the provinces' ranking is untouched


@pytest.mark.django_db(transaction=True)
def test_only_provinces_active_on_the_last_day_of_the_period_can_be_picked(communes, client, make_user):
    client.force_login(make_user("hn", "agency_lead", HANOI))
    html = ranking(client, province=HCM)  # published scores: anyone signed in may read another province's
    assert picked(html) == HCM and "Phường Bến Thành" in html
    picker = html.split('data-testid="province-picker"')[1].split("</select>")[0]
    assert NEW not in picker  # Tỉnh Mới begins in 2025
    assert picked(ranking(client, province=NEW)) == HANOI  # refused: back to their own province


@pytest.mark.django_db(transaction=True)
def test_agencies_api_filters_the_communes_of_a_province(communes, api):
    client = api("observer")
    body = client.get("/api/v1/agencies/", {"group": f"commune:{HANOI.lower()}"}).json()
    assert sorted(a["name_vi"] for a in body["results"]) == ["Phường Ba Đình", "Xã Sóc Sơn"]
    refused = client.get("/api/v1/agencies/", {"group": "communes"})
    assert refused.status_code == 400 and refused.json()["group"]
