from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("IT and digital-transformation plans")

    def ready(self) -> None:
        # The plan indicators of a score are the plans' answers, refreshed before every full score run
        # (assessments does not import plans: plans depends on assessments).
        from assessments.scores.runs import INPUT_FEEDS

        from .feed import sync_plan_indicators

        INPUT_FEEDS.append(sync_plan_indicators)
