"""Writing notifications: `notify` is idempotent per (event, recipient)."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from agencies.models import User
from govit.i18n import LazyMessage

from .models import Notification


def notify(users: Iterable[User], kind: str, event_key: str, message: LazyMessage, url: str = "") -> int:
    """One notification per user for the event; a user already notified of it is skipped. Returns how many
    rows were written."""
    rows = [Notification(recipient=user, kind=kind, event_key=event_key, msgid=message.msgid,
                         params=message.params or {}, url=url) for user in users]
    before = Notification.objects.filter(event_key=event_key).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(event_key=event_key).count() - before


def mark_read(notifications: QuerySet[Notification]) -> int:
    return notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
