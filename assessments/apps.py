from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Frameworks, indicators, values and scores")

    def ready(self) -> None:
        # Celery's autodiscovery looks for <app>.tasks only; the score tasks live in the scores package.
        from assessments.scores import tasks  # noqa: F401
