"""Audit entries for rows written in bulk (value imports, plan targets), which bypass auditlog's signals.

The entries are the ones auditlog would write (changes as {field: [before, after]} in text, "None"
before a creation), computed with the field list worked out once and written with COPY: a
100,000-row import would otherwise spend longer on its audit entries than on its values.
"""

import json
from collections.abc import Iterable

from auditlog.cid import get_cid
from auditlog.diff import get_field_value
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import DateTimeField, JSONField, Model
from django.utils import timezone
from django.utils.encoding import smart_str

from govit.pgcopy import copy_rows

from .middleware import AuditMiddleware, _request

COLUMNS = ("content_type_id", "object_pk", "object_id", "object_repr", "action", "changes", "changes_text",
           "actor_id", "actor_email", "remote_addr", "remote_port", "timestamp", "cid")


def _readers(model) -> list[tuple[str, object]]:
    """(field name, value-as-text function) of the fields auditlog compares for this model."""
    options = auditlog.get_model_fields(model)
    if options["mask_fields"]:
        raise NotImplementedError("masked fields are not supported here; use auditlog's own diff")
    include, exclude = set(options["include_fields"]), set(options["exclude_fields"])
    readers = []
    for field in model._meta.fields:
        if field.name in exclude or (include and field.name not in include):
            continue
        if isinstance(field, DateTimeField | JSONField):  # auditlog normalizes these: use its own reading
            readers.append((field.name, lambda obj, f=field: smart_str(get_field_value(obj, f))))
        else:
            readers.append((field.name, lambda obj, a=field.attname: smart_str(getattr(obj, a))))
    return readers


def _changes(before: Model | None, after: Model, readers) -> dict:
    changes = {}
    for name, read in readers:
        old, new = "None" if before is None else read(before), read(after)
        if old != new:
            changes[name] = [old, new]
    return changes


def log_bulk_changes(pairs: Iterable[tuple[Model | None, Model]], actor=None) -> int:
    """One entry per (before, after) pair that changed an audited field; before None: created.

    The actor is the given user, else the request's; the client address and port are the request's
    (govit.audit.middleware). Returns the number of entries written.
    """
    request = _request.get()
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    address = AuditMiddleware._get_remote_addr(request) if request is not None else None
    port = AuditMiddleware._get_remote_port(request) if request is not None else None
    now, cid = timezone.now(), get_cid()
    rows, readers, content_type = [], None, None
    for before, after in pairs:
        if readers is None:
            readers, content_type = _readers(type(after)), ContentType.objects.get_for_model(after)
        changes = _changes(before, after, readers)
        if changes:
            action = LogEntry.Action.CREATE if before is None else LogEntry.Action.UPDATE
            rows.append((content_type.pk, str(after.pk), after.pk, str(after), action, changes, "",
                         getattr(actor, "pk", None), getattr(actor, "email", None) or None, address, port, now, cid))
    if connection.vendor == "postgresql":
        copy_rows(LogEntry._meta.db_table, COLUMNS, ((*r[:5], json.dumps(r[5]), *r[6:]) for r in rows))
    else:
        LogEntry.objects.bulk_create([LogEntry(**dict(zip(COLUMNS, r, strict=True))) for r in rows], batch_size=2000)
    return len(rows)
