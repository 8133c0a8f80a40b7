"""The plan indicators of the catalogs, fed from the plans themselves (roles.md: "filed on time" and
"approved plan in force" feed indicators of the score), so agencies do not report them by hand.

Written as the system (no user) through the values' one write path, `services.import_rows`: verified, with
history and audit, only while the period is open, and only the values whose answer changed.
"""

from agencies.models import Agency
from assessments.catalog.models import Framework, Period
from assessments.catalog.selectors import latest_framework
from assessments.values.models import ValueStatus
from assessments.values.services import import_rows

from .models import PlanKind
from .selectors import approved_plan_in_force, filed_on_time

# Indicator codes of the shipped catalogs (assessments/catalog/frameworks/) and the rule that answers them.
FEEDS = {
    "CNTT-64": {"KH.01": "five_year_in_force", "KH.02": "annual_on_time"},
    "CDS": {"KH.01": "five_year_in_force", "KH.02": "annual_on_time"},
}
NOTE = "Tự động từ phân hệ kế hoạch / Filled in from the plans module"


def _answer(rule: str, agency: Agency, period: Period) -> bool:
    if rule == "five_year_in_force":
        return approved_plan_in_force(agency, period.end_date) is not None
    return filed_on_time(agency, PlanKind.ANNUAL, period.year)


def _rows(framework: Framework, period: Period) -> list[tuple[int, dict[str, str]]]:
    rows: list[tuple[int, dict[str, str]]] = []
    indicators = list(framework.indicators.filter(code__in=FEEDS.get(framework.code, {})))
    agencies = list(Agency.objects.active_on(period.end_date).filter(parent__isnull=True)) if indicators else []
    for indicator in indicators:
        rule = FEEDS[framework.code][indicator.code]
        for agency in agencies:
            if indicator.applies_to_kind(agency.kind, period):
                answer = "true" if _answer(rule, agency, period) else "false"
                cells = {"agency_code": agency.code, "indicator_code": indicator.code, "value": answer, "note": NOTE}
                rows.append((len(rows) + 2, cells))
    return rows


def sync_plan_indicators(framework: Framework, period: Period) -> int:
    """Write the plan indicators of every applicable agency as verified yes/no values; returns how many changed.

    Values go to the latest version of a framework (as every import): an older version or a closed period is
    left as it is. The caller asks for the score run (this runs inside `request_run`)."""
    if framework.code not in FEEDS or not period.is_open or latest_framework(framework.code) != framework:
        return 0
    rows = _rows(framework, period)
    if not rows:
        return 0
    plan = import_rows(rows, framework.code, period.year, ValueStatus.VERIFIED, rescore=False)
    return len(plan.creates) + len(plan.updates)
