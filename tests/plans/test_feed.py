"""The plan indicators of the catalogs are filled in from the plans."""

import pytest

from assessments.catalog.models import Framework, Indicator, Period, Pillar
from assessments.values.models import IndicatorValue
from plans.feed import sync_plan_indicators

from .conftest import approved_plan


@pytest.mark.django_db
def test_five_year_plan_in_force_feeds_kh01(world):
    framework = Framework.objects.create(code="CDS", version="t", name_vi="CDS", levels=[], content_hash="1" * 64)
    pillar = Pillar.objects.create(framework=framework, code="KH", name_vi="Kế hoạch")
    Indicator.objects.create(framework=framework, pillar=pillar, code="KH.01", name_vi="Có kế hoạch 5 năm",
                             type="boolean", normalization={"method": "boolean"}, max_points=10)
    period = Period.objects.create(framework_code="CDS", year=2023, deadline="2024-03-31")
    approved_plan(world)  # Hà Nội's 2021–2025 plan
    assert sync_plan_indicators(framework, period) >= 2
    answers = dict(IndicatorValue.objects.filter(period=period).values_list("agency__code", "value_bool"))
    assert answers[world.province.code] is True and answers[world.other.code] is False
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {"verified"}
    assert sync_plan_indicators(framework, period) == 0  # nothing changed: nothing written
