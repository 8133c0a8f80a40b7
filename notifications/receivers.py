"""What each domain event notifies, and to whom; written after the event's transaction commits (a rolled back
return or rejection notifies nobody)."""

from urllib.parse import urlencode

from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse

from agencies.models import AGENCY_ROLES, Agency, User
from assessments.scores.models import ScoreRun
from assessments.scores.signals import run_finished
from assessments.values.signals import value_rejected
from govit.i18n import _
from plans.events import plan_event_recorded
from plans.models import EventAction

from .models import NotificationKind
from .services import notify


def agency_people(agency: Agency):
    """Active staff and leads whose scope holds the agency: its members, and those of an ancestor whose scope
    includes descendants."""
    ancestors = [int(pk) for pk in agency.path.strip("/").split("/") if pk]
    return User.objects.filter(role__in=AGENCY_ROLES, is_active=True).filter(
        Q(agency=agency) | Q(agency_id__in=ancestors, with_descendants=True))


@receiver(plan_event_recorded, dispatch_uid="notify_plan_returned")
def plan_returned(sender, event, **kwargs) -> None:
    if event.action != EventAction.RETURN:
        return
    plan = event.plan
    message = _("Plan “%(title)s” (%(years)s) was returned for changes: %(comment)s") % {
        "title": plan.title, "years": plan.years_label, "comment": event.comment}
    url = reverse("plan-detail", args=[plan.pk])
    transaction.on_commit(lambda: notify(agency_people(plan.agency), NotificationKind.PLAN_RETURNED,
                                         f"plan:{plan.pk}:v{event.version}", message, url))


@receiver(value_rejected, dispatch_uid="notify_value_rejected")
def value_was_rejected(sender, value, **kwargs) -> None:
    indicator, period = value.indicator, value.period
    message = _("Value %(indicator)s (%(year)s) was rejected: %(reason)s") % {
        "indicator": indicator.code, "year": period.year, "reason": value.reject_reason}
    url = reverse("values-entry") + "?" + urlencode({
        "framework": period.framework_code, "period": period.year, "agency": value.agency_id,
        "pillar": indicator.pillar.code})
    transaction.on_commit(lambda: notify(agency_people(value.agency), NotificationKind.VALUE_REJECTED,
                                         f"value:{value.pk}:v{value.version}", message, url))


@receiver(run_finished, dispatch_uid="notify_run_finished")
def run_was_finished(sender, run, **kwargs) -> None:
    # Only the person who asked for the run: runs after every value change would flood everyone else.
    if run.started_by_id is not None:
        transaction.on_commit(lambda: _notify_run(run.pk))


def _notify_run(run_id: int) -> None:
    run = ScoreRun.objects.select_related("framework", "period", "started_by").get(pk=run_id)  # counts are final
    message = _("The score run for %(framework)s %(year)s is finished: %(agencies)s agencies scored.") % {
        "framework": run.framework.code, "year": run.period.year, "agencies": run.agencies_count}
    url = reverse("score-ranking") + "?" + urlencode({"framework": run.framework.code, "period": run.period.year})
    notify([run.started_by], NotificationKind.RUN_FINISHED, f"run:{run.pk}", message, url)
