"""The values agencies report for an indicator and period, with their evidence files."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.catalog.models import Indicator, Period


class ValueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Fields that make up what an agency reported (compared to decide "unchanged").
CONTENT_FIELDS = ("value_decimal", "numerator", "denominator", "value_bool", "note", "evidence_url")


class IndicatorValue(models.Model):
    """The current value of (agency, indicator, period); every change is kept in `history`."""

    # Indexed by the (agency, period) index below, which a score run reads its batches with.
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="indicator_values", db_index=False
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="values")
    # percent, count and level; ratios keep numerator and denominator, booleans value_bool.
    value_decimal = models.DecimalField(_("value"), max_digits=20, decimal_places=6, null=True, blank=True)
    numerator = models.PositiveBigIntegerField(_("numerator"), null=True, blank=True)
    denominator = models.PositiveBigIntegerField(_("denominator"), null=True, blank=True)
    value_bool = models.BooleanField(_("yes / no"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_url = models.URLField(_("evidence URL"), max_length=2000, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ValueStatus.choices, default=ValueStatus.DRAFT)
    na_reason = models.TextField(_("reason for not applicable"), blank=True)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set explicitly (not auto_now) because bulk_update does not run auto_now.
    updated_at = models.DateTimeField(_("updated at"))
    # Optimistic locking: every change increments it; an edit based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    # Provenance: set when the value is derived from a machine feed's observations, empty when a person reported it.
    measured_by = models.ForeignKey("assessments.FeedSource", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("measured by"))
    measured_at = models.DateTimeField(_("measured at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        app_label = "assessments"  # the app whose migrations hold it (assessments/models.py)
        ordering = ["period", "agency", "indicator"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["agency", "indicator", "period"], name="value_agency_indicator_period"),
            models.CheckConstraint(condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                                   name="value_denominator_positive"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=True) | Q(numerator__lte=F("denominator")),
                name="value_numerator_le_denominator",
            ),
        ]
        indexes = [
            models.Index(fields=["period", "status"], name="value_period_status"),
            models.Index(fields=["agency", "period"], name="value_agency_period"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.indicator_id}/{self.period_id}"

    @property
    def claims_not_applicable(self) -> bool:
        """The agency claims the indicator does not apply (services.claim_not_applicable), not accepted yet."""
        return bool(self.na_reason) and self.status != ValueStatus.NOT_APPLICABLE

    @property
    def number(self) -> Decimal | None:
        """The value v of scoring.md §2 (100 * n / d for ratios, 1 or 0 for booleans)."""
        if self.numerator is not None and self.denominator:
            return Decimal(100) * self.numerator / self.denominator
        if self.value_bool is not None:
            return Decimal(int(self.value_bool))
        return self.value_decimal


class Evidence(models.Model):
    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "assessments"
        ordering = ["value", "uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name
