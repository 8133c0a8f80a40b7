from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Frameworks, indicators, values and scores")

    def ready(self) -> None:
        # Celery's autodiscovery looks for <app>.tasks only; the score tasks live in the scores package.
        from assessments.scores import tasks  # noqa: F401
        from assessments.values.models import Evidence, IndicatorValue
        from govit.audit.registry import audit

        audit(IndicatorValue, exclude_fields=["updated_at", "created_at"], related=("agency", "indicator", "period"),
              name=lambda v: f"{v.agency.code} · {v.indicator.code} · {v.period}")
        audit(Evidence, exclude_fields=["sha256"])
