from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "govit.audit"
    label = "govit_audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Users, roles and the registry are registered by agencies; values and plans here, so that the
        # list of what the audit log covers sits next to the page that shows it.
        from auditlog.registry import auditlog

        from assessments.values.models import Evidence, IndicatorValue
        from plans.models import BudgetLine, Plan, PlanSection, PlanTarget, PlanTask

        from . import middleware  # noqa: F401 - connects the actor of token-authenticated API calls

        auditlog.register(IndicatorValue, exclude_fields=["updated_at", "created_at"])
        auditlog.register(Evidence, exclude_fields=["sha256"])
        auditlog.register(Plan, exclude_fields=["updated_at", "created_at"])
        auditlog.register(PlanSection)
        auditlog.register(PlanTask)
        # Replaced in bulk by plans.services: deletions through the signals, creations by log_bulk_changes.
        auditlog.register(BudgetLine)
        auditlog.register(PlanTarget)
