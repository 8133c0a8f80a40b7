"""Score runs and the published scores (scoring.md §9). Imported by assessments.models.

Publication is by transaction: a run replaces the scores of its (framework version, period)
inside one transaction, so readers see the previous complete set until it commits.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class ScoreRun(models.Model):
    framework = models.ForeignKey("assessments.Framework", on_delete=models.PROTECT, related_name="runs")
    period = models.ForeignKey("assessments.Period", on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # Which agencies' peer groups to recompute; empty = every agency (a full run).
    scope_groups = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=32, default="manual")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    agencies_count = models.PositiveIntegerField(default=0)
    values_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # A change arrived while this run was already computing: run once more after it, for these
    # peer groups (an empty list after a request for every agency).
    rerun_requested = models.BooleanField(default=False)
    rerun_groups = models.JSONField(default=list, blank=True)

    class Meta:
        app_label = "assessments"  # the app whose migrations hold it (assessments/models.py)
        ordering = ["-requested_at"]
        verbose_name = _("score run")
        verbose_name_plural = _("score runs")
        constraints = [
            # At most one queued-or-running run per (framework version, period): requests coalesce.
            models.UniqueConstraint(
                fields=["framework", "period"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_run_per_framework_period",
            )
        ]

    def __str__(self) -> str:
        return f"run {self.pk} {self.framework} {self.period.year} {self.status}"


class AgencyScore(models.Model):
    """The published score of one agency for a (framework version, period), from the run that wrote it."""

    framework = models.ForeignKey("assessments.Framework", on_delete=models.PROTECT, related_name="scores")
    period = models.ForeignKey("assessments.Period", on_delete=models.PROTECT, related_name="scores")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="scores")
    run = models.ForeignKey(ScoreRun, on_delete=models.PROTECT, related_name="scores")
    # Copied from the agency so that a ranking page is one index scan (ties are listed by code).
    agency_code = models.CharField(max_length=20)
    group = models.CharField(max_length=80)
    index = models.DecimalField(max_digits=9, decimal_places=6)
    points = models.DecimalField(max_digits=14, decimal_places=4)
    max_points = models.DecimalField(max_digits=14, decimal_places=4)
    rank = models.PositiveIntegerField()
    level = models.CharField(max_length=32)
    delta = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    verified_share = models.DecimalField(max_digits=9, decimal_places=6)
    # [{code, points, max_points, index}] in catalog order.
    pillars = models.JSONField(default=list)
    # JSON text: one array per indicator, in scoring.STORED_FIELDS order (selectors.breakdown_lines
    # reads it). Text, not jsonb: it is only ever read whole, and PostgreSQL parsing 120 lines per
    # agency into jsonb took a tenth of a run. Compressed with lz4 where the server has it (0003).
    breakdown = models.TextField(default="[]")
    computed_at = models.DateTimeField()

    class Meta:
        app_label = "assessments"
        ordering = ["period", "framework", "group", "rank", "agency_code"]
        verbose_name = _("agency score")
        verbose_name_plural = _("agency scores")
        constraints = [
            models.UniqueConstraint(fields=["framework", "period", "agency"], name="one_score_per_agency_period")
        ]
        indexes = [
            models.Index(fields=["period", "framework", "group", "rank", "agency_code"], name="score_ranking"),
            models.Index(fields=["agency", "period"], name="score_agency_period"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.period_id} {self.index}"
