"""Machine feeds: an agency's information systems push observations of indicators (issue 14)."""

import hashlib
import hmac
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.catalog.models import Indicator


class FeedSource(models.Model):
    """One information system of one agency, allowed to feed a list of indicators (codes, any catalog version).

    Its key is shown once when created or rotated; only its SHA-256 is kept. The key is 256 random bits, so a
    fast hash is enough (a slow password hasher would cost every request of a feed a fraction of a second)."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=255)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="feed_sources")
    # Codes in the latest version of the catalog `framework_code`, so a new catalog version needs no new source.
    framework_code = models.CharField(_("framework code"), max_length=50)
    indicator_codes = models.JSONField(_("indicator codes"), default=list)
    key_hash = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "assessments"  # the app whose migrations hold it (assessments/models.py)
        ordering = ["code"]
        verbose_name = _("feed source")
        verbose_name_plural = _("feed sources")

    def __str__(self) -> str:
        return self.code

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def new_key(self) -> str:
        """A fresh key (to be shown once); the previous one stops working when the source is saved."""
        key = secrets.token_urlsafe(32)
        self.key_hash = self.hash_key(key)
        return key

    def check_key(self, key: str) -> bool:
        return hmac.compare_digest(self.key_hash, self.hash_key(key))


class Observation(models.Model):
    """One observation a source sent; the period's value is derived from them (catalog `aggregation`)."""

    source = models.ForeignKey(FeedSource, on_delete=models.PROTECT, related_name="observations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+", db_index=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.ForeignKey("assessments.Period", on_delete=models.PROTECT, related_name="+", db_index=False)
    observed_at = models.DateTimeField(_("observed at"))
    value_decimal = models.DecimalField(max_digits=20, decimal_places=6, null=True)
    numerator = models.PositiveBigIntegerField(null=True)
    denominator = models.PositiveBigIntegerField(null=True)
    value_bool = models.BooleanField(null=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "assessments"
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(fields=["source", "idempotency_key"], name="observation_source_key"),
        ]
        indexes = [
            # The derivation reads one (agency, indicator, period)'s series.
            models.Index(fields=["agency", "indicator", "period"], name="observation_series"),
        ]
        # observed_at has a BRIN index on PostgreSQL (created by the migration; SQLite has none).

    def __str__(self) -> str:
        return f"{self.source_id}/{self.idempotency_key}"
