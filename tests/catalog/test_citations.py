"""Issue 15 item 1: the citations of the shipped catalogs, read from the YAML files as shipped."""

from pathlib import Path

import pytest

from assessments.catalog.schema import parse_catalog

FRAMEWORKS = Path(__file__).resolve().parents[2] / "assessments" / "catalog" / "frameworks"


def catalog(name: str):
    return parse_catalog((FRAMEWORKS / name).read_bytes())


CNTT = catalog("cntt-64.yaml")
CDS = catalog("cds.yaml")
DTI = catalog("dti-bo-tinh.yaml")


def basis(cat, code: str) -> list[tuple[str, str, str]]:
    indicator = next(i for p in cat.pillars for i in p.indicators if i.code == code)
    return [(b.source, b.article, b.clause) for b in indicator.legal_basis]


def decree64(code: str) -> list[tuple[str, str]]:
    return [(article, clause) for source, article, clause in basis(CNTT, code) if source == "ND-64-2007"]


def test_iso_quality_management_is_article_33_clause_2():
    assert decree64("UD.10") == [("33", "2")]


@pytest.mark.parametrize("code", ["HT.01", "HT.06", "HT.07"])
def test_infrastructure_cites_article_10_clause_3_not_the_range(code):
    assert decree64(code) == [("10", "3")]


def test_database_catalogue_cites_article_12_clause_3():
    assert decree64("DL.01") == [("12", "3")]


def test_special_use_network_cites_article_10_clause_1():
    assert decree64("HT.03") == [("10", "1")]


def test_no_requirement_cites_the_10_12_range():
    assert not [i.code for p in CNTT.pillars for i in p.indicators for b in i.legal_basis if b.article == "10-12"]


def test_accessibility_binding_basis_is_decree_43_article_8():
    cited = basis(CNTT, "TT.06")
    assert cited[0] == ("ND-43-2011", "8", "")
    assert ("ND-64-2007", "14", "4") in cited  # kept, as the clause that only encourages


@pytest.mark.parametrize("code, act", [
    ("AT.01", "LUAT-ATTTM-2015"), ("AT.04", "ND-85-2016"), ("AT.08", "QD-05-2017"),
    ("UD.05", "QD-28-2018"), ("DV.07", "ND-61-2018"),
])
def test_later_concepts_cite_their_act_beside_decree_64(code, act):
    sources = [source for source, _article, _clause in basis(CNTT, code)]
    assert act in sources and "ND-64-2007" in sources


@pytest.mark.parametrize("code, number, issued", [
    ("LUAT-ATTTM-2015", "86/2015/QH13", "2015-11-19"), ("ND-85-2016", "85/2016/NĐ-CP", "2016-07-01"),
    ("QD-05-2017", "05/2017/QĐ-TTg", "2017-03-16"), ("QD-28-2018", "28/2018/QĐ-TTg", "2018-07-12"),
    ("ND-61-2018", "61/2018/NĐ-CP", "2018-04-23"),
])
def test_added_acts_are_declared_with_title_and_date(code, number, issued):
    source = next(s for s in CNTT.sources if s.code == code)
    assert number in source.title_vi and source.title_en and source.issued.isoformat() == issued


def test_annual_plan_deadline_counts_from_issuance():
    assert ("ND-224-2026", "7", "3(d)") in basis(CDS, "KH.02")
    indicator = next(i for p in CDS.pillars for i in p.indicators if i.code == "KH.02")
    note = indicator.legal_basis[1]
    assert "ban hành" in note.note_vi and "issuance" in note.note_en and "approval" not in note.note_en


@pytest.mark.parametrize("code", ["CT.01", "KH.01", "CB.03"])
def test_no_filler_citation_of_the_law_s_scope_article(code):
    assert ("LUAT-CDS-2025", "1", "") not in basis(CDS, code)


def test_plan_duty_cites_decree_224_article_7():
    assert ("ND-224-2026", "7", "") in basis(CDS, "KH.01")


@pytest.mark.parametrize("cat", [CNTT, CDS, DTI], ids=["CNTT-64", "CDS", "DTI-BO-TINH"])
def test_every_requirement_cites_a_seed_or_an_article(cat):
    seeds = {"BC-RASOAT-ND64", "CS-ND-THAYTHE-64"}
    bare = [i.code for p in cat.pillars for i in p.indicators
            if not any(b.source in seeds or b.article for b in i.legal_basis)]
    assert bare == []
