"""Requirement catalogs (framework versions, pillars, indicators, legal bases) and assessment periods."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    """One version of a requirement catalog (formats.md §1). Versions live side by side."""

    code = models.CharField(_("code"), max_length=50)
    version = models.CharField(_("version"), max_length=50)
    name_vi = models.CharField(_("Vietnamese name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    description_vi = models.TextField(_("Vietnamese description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    # Readiness levels [{"below": 0.25, "code": "starting"}, ..., {"code": "leading"}] (scoring.md §6).
    levels = models.JSONField(_("levels"))
    # sha256 of the canonical JSON of the parsed catalog: reloading identical content is a no-op.
    content_hash = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    # The days the catalog's law is in force (inclusive; empty = open): periods outside are refused.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Indicator codes of online public services: a central agency with all of them not applicable is ranked apart.
    public_service_indicators = models.JSONField(_("public service indicators"), default=list, blank=True)

    class Meta:
        app_label = "assessments"  # the app whose migrations hold it (assessments/models.py)
        ordering = ["code", "loaded_at"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="framework_code_version_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"

    def covers_year(self, year: int) -> bool:
        return overlaps_year(self.valid_from, self.valid_to, year)


def overlaps_year(start: datetime.date | None, end: datetime.date | None, year: int) -> bool:
    """Whether the inclusive interval [start, end] (None = open) shares a day with the calendar year."""
    return (start is None or start.year <= year) and (end is None or end.year >= year)


class LegalSource(models.Model):
    """A legal document cited by a framework version (declared in its `legal_sources`)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="legal_sources")
    code = models.CharField(_("code"), max_length=50)
    title_vi = models.CharField(_("Vietnamese title"), max_length=500)
    title_en = models.CharField(_("English title"), max_length=500, blank=True)
    issued = models.DateField(_("issued"), null=True, blank=True)

    class Meta:
        app_label = "assessments"
        ordering = ["framework", "code"]
        verbose_name = _("legal source")
        verbose_name_plural = _("legal sources")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="legal_source_code_unique")]

    def __str__(self) -> str:
        return self.code


class Pillar(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="pillars")
    code = models.CharField(_("code"), max_length=50)
    name_vi = models.CharField(_("Vietnamese name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    # Either every pillar of a framework has a weight or none has (checked at load time).
    weight = models.DecimalField(_("weight"), max_digits=12, decimal_places=6, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "assessments"
        ordering = ["framework", "order"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="pillar_code_unique")]

    def __str__(self) -> str:
        return self.code


class IndicatorType(models.TextChoices):
    PERCENT = "percent", _("Percentage")
    RATIO = "ratio", _("Ratio (numerator / denominator)")
    BOOLEAN = "boolean", _("Yes / no")
    COUNT = "count", _("Count")
    LEVEL = "level", _("Level")


class Aggregation(models.TextChoices):
    """How a period's value is derived from the observations machine feeds send (assessments.values.feeds)."""

    LAST = "last", _("Last observation")
    SUM = "sum", _("Sum")
    MEAN = "mean", _("Mean")
    MAX = "max", _("Maximum")


class Indicator(models.Model):
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="indicators")
    # Denormalized from the pillar so that codes are unique per framework version.
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=50)
    name_vi = models.CharField(_("Vietnamese name"), max_length=500)
    name_en = models.CharField(_("English name"), max_length=500, blank=True)
    type = models.CharField(_("type"), max_length=16, choices=IndicatorType.choices)
    min_level = models.IntegerField(_("minimum level"), null=True, blank=True)
    max_level = models.IntegerField(_("maximum level"), null=True, blank=True)
    # {"method": "linear", "floor": 0, "target": 90}; see scoring.md §2.
    normalization = models.JSONField(_("normalization"))
    max_points = models.DecimalField(_("maximum points"), max_digits=12, decimal_places=4)
    # Agency kinds the indicator is assessed for; empty = every kind.
    applies_to = models.JSONField(_("applies to"), default=list, blank=True)
    evidence_vi = models.TextField(_("expected evidence (Vietnamese)"), blank=True)
    evidence_en = models.TextField(_("expected evidence (English)"), blank=True)
    order = models.PositiveIntegerField(default=0)
    # Periods (calendar years) the indicator is assessed in: those sharing a day with [valid_from, valid_to].
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    # Kinds of `applies_to` assessed only for a while: {"district": [null, "2025-06-30"]} (ISO dates).
    kind_validity = models.JSONField(_("kinds' validity"), default=dict, blank=True)
    aggregation = models.CharField(_("aggregation of observations"), max_length=8, choices=Aggregation.choices,
                                   default=Aggregation.LAST)

    class Meta:
        app_label = "assessments"
        ordering = ["framework", "order"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indicator_code_unique")]

    def __str__(self) -> str:
        return self.code

    def applies_to_kind(self, kind: str, period: "Period | None" = None) -> bool:
        """Whether agencies of this kind report the indicator (in the period, when one is given)."""
        return self.applies_in(kind, None if period is None else period.year)

    def applies_in(self, kind: str, year: int | None) -> bool:
        """Whether agencies of this kind report the indicator in the year (any year when None)."""
        if self.applies_to and kind not in self.applies_to:
            return False
        return year is None or (self.assessed_in(year) and self._kind_assessed_in(kind, year))

    def assessed_in(self, year: int) -> bool:
        return overlaps_year(self.valid_from, self.valid_to, year)

    def kinds_in(self, year: int) -> list[str]:
        """`applies_to` as it stands in the year (empty = every kind)."""
        return [k for k in self.applies_to if self._kind_assessed_in(k, year)]

    def _kind_assessed_in(self, kind: str, year: int) -> bool:
        start, end = (datetime.date.fromisoformat(d) if d else None for d in self.kind_validity.get(kind, (None, None)))
        return overlaps_year(start, end, year)


class LegalBasis(models.Model):
    """The article of a legal source that asks for an indicator."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="legal_basis")
    source = models.ForeignKey(LegalSource, on_delete=models.CASCADE, related_name="citations")
    article = models.CharField(_("article"), max_length=50, blank=True)
    clause = models.CharField(_("clause"), max_length=50, blank=True)
    note_vi = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "assessments"
        ordering = ["indicator", "order"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self) -> str:
        return f"{self.source.code} art. {self.article}"


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Period(models.Model):
    """A calendar year of assessment for a framework code (any version of it)."""

    framework_code = models.CharField(_("framework code"), max_length=50)
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "assessments"
        ordering = ["framework_code", "year"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [models.UniqueConstraint(fields=["framework_code", "year"], name="period_code_year_unique")]

    def __str__(self) -> str:
        return f"{self.framework_code} {self.year}"

    @property
    def start_date(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def end_date(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN
