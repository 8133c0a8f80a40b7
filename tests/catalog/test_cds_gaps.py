"""Issue 15 item 3: the CDS catalog's security pillar and online public service indicators, read as shipped."""

from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.catalog.schema import parse_catalog

PATH = Path(__file__).resolve().parents[2] / "assessments" / "catalog" / "frameworks" / "cds.yaml"
CDS = parse_catalog(PATH.read_bytes())
INDICATORS = {i.code: i for p in CDS.pillars for i in p.indicators}


def sources(code: str) -> set[str]:
    return {b.source for b in INDICATORS[code].legal_basis}


def pillar(code: str):
    return next(p for p in CDS.pillars if p.code == code)


def test_a_network_security_pillar_exists():
    assert pillar("AT").name_vi == "An toàn thông tin mạng"
    assert [i.code for i in pillar("AT").indicators] == ["AT.01", "AT.02", "AT.03"]


@pytest.mark.parametrize("code, act, words", [
    ("AT.01", "ND-85-2016", "cấp độ an toàn"),  # security levels approved
    ("AT.02", "BC-RASOAT-ND64", "Trung tâm Giám sát an toàn không gian mạng quốc gia"),  # monitoring
    ("AT.03", "QD-05-2017", "diễn tập"),  # incident drills
])
def test_security_indicators_name_their_duty_and_its_act(code, act, words):
    assert words in INDICATORS[code].name_vi and act in sources(code)


def test_security_acts_are_declared_and_the_seed_sections_cited():
    declared = {s.code: s for s in CDS.sources}
    assert "86/2015/QH13" in declared["LUAT-ATTTM-2015"].title_vi
    assert "85/2016/NĐ-CP" in declared["ND-85-2016"].title_vi
    assert "05/2017/QĐ-TTg" in declared["QD-05-2017"].title_vi
    cited = {(b.source, b.article) for code in ("AT.01", "AT.02", "AT.03") for b in INDICATORS[code].legal_basis}
    assert {("BC-RASOAT-ND64", "II.1.1"), ("BC-RASOAT-ND64", "I.1.2.c")} <= cited


@pytest.mark.parametrize("group, code", [
    ("publicity", "DVC.01"), ("progress", "DDL.05"), ("online services", "QT.01"), ("online services", "QT.04"),
    ("online payment", "DVC.02"), ("digitisation", "MLN.02"), ("satisfaction", "CPM.04"),
])
def test_each_decision_766_group_is_measured_and_cites_it(group, code):
    assert "QD-766-2022" in sources(code)
    assert group in " ".join(b.note_en for b in INDICATORS[code].legal_basis).lower()


def test_dossier_digitisation_cites_decree_107():
    assert "ND-107-2021" in sources("MLN.02")


def test_acts_without_a_known_date_say_so():
    declared = {s.code: s for s in CDS.sources}
    for code, number in (("QD-766-2022", "766/QĐ-TTg"), ("ND-107-2021", "107/2021/NĐ-CP")):
        assert number in declared[code].title_vi and declared[code].issued is None
        assert "to be checked against the gazette" in declared[code].title_en


@pytest.mark.parametrize("code, article, words", [
    ("DVC.03", "15", "điền sẵn"),  # auto-filled forms
    ("DVC.04", "16", "chủ động"),  # proactive service levels
])
def test_decree_224_articles_15_and_16(code, article, words):
    assert ("ND-224-2026", article) in {(b.source, b.article) for b in INDICATORS[code].legal_basis}
    assert words in INDICATORS[code].name_vi


def test_proactive_service_is_a_level_scale():
    indicator = INDICATORS["DVC.04"]
    assert (indicator.type, indicator.min_level, indicator.max_level) == ("level", 1, 3)


@pytest.mark.django_db
def test_the_method_page_shows_the_new_pillars(english_method_page):
    call_command("load_framework", str(PATH))
    html = english_method_page("CDS")
    assert "Network information security" in html and "Online public services for people and businesses" in html
