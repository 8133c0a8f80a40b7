from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = _("Agencies and users")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import signals  # noqa: F401 - connects the receivers
        from .models import Agency, AgencyLineage, ReviewingAuthority, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Agency, exclude_fields=["search_text", "path", "depth"])
        auditlog.register(AgencyLineage)
        auditlog.register(ReviewingAuthority)
