from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "govit.audit"
    label = "govit_audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Each app registers what it wants audited (govit.audit.registry.audit) from its own config.
        from . import middleware  # noqa: F401 - connects the actor of token-authenticated API calls
