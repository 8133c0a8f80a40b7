from django.apps import AppConfig


class ValuesConfig(AppConfig):
    """Installed for its commands (import_values, govit_feed_source) and its audit registrations; its models belong
    to the app `assessments`."""

    name = "assessments.values"
    label = "assessments_values"

    def ready(self) -> None:
        from assessments.values.models import Evidence, IndicatorValue
        from govit.audit.registry import audit

        audit(IndicatorValue, exclude_fields=["updated_at", "created_at"], related=("agency", "indicator", "period"),
              name=lambda v: f"{v.agency.code} · {v.indicator.code} · {v.period}")
        audit(Evidence, exclude_fields=["sha256"])
