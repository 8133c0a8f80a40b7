"""Audit entries for rows written in bulk (value imports), which bypass auditlog's model signals."""

from collections.abc import Iterable

from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from .middleware import AuditMiddleware, _request

BATCH = 2000


def log_bulk_changes(pairs: Iterable[tuple[Model | None, Model]], actor=None) -> int:
    """One entry per (before, after) pair that changed a registered field; before None: created.

    The actor is the given user, else the request's; the client address and port are the request's
    (govit.audit.middleware). Returns the number of entries written.
    """
    request = _request.get()
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    address = AuditMiddleware._get_remote_addr(request) if request is not None else None
    port = AuditMiddleware._get_remote_port(request) if request is not None else None
    entries: list[LogEntry] = []
    written = 0
    for before, after in pairs:
        changes = model_instance_diff(before, after)
        if not changes:
            continue
        entries.append(LogEntry(
            content_type=ContentType.objects.get_for_model(after), object_pk=str(after.pk), object_id=after.pk,
            object_repr=str(after), action=LogEntry.Action.CREATE if before is None else LogEntry.Action.UPDATE,
            changes=changes, actor=actor, actor_email=getattr(actor, "email", None) or None,
            remote_addr=address, remote_port=port,
        ))
        if len(entries) >= BATCH:
            written += len(LogEntry.objects.bulk_create(entries))
            entries = []
    return written + len(LogEntry.objects.bulk_create(entries))
