"""Where a value came from: measured by a feed source (at the time of its latest observation) or reported."""

from assessments.values.models import IndicatorValue

NO_VALUE = {"value_source": None, "measured_by": None, "measured_at": None, "reported_by": None}


def provenance(agency_id: int, period_id: int, framework_id: int) -> dict[str, dict]:
    """Per indicator code of the agency's values in the period: value_source ("measured" or "reported"),
    measured_by (the source's code), measured_at, reported_by (who last changed a reported value)."""
    rows = IndicatorValue.objects.filter(agency_id=agency_id, period_id=period_id,
                                         indicator__framework_id=framework_id).values_list(
        "indicator__code", "measured_by__code", "measured_at", "updated_by__username")
    return {code: {"value_source": "measured" if source else "reported", "measured_by": source,
                   "measured_at": at if source else None, "reported_by": None if source else user}
            for code, source, at, user in rows}
