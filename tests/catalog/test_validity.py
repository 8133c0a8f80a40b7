"""Issue 15 item 2: a catalog's validity, and indicators that target districts only while districts existed."""

import datetime
from pathlib import Path

import pytest
import yaml

from agencies.models import Agency
from assessments.catalog.loader import load_framework
from assessments.catalog.models import Framework, Period
from assessments.catalog.periods import create_period
from assessments.scores.inputs import framework_spec
from assessments.values.services import check_target
from govit.errors import InputRejected

CNTT = (Path(__file__).resolve().parents[2] / "assessments" / "catalog" / "frameworks" / "cntt-64.yaml").read_bytes()


def cntt(**changes) -> bytes:
    tree = yaml.safe_load(CNTT)
    tree.update(changes)
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode()


def period(year: int) -> Period:
    return Period(framework_code="CNTT-64", year=year, deadline=datetime.date(year + 1, 3, 31))


@pytest.fixture
def loaded(db):
    return load_framework(CNTT).framework


@pytest.mark.django_db
def test_cntt_64_is_in_force_until_30_june_2026(loaded):
    assert (loaded.valid_from, loaded.valid_to) == (datetime.date(2007, 5, 18), datetime.date(2026, 6, 30))


@pytest.mark.django_db
def test_a_period_outside_the_catalog_validity_is_refused(loaded):
    assert create_period("CNTT-64", 2026).created
    with pytest.raises(InputRejected) as exc:
        create_period("CNTT-64", 2027)
    error = exc.value.errors[0]
    assert error.where == "year" and "30/06/2026" in error.bilingual()
    assert not Period.objects.filter(year=2027).exists()


@pytest.mark.django_db
def test_a_catalog_without_validity_takes_any_year():
    load_framework(cntt(code="OPEN", valid_from=None, valid_to=None))
    assert create_period("OPEN", 2040).created


@pytest.mark.django_db
def test_loading_a_version_that_would_leave_an_open_period_outside_its_validity_is_refused():
    load_framework(cntt(version="2021.1", valid_from=None, valid_to=None))
    create_period("CNTT-64", 2027)
    with pytest.raises(InputRejected) as exc:
        load_framework(CNTT)
    assert exc.value.errors[0].where == "valid_to" and "2027" in exc.value.errors[0].bilingual()
    assert not Framework.objects.filter(version="2021.2").exists()


@pytest.mark.django_db
def test_validity_ending_before_it_starts_is_refused():
    with pytest.raises(InputRejected) as exc:
        load_framework(cntt(valid_from=datetime.date(2026, 7, 1)))
    assert [e.where for e in exc.value.errors] == ["valid_to"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["HT.02", "NL.02", "NL.05", "DG.04"])
@pytest.mark.parametrize("year, district, commune", [(2024, True, False), (2025, True, True), (2026, False, True)])
def test_district_indicators_move_to_communes_from_1_july_2025(loaded, code, year, district, commune):
    indicator = loaded.indicators.get(code=code)
    assert indicator.applies_to_kind("district", period(year)) is district
    assert indicator.applies_to_kind("commune", period(year)) is commune


@pytest.mark.django_db
def test_ht_04_ends_on_30_june_2025(loaded):
    indicator = loaded.indicators.get(code="HT.04")
    assert indicator.applies_to_kind("province", period(2025))
    assert not indicator.applies_to_kind("province", period(2026))


@pytest.mark.django_db
def test_score_runs_leave_out_what_is_not_assessed_in_the_year(loaded):
    def indicators(year):
        return {i.code: i.applies_to for p in framework_spec(loaded, year).pillars for i in p.indicators}
    assert "HT.04" in indicators(2025) and "HT.04" not in indicators(2026)
    assert "district" in indicators(2024)["HT.02"] and "commune" not in indicators(2024)["HT.02"]
    assert "district" not in indicators(2026)["HT.02"] and "commune" in indicators(2026)["HT.02"]


@pytest.mark.django_db
def test_a_value_of_a_district_indicator_is_refused_for_a_district_after_the_change(loaded):
    district = Agency.objects.create(code="000.00.01.H26", name_vi="Huyện A", kind="district",
                                     valid_from=datetime.date(2008, 8, 1), valid_to=datetime.date(2026, 12, 31))
    later = create_period("CNTT-64", 2026).period
    with pytest.raises(InputRejected):
        check_target(district, loaded.indicators.get(code="HT.02"), later)
    check_target(district, loaded.indicators.get(code="HT.02"), create_period("CNTT-64", 2025).period)


@pytest.mark.django_db
def test_pages_expect_of_a_district_only_what_it_reports_in_the_year(loaded):
    """The entry grid, its tab counts, the fill-in template and completeness follow the dated kinds too."""
    from assessments.values.selectors import applicable, pillar_progress
    from assessments.values.templates import applicable_indicators

    district = Agency(code="000.00.01.H26", name_vi="Huyện A", kind="district", valid_from=datetime.date(2008, 8, 1))
    pillar = loaded.pillars.get(code=loaded.indicators.get(code="HT.02").pillar.code)
    before, after = period(2024), period(2026)
    assert "HT.02" in {i.code for i in applicable(pillar, "district", before)}
    assert "HT.02" not in {i.code for i in applicable(pillar, "district", after)}
    tabs = pillar_progress([pillar], "district", {}, after)[pillar.code]
    assert tabs == (0, len(applicable(pillar, "district", after))) and tabs[1] < len(applicable(pillar, "district"))
    assert "HT.02" not in {i.code for i in applicable_indicators(loaded, district, after)}
    assert "HT.02" in {i.code for i in applicable_indicators(loaded, district, before)}
