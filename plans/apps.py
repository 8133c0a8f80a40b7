from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("IT and digital-transformation plans")

    def ready(self) -> None:
        # The plan indicators of a score are the plans' answers, refreshed before every full score run
        # (assessments does not import plans: plans depends on assessments).
        from assessments.scores.runs import INPUT_FEEDS
        from govit.audit.registry import audit

        from .feed import sync_plan_indicators
        from .models import BudgetLine, Plan, PlanSection, PlanTarget, PlanTask

        INPUT_FEEDS.append(sync_plan_indicators)
        audit(Plan, exclude_fields=["updated_at", "created_at"])
        audit(PlanSection, related=("plan",), name=lambda s: f"{s.plan} · {s.title}")
        audit(PlanTask)
        # Replaced in bulk by plans.services: deletions through the signals, creations by log_bulk_changes.
        audit(BudgetLine)
        audit(PlanTarget)
