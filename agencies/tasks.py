"""Background work on the registry."""

import datetime

from celery import shared_task

from .models import Agency, PeerGroup


@shared_task
def active_counts(day: str) -> dict[str, int]:
    """Agencies active on `day` per peer group (a cheap query the readiness probe of the worker can run)."""
    on = datetime.date.fromisoformat(day)
    active = Agency.objects.active_on(on)
    return {group.value: active.in_group(group).count() for group in PeerGroup}
