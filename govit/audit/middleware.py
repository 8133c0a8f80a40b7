"""Who and from where, for every audit entry written while a request runs.

The client's address follows one rule for the audit log, login lockouts (axes) and API throttling
(DRF): X-Forwarded-For is written by whoever sends the request, so only the entries appended by our
own reverse proxies can be believed. With TRUSTED_PROXY_COUNT = n the client is the n-th address
from the right (DRF's NUM_PROXIES rule); with 0 (no proxy, the default) the header is ignored.
django-auditlog's own middleware takes the header's first, client-written, entry.

The actor: auditlog reads request.user when the request comes in, but an API call signed with a
token is authenticated later, by DRF inside the view; the entry then takes the user DRF found.
"""

from contextvars import ContextVar

from auditlog.middleware import AuditlogMiddleware
from auditlog.models import LogEntry
from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver

_request = ContextVar("audit_request", default=None)


def client_address(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if count and forwarded:
        return forwarded[-min(count, len(forwarded))]
    return request.META.get("REMOTE_ADDR")


class AuditMiddleware(AuditlogMiddleware):
    def __call__(self, request):
        token = _request.set(request)
        try:
            return super().__call__(request)
        finally:
            _request.reset(token)

    @staticmethod
    def _get_remote_addr(request):
        return None if settings.AUDITLOG_DISABLE_REMOTE_ADDR else client_address(request)

    @staticmethod
    def _get_remote_port(request):
        return AuditlogMiddleware._get_remote_port(request) if settings.TRUSTED_PROXY_COUNT else None


@receiver(pre_save, sender=LogEntry, dispatch_uid="govit.audit.actor_from_api_auth")
def actor_from_api_auth(sender, instance, **kwargs):
    request = _request.get()
    user = getattr(request, "user", None)  # DRF sets the Django request's user when it authenticates
    if instance.actor_id is None and user is not None and user.is_authenticated:
        instance.actor = user
        instance.actor_email = user.email or None
