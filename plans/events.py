"""Appending to the plan's event log (one event per version, with a snapshot)."""

from django.dispatch import Signal
from django.utils import timezone

from agencies.models import User

from .models import Plan, PlanEvent
from .snapshots import snapshot

# Sent inside the transition's transaction with `event` (PlanEvent): other apps react (notifications).
plan_event_recorded = Signal()


def record_event(plan: Plan, action: str, from_status: str, user: User | None, comment: str = "") -> PlanEvent:
    event = PlanEvent.objects.create(
        plan=plan, version=plan.version, action=action, from_status=from_status, to_status=plan.status,
        actor=user, at=timezone.now(), comment=comment, snapshot=snapshot(plan),
    )
    plan_event_recorded.send(sender=PlanEvent, event=event)
    return event
