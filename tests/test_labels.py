"""Labels people read (issue 13 item 5): legal bases by the act's short title and article, English names in
English mode, the Vietnamese file-picker label on the entry grid."""

import pytest
from django.utils import translation

from assessments.catalog.models import LegalBasis
from assessments.scores.inputs import legal_basis_titles, short_title
from assessments.scores.labels import group_label
from govit.i18n import local_name
from tests.values.web.conftest import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_short_title_cuts_at_the_date_or_issuer():
    assert short_title("Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng CNTT") == \
        "Nghị định số 64/2007/NĐ-CP"
    assert short_title("Decree 64/2007/ND-CP of 10 April 2007 on IT application") == "Decree 64/2007/ND-CP"
    assert len(short_title("Báo cáo " + "rất dài " * 20)) == 60


def test_legal_basis_titles_not_codes(world):
    indicator = world.ind["HT.01"]  # ND-64-2007 article 10 clause 3 in the sample catalog
    assert LegalBasis.objects.filter(indicator=indicator).exists()
    assert legal_basis_titles(indicator, "vi") == ("Nghị định số 64/2007/NĐ-CP, Điều 10 khoản 3",)
    assert legal_basis_titles(indicator, "en") == ("Decree 64/2007/ND-CP, Article 10(3)",)


def test_entry_details_show_the_short_title(world, client):
    client.force_login(world.staff)
    page = client.get("/values/entry/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Nghị định số 64/2007/NĐ-CP, Điều 10 khoản 3" in page
    assert "ND-64-2007 Đ.10" not in page


def test_english_names_in_english_mode(world):
    pillar = world.ind["HT.01"].pillar
    with translation.override("en"):
        assert local_name(pillar) == "Technical infrastructure"
    with translation.override("vi"):
        assert local_name(pillar) == "Hạ tầng kỹ thuật"
    pillar.name_en = ""
    with translation.override("en"):
        assert local_name(pillar) == "Hạ tầng kỹ thuật"  # no English name: the Vietnamese one


def test_level_labels_translated_not_raw():
    from django.template import Context, Template

    shown = Template("{% load names %}{{ level|level_label }}")
    with translation.override("en"):
        assert shown.render(Context({"level": "advanced"})) == "Advanced"
    with translation.override("vi"):
        assert shown.render(Context({"level": "advanced"})) not in ("advanced", "Advanced")


def test_commune_group_named_by_its_province(world):
    from agencies.models import Agency

    province = Agency.objects.filter(kind="province").first() or world.staff.agency
    with translation.override("vi"):
        assert local_name(province) in group_label(f"commune:{province.code}", province)
        assert group_label("provincial") == "Tỉnh, thành phố trực thuộc trung ương"


def test_method_page_legal_basis_by_short_title(world, client):
    client.force_login(world.staff)
    page = client.get("/scores/method/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Nghị định số 64/2007/NĐ-CP, Điều 10 khoản 3" in page


def test_plan_list_in_vietnamese_name_order(world):
    from agencies.users import create_user
    from plans.models import Plan
    from plans.selectors import in_list_order
    from plans.services import NewPlan, create_plan
    from tests.values.web.conftest import make_agency

    # By code Đồng Tháp (H40) comes first, by bytes "Đ" comes after every Latin letter; in Vietnamese, An Giang first.
    for code, name in (("000.00.00.H40", "Tỉnh Đồng Tháp"), ("000.00.00.H41", "Tỉnh An Giang"),
                       ("000.00.00.H42", "Tỉnh Bạc Liêu")):
        agency = make_agency(code, name)
        staff = create_user(f"kh-{code[-3:]}", "agency_staff", code, password="Correct-horse-9")[0]
        create_plan(staff, NewPlan(agency=agency, kind="five_year", period_start=2026))
    names = [p.agency.name_vi for p in in_list_order(Plan.objects.select_related("agency"))]
    assert names == ["Tỉnh An Giang", "Tỉnh Bạc Liêu", "Tỉnh Đồng Tháp"]
