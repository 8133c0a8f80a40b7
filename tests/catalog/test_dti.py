"""Issue 15 item 6: the DTI-shaped catalog DTI-BO-TINH, read as shipped, loaded, scored and explained."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.catalog.schema import parse_catalog
from assessments.models import AgencyScore
from tests.scores.conftest import tasks_in_process  # noqa: F401 - score runs in this process

PATH = Path(__file__).resolve().parents[2] / "assessments" / "catalog" / "frameworks" / "dti-bo-tinh.yaml"
DTI = parse_catalog(PATH.read_bytes())
CENTRAL = ("ministry", "ministerial_agency", "government_agency")
FOUNDATION = ["NT", "TC", "HT", "NL", "AT"]
MINISTRIES = ("000.00.00.G12", "000.00.00.G06")  # Finance, Science and Technology
PROVINCES = ("000.00.00.H26", "000.00.00.H41")  # Hà Nội, Nghệ An


def points(kind: str, pillar=None) -> Decimal:
    return sum((i.max_points for p in DTI.pillars if pillar in (None, p.code)
                for i in p.indicators if kind in i.applies_to), Decimal(0))


def test_decision_922_shape_and_validity():
    assert (DTI.code, DTI.version) == ("DTI-BO-TINH", "2022.2")
    assert [p.code for p in DTI.pillars] == [*FOUNDATION, "CQS", "KTS", "XHS"]
    assert all(p.weight is None for p in DTI.pillars)  # index = points / 1,000
    assert DTI.valid_from.isoformat() == "2022-05-20"
    source = next(s for s in DTI.sources if s.code == "QD-922-2022")
    assert "922/QĐ-BTTTT" in source.title_vi and source.issued.isoformat() == "2022-05-20"


@pytest.mark.parametrize("kind", [*CENTRAL, "province"])
def test_every_kind_is_scored_on_1000_points_with_100_per_foundation_pillar(kind):
    assert points(kind) == 1000
    assert [points(kind, code) for code in FOUNDATION] == [100] * 5


def test_provinces_alone_have_the_digital_economy_and_society():
    assert (points("province", "CQS"), points("province", "KTS"), points("province", "XHS")) == (200, 150, 150)
    for kind in CENTRAL:
        assert (points(kind, "CQS"), points(kind, "KTS"), points(kind, "XHS")) == (500, 0, 0)


def full_marks(indicator) -> dict:
    if indicator.type == "ratio":
        return {"numerator": 50, "denominator": 50}
    if indicator.type == "boolean":
        return {"value": "có"}
    return {"value": 100 if indicator.type == "percent" else 5}


def values_csv(tmp_path) -> Path:
    """Full marks for the first ministry and province, the first two pillars only for the others."""
    path = tmp_path / "dti.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, ["agency_code", "indicator_code", "value", "numerator", "denominator"])
        writer.writeheader()
        for agencies, kind in ((MINISTRIES, "ministry"), (PROVINCES, "province")):
            for rank, agency in enumerate(agencies):
                for pillar in DTI.pillars[:2] if rank else DTI.pillars:
                    for indicator in pillar.indicators:
                        if kind in indicator.applies_to:
                            writer.writerow({"agency_code": agency, "indicator_code": indicator.code,
                                             **full_marks(indicator)})
    return path


@pytest.fixture
def scored(tmp_path, registry):
    call_command("load_framework", str(PATH))
    call_command("create_period", "DTI-BO-TINH", "2025")
    call_command("import_values", str(values_csv(tmp_path)), "--framework", "DTI-BO-TINH", "--period", "2025",
                 "--status", "verified")
    call_command("compute_scores", "--framework", "DTI-BO-TINH", "--period", "2025", "--wait")
    return {s.agency_code: s for s in AgencyScore.objects.filter(framework__code="DTI-BO-TINH", period__year=2025)}


def test_the_catalog_loads_and_scores_ministries_and_provinces_apart_on_1000_points(scored):
    for code in (*MINISTRIES, *PROVINCES):
        assert scored[code].max_points == 1000
    for best, other in (MINISTRIES, PROVINCES):
        assert (scored[best].points, scored[best].index, scored[best].rank) == (1000, 1, 1)
        assert scored[other].points == 200 and scored[other].index == Decimal("0.2")  # NT + TC only
    assert scored[MINISTRIES[0]].group != scored[PROVINCES[0]].group


def test_the_method_page_lists_the_pillars(english_method_page):
    call_command("load_framework", str(PATH))
    html = english_method_page("DTI-BO-TINH")
    for name in ("Digital awareness", "Digital institutions", "Digital infrastructure", "Digital workforce",
                 "Network information security", "Digital government", "Digital economy", "Digital society"):
        assert name in html


OTHER = "000.00.00.G08"  # Foreign Affairs: full marks, but no public services
NO_SERVICES = DTI.public_service_indicators


@pytest.fixture
def split(tmp_path, registry, make_user):
    """Three ministries at full marks; a reviewer accepts that none of the public service indicators applies to
    Foreign Affairs, and that one of them does not apply to Finance."""
    from assessments.catalog.models import Indicator, Period
    from assessments.values.services import mark_not_applicable

    call_command("load_framework", str(PATH))
    call_command("create_period", "DTI-BO-TINH", "2025")
    path = tmp_path / "dti.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, ["agency_code", "indicator_code", "value", "numerator", "denominator"])
        writer.writeheader()
        for agency in (*MINISTRIES, OTHER):
            for indicator in (i for p in DTI.pillars for i in p.indicators if "ministry" in i.applies_to):
                writer.writerow({"agency_code": agency, "indicator_code": indicator.code, **full_marks(indicator)})
    call_command("import_values", str(path), "--framework", "DTI-BO-TINH", "--period", "2025", "--status", "verified")
    reviewer, period = make_user("tham-dinh", "reviewer"), Period.objects.get(framework_code="DTI-BO-TINH")
    from agencies.models import Agency

    def not_applicable(agency_code, codes):
        agency = Agency.objects.get(code=agency_code)
        for code in codes:
            indicator = Indicator.objects.get(framework__code="DTI-BO-TINH", code=code)
            mark_not_applicable(reviewer, agency, indicator, period, "Không cung cấp dịch vụ công")

    not_applicable(OTHER, NO_SERVICES)
    not_applicable(MINISTRIES[0], NO_SERVICES[:1])
    call_command("compute_scores", "--framework", "DTI-BO-TINH", "--period", "2025", "--wait")
    return not_applicable


def scores_of(code):
    return list(AgencyScore.objects.filter(framework__code="DTI-BO-TINH", agency_code=code))


def test_a_ministry_without_public_services_is_ranked_apart(split):
    assert NO_SERVICES == ["CQS.01", "CQS.02", "CQS.04"]
    [other] = scores_of(OTHER)
    assert (other.group, other.rank, other.index) == ("central_no_public_services", 1, 1)
    # One accepted claim is not "without public services": Finance stays among the central agencies.
    assert [(s.group, s.rank) for s in scores_of(MINISTRIES[0])] == [("central", 1)]
    assert [(s.group, s.rank) for s in scores_of(MINISTRIES[1])] == [("central", 1)]


def test_a_recompute_of_the_central_group_replaces_both_central_groups(split):
    # Finance's remaining claims make it a ministry without public services: the value-change run of the
    # central agencies moves it, leaving one score per agency.
    split(MINISTRIES[0], NO_SERVICES[1:])
    assert [(s.group, s.rank) for s in scores_of(MINISTRIES[0])] == [("central_no_public_services", 1)]
    assert [(s.group, s.rank) for s in scores_of(OTHER)] == [("central_no_public_services", 1)]
    assert [(s.group, s.rank) for s in scores_of(MINISTRIES[1])] == [("central", 1)]


def test_the_ranking_page_and_method_page_offer_the_group(split, client, english_method_page):
    method = english_method_page("DTI-BO-TINH")  # signs the observer in, in English
    assert "CQS.01, CQS.02, CQS.04" in method and "ranked apart" in method
    page = client.get("/scores/", {"framework": "DTI-BO-TINH", "period": 2025,
                                           "group": "central_no_public_services"}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Central agencies without public services" in html and "Ministry of Foreign Affairs" in html
    assert "Ministry of Finance" not in html
    # The agency's own score page says which group its rank is in: the registry's group is only "central".
    panel = client.get(f"/scores/agencies/{OTHER}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="ranked-in">· Central agencies without public services<' in panel


@pytest.mark.parametrize(("listed", "message"), [
    ("[]", "The list is empty."),
    ("CQS.01", "Expected a list."),
    ("[{code: CQS.01}]", "Expected a text (quote it)."),
])
def test_a_malformed_public_service_list_is_refused_with_its_path(listed, message):
    from govit.errors import InputRejected

    text = PATH.read_text(encoding="utf-8").replace("[CQS.01, CQS.02, CQS.04]", listed)
    with pytest.raises(InputRejected) as refused:
        parse_catalog(text)
    assert [(e.where.startswith("public_service_indicators"), str(e.message)) for e in refused.value.errors] == [
        (True, message)]


def test_a_catalog_naming_an_unknown_public_service_indicator_is_refused():
    from govit.errors import InputRejected

    text = PATH.read_text(encoding="utf-8").replace("[CQS.01, CQS.02, CQS.04]", "[CQS.01, XX.99, CQS.01]")
    with pytest.raises(InputRejected) as refused:
        parse_catalog(text)
    assert [(e.where, str(e.message)) for e in refused.value.errors] == [
        ("public_service_indicators[1]", "“XX.99” is not an indicator of this catalog."),
        ("public_service_indicators[2]", "Duplicate indicator code “CQS.01”.")]


def test_the_demo_is_scored_with_the_dti_catalog(registry):
    from assessments.values.demo import load_demo_assessments

    lines = load_demo_assessments()
    assert any(line.startswith("DTI-BO-TINH 2024: values") for line in lines)
    demo = AgencyScore.objects.filter(framework__code="DTI-BO-TINH", period__year=2024)
    groups = set(demo.values_list("group", flat=True))
    assert {"central", "provincial"} <= groups
    assert demo.filter(group="provincial").count() == 63  # before the 2025 mergers
    assert demo.filter(rank=1, group="provincial").exists() and demo.filter(rank=1, group="central").exists()
    assert all(0 <= s.index <= 1 and s.max_points <= 1000 for s in demo) and any(s.index > 0 for s in demo)
