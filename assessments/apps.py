from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """The app label of the catalog, values and scores models, their tables and their migrations.

    The three packages are installed apps of their own (assessments.catalog, .values, .scores) for what Django and
    Celery find by app (commands, template tags, tasks); they have no models of their own.
    """

    name = "assessments"
    verbose_name = _("Frameworks, indicators, values and scores")
