"""The plan indicators of the catalogs are filled in from the plans, through the values' write path."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from assessments.catalog.models import Framework, Indicator, Period, PeriodStatus, Pillar
from assessments.values.models import IndicatorValue
from plans.feed import sync_plan_indicators

from .conftest import approved_plan, client_for


def cds(year=2023) -> tuple[Framework, Period]:
    framework = Framework.objects.create(code="CDS", version="t", name_vi="CDS", levels=[], content_hash="1" * 64)
    pillar = Pillar.objects.create(framework=framework, code="KH", name_vi="Kế hoạch")
    Indicator.objects.create(framework=framework, pillar=pillar, code="KH.01", name_vi="Có kế hoạch 5 năm",
                             type="boolean", normalization={"method": "boolean"}, max_points=10)
    return framework, Period.objects.create(framework_code="CDS", year=year, deadline=f"{year + 1}-03-31")


@pytest.mark.django_db
def test_five_year_plan_in_force_feeds_kh01(world):
    framework, period = cds()
    approved_plan(world)  # Hà Nội's 2021–2025 plan
    assert sync_plan_indicators(framework, period) >= 2
    answers = dict(IndicatorValue.objects.filter(period=period).values_list("agency__code", "value_bool"))
    assert answers[world.province.code] is True and answers[world.other.code] is False
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {"verified"}
    assert sync_plan_indicators(framework, period) == 0  # nothing changed: nothing written


@pytest.mark.django_db
def test_a_run_asked_for_through_the_api_scores_the_current_plans_with_history_and_audit(world):
    framework, period = cds()
    approved_plan(world)
    response = client_for(world.reviewer).post("/api/v1/score-runs/", {"framework": "CDS", "period": 2023},
                                               format="json")
    assert response.status_code in (201, 202), response.content
    value = IndicatorValue.objects.get(period=period, agency=world.province)
    assert value.value_bool is True and value.status == "verified" and value.updated_by is None  # the system
    assert value.history.count() == 1
    kind = ContentType.objects.get_for_model(IndicatorValue)
    assert LogEntry.objects.filter(content_type=kind, object_pk=str(value.pk)).exists()


@pytest.mark.django_db
def test_a_closed_period_is_left_as_it_is(world):
    framework, period = cds()
    approved_plan(world)
    Period.objects.filter(pk=period.pk).update(status=PeriodStatus.CLOSED)
    period.refresh_from_db()
    assert sync_plan_indicators(framework, period) == 0
    assert not IndicatorValue.objects.exists()
