"""Five-year and annual IT / digital-transformation plans (Decree 64/2007 Art. 25; Decree 224/2026 Art. 7).

State changes go through `plans.workflow` (row lock, role and state checks, event log); content
changes through `plans.services` (optimistic locking on `version`). Totals are never stored:
they are summed from the budget lines by `plans.selectors`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Mod
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from .sections import Basis

FIRST_CYCLE = 2021  # five-year cycles: 2021-2025, 2026-2030, ... (and backwards: 2016-2020, ...)
CYCLE_YEARS = 5


def cycle_start(year: int) -> int:
    """The first year of the five-year cycle that contains `year`."""
    return year - (year - FIRST_CYCLE) % CYCLE_YEARS


class PlanKind(models.TextChoices):
    FIVE_YEAR = "five_year", _("Five-year plan")
    ANNUAL = "annual", _("Annual plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded by an amendment")


EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)
OPEN = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW, PlanStatus.RETURNED)
PUBLISHED = (PlanStatus.APPROVED, PlanStatus.SUPERSEDED)


class InvestmentCategory(models.TextChoices):
    """Decree 64/2007 Art. 27(2)."""

    INFRASTRUCTURE = "infrastructure", _("Technical infrastructure")
    SOFTWARE = "software", _("Software")
    DATABASES = "databases", _("Databases")
    INTEGRATION = "integration", _("Integration and connection")
    SECURITY = "security", _("Information security")
    WEBSITE = "website", _("Website / portal")
    ONLINE_SERVICES = "online_services", _("Online public services")
    REGULATIONS = "regulations", _("Regulations and standards")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


class FundingSource(models.TextChoices):
    STATE_BUDGET_CENTRAL = "state_budget_central", _("Central state budget")
    STATE_BUDGET_LOCAL = "state_budget_local", _("Local state budget")
    ODA = "oda", _("ODA")
    OTHER = "other", _("Other sources")


class Plan(FSMModelMixin, models.Model):
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="plans")
    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    basis = models.CharField(_("legal basis"), max_length=32, choices=Basis.CHOICES)
    # First year of the five-year cycle (2021, 2026, ...); for an annual plan, the cycle of its year.
    period_start = models.PositiveSmallIntegerField(_("period start"))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)  # annual plans only
    title = models.CharField(_("title"), max_length=500)
    status = FSMField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                      protected=True)
    # Optimistic locking: every change (content or state) increments it.
    version = models.PositiveIntegerField(_("version"), default=1)
    amends = models.ForeignKey("self", verbose_name=_("amends"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="amendments")
    # Annual plans: the five-year plan in force for the year, when one is approved.
    five_year_plan = models.ForeignKey("self", verbose_name=_("five-year plan"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="annual_plans")
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start", "-year", "agency__code", "-id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(condition=Exact(Mod(F("period_start"), CYCLE_YEARS), FIRST_CYCLE % CYCLE_YEARS),
                                   name="plan_period_start_in_cycle"),
            models.CheckConstraint(
                condition=(Q(kind=PlanKind.FIVE_YEAR, year__isnull=True)
                           | Q(kind=PlanKind.ANNUAL, year__gte=F("period_start"),
                               year__lte=F("period_start") + CYCLE_YEARS - 1)),
                name="plan_year_matches_kind",
            ),
            # At most one approved plan, and at most one plan in progress, per agency and years.
            models.UniqueConstraint(F("agency"), F("kind"), F("period_start"), Coalesce(F("year"), 0),
                                    condition=Q(status=PlanStatus.APPROVED), name="plan_one_approved_per_period"),
            models.UniqueConstraint(F("agency"), F("kind"), F("period_start"), Coalesce(F("year"), 0),
                                    condition=Q(status__in=OPEN), name="plan_one_open_per_period"),
        ]
        indexes = [models.Index(fields=["status", "kind", "period_start"], name="plan_status_kind_period")]

    def __str__(self) -> str:
        return f"{self.title} ({self.years_label})"

    # --- years -----------------------------------------------------------------------------
    @property
    def first_year(self) -> int:
        return self.year if self.kind == PlanKind.ANNUAL else self.period_start

    @property
    def last_year(self) -> int:
        return self.year if self.kind == PlanKind.ANNUAL else self.period_start + CYCLE_YEARS - 1

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def years_label(self) -> str:
        return str(self.year) if self.kind == PlanKind.ANNUAL else f"{self.first_year}–{self.last_year}"

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.first_year, 1, 1)

    @property
    def end_date(self) -> datetime.date:
        return datetime.date(self.last_year, 12, 31)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    # --- transitions: called only by plans.workflow, under a row lock ----------------------------
    @transition(field=status, source=[PlanStatus.DRAFT, PlanStatus.RETURNED], target=PlanStatus.SUBMITTED)
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(field=status, source=PlanStatus.SUBMITTED, target=PlanStatus.DRAFT)
    def withdraw(self) -> None:
        pass

    @transition(field=status, source=PlanStatus.SUBMITTED, target=PlanStatus.UNDER_REVIEW)
    def start_review(self) -> None:
        pass

    @transition(field=status, source=PlanStatus.UNDER_REVIEW, target=PlanStatus.RETURNED)
    def return_for_changes(self) -> None:
        pass

    @transition(field=status, source=PlanStatus.UNDER_REVIEW, target=PlanStatus.APPROVED)
    def approve(self, user, decision_number: str, decision_date: datetime.date) -> None:
        self.decision_number = decision_number
        self.decision_date = decision_date
        self.approved_at = timezone.now()
        self.approved_by = user

    @transition(field=status, source=PlanStatus.APPROVED, target=PlanStatus.SUPERSEDED)
    def supersede(self, on: datetime.date) -> None:
        self.superseded_on = on


class PlanSection(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("key"), max_length=32)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="plan_section_key_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.key}"

    @property
    def label(self) -> str:
        """The section title in the active language (the stored title is the Vietnamese one)."""
        from .sections import BY_KEY

        return str(BY_KEY[self.key].title) if self.key in BY_KEY else self.title


class PlanTask(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField(default=0)
    owner_unit = models.CharField(_("owner unit"), max_length=255)
    name = models.CharField(_("task"), max_length=1000)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    category = models.CharField(_("investment category"), max_length=32, choices=InvestmentCategory.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="plan_task_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """The amount of a task paid from one source, in whole đồng (VND has no minor unit)."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(_("funding source"), max_length=32, choices=FundingSource.choices)
    amount = models.BigIntegerField(_("amount (VND)"))

    class Meta:
        ordering = ["task", "source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(fields=["task", "source"], name="budget_line_task_source_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.source} {self.amount}"


