"""The plan indicators of the catalogs, fed from the plans themselves (roles.md: "filed on time" and
"approved plan in force" feed indicators of the score), so agencies do not report them by hand."""

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency
from assessments.catalog.models import Framework, Period
from assessments.values.models import IndicatorValue, ValueStatus

from .models import PlanKind
from .selectors import approved_plan_in_force, filed_on_time

# Indicator codes of the shipped catalogs (assessments/data/frameworks/) and the rule that answers them.
FEEDS = {
    "CNTT-64": {"KH.01": "five_year_in_force", "KH.02": "annual_on_time"},
    "CDS": {"KH.01": "five_year_in_force", "KH.02": "annual_on_time"},
}
NOTE = "Tự động từ phân hệ kế hoạch / Filled in from the plans module"


def _answer(rule: str, agency: Agency, period: Period) -> bool:
    if rule == "five_year_in_force":
        return approved_plan_in_force(agency, period.end_date) is not None
    return filed_on_time(agency, PlanKind.ANNUAL, period.year)


@transaction.atomic
def sync_plan_indicators(framework: Framework, period: Period) -> int:
    """Write the plan indicators of every applicable agency as verified yes/no values; returns how many changed."""
    changed = 0
    agencies = list(Agency.objects.active_on(period.end_date).filter(parent__isnull=True))
    for code, rule in FEEDS.get(framework.code, {}).items():
        indicator = framework.indicators.filter(code=code).first()
        if indicator is None:
            continue
        existing = {v.agency_id: v for v in IndicatorValue.objects.filter(indicator=indicator, period=period)}
        for agency in agencies:
            if not indicator.applies_to_kind(agency.kind, period):
                continue
            answer = _answer(rule, agency, period)
            value = existing.get(agency.pk)
            if value and value.value_bool == answer and value.status == ValueStatus.VERIFIED:
                continue
            value = value or IndicatorValue(agency=agency, indicator=indicator, period=period, version=0)
            value.value_bool, value.status, value.note = answer, ValueStatus.VERIFIED, NOTE
            value.version += 1
            value.updated_at = timezone.now()
            value.save()
            changed += 1
    return changed