class PlanTarget(models.Model):
    """The value an agency commits to reach on a catalog indicator in one year of the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey("assessments.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="plan_targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("committed value"), max_digits=20, decimal_places=6)

    class Meta:
        ordering = ["plan", "indicator__code", "year"]
        verbose_name = _("plan target")
        verbose_name_plural = _("plan targets")
        constraints = [
            models.UniqueConstraint(fields=["plan", "indicator", "year"], name="plan_target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.indicator_id} {self.year}"


class EventAction(models.TextChoices):
    CREATE = "create", _("Created")
    EDIT = "edit", _("Edited")
    SUBMIT = "submit", _("Submitted")
    WITHDRAW = "withdraw", _("Withdrawn")
    START_REVIEW = "start_review", _("Review started")
    RETURN = "return", _("Returned for changes")
    APPROVE = "approve", _("Approved")
    SUPERSEDE = "supersede", _("Superseded")


class PlanEvent(models.Model):
    """Append-only log of every change to a plan, with a snapshot of its content after the change.

    Each version of a plan has exactly one event. PostgreSQL refuses UPDATE and DELETE on this table.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="events")
    version = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=16, choices=EventAction.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=PlanStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=PlanStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    snapshot = models.JSONField(_("snapshot"))

    class Meta:
        ordering = ["plan", "version"]
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="plan_event_version_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.version} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("plan events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("plan events are append-only")


class PlanComment(models.Model):
    """A reviewer's comment on one section (empty key: on the plan as a whole)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    section_key = models.CharField(_("section"), max_length=32, blank=True)
    plan_version = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["plan", "created_at", "id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.section_key or '-'}"


class PlanDeadline(models.Model):
    """The due date for filing plans of a kind for a year; without a row `plans.deadlines` supplies a default.

    `year` is the first year the plan covers: the cycle start for five-year plans, the year for annual ones.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    year = models.PositiveSmallIntegerField(_("first year covered"))
    due_date = models.DateField(_("due date"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("plan deadline")
        verbose_name_plural = _("plan deadlines")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="plan_deadline_kind_year_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.due_date:%d/%m/%Y}"


class ReminderKind(models.TextChoices):
    BEFORE_30 = "before_30", _("30 days before the deadline")
    BEFORE_7 = "before_7", _("7 days before the deadline")
    OVERDUE = "overdue", _("After the deadline")


class PlanReminder(models.Model):
    """One reminder e-mail sent; the unique constraint makes each one go out once.

    The due date is part of the key: when an administrator moves a deadline, its reminders go out again.
    """

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=PlanKind.choices)
    year = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    reminder = models.CharField(max_length=16, choices=ReminderKind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("plan reminder")
        verbose_name_plural = _("plan reminders")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year", "due_date", "reminder", "recipient"],
                                    name="plan_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.kind} {self.year} {self.reminder} → {self.recipient_id}"
