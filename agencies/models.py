"""Agencies of the national registry, their lineage, the reviewing authority, and users."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .codes import validate_agency_code
from .querysets import AgencyQuerySet


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    MINISTERIAL_AGENCY = "ministerial_agency", _("Ministerial-level agency")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    PROVINCE = "province", _("Province / centrally-run city")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    UNIT = "unit", _("Unit")


CENTRAL_KINDS = (AgencyKind.MINISTRY, AgencyKind.MINISTERIAL_AGENCY, AgencyKind.GOVERNMENT_AGENCY)
PROVINCIAL_KINDS = (AgencyKind.PROVINCE,)


class PeerGroup(models.TextChoices):
    CENTRAL = "central", _("Central agencies")
    PROVINCIAL = "provincial", _("Provinces and centrally-run cities")
    SUBUNIT = "subunit", _("Sub-units")


class CodeStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed in a cited source")
    INFERRED = "inferred", _("Inferred by a documented rule")
    PROVISIONAL = "provisional", _("Provisional, pending confirmation")


class Agency(models.Model):
    """One agency over one validity interval.

    The same code may be carried by successive agencies (a merged province that keeps a
    predecessor's name is a new agency) as long as their validity does not overlap.
    """

    code = models.CharField(_("code"), max_length=20, validators=[validate_agency_code])
    name_vi = models.CharField(_("Vietnamese name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of ids ("/12/345/"): descendants are one indexed prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="/")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    code_status = models.CharField(max_length=16, choices=CodeStatus.choices, default=CodeStatus.CONFIRMED)
    source = models.CharField(_("source"), max_length=500, blank=True)
    # A merged province: the code of the predecessor whose territory holds its administrative centre.
    admin_centre = models.CharField(_("administrative centre in"), max_length=20, blank=True)
    # Statistics office (GSO) code of an administrative unit, beside the agency code: 2 digits for a
    # province, 5 for a commune, ward or special zone (the GSO list of administrative units).
    gso_code = models.CharField(_("GSO code"), max_length=5, blank=True, db_index=True)
    # Accent-folded names and code, for search that ignores diacritics and case.
    search_text = models.CharField(max_length=600, editable=False, default="")

    history = HistoricalRecords()
    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code", "valid_from"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="agency_code_valid_from_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_to_after_from",
            ),
        ]
        indexes = [models.Index(fields=["kind", "valid_from", "valid_to"], name="agency_kind_validity")]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.code})"

    @property
    def group(self) -> str:
        if self.kind in CENTRAL_KINDS:
            return PeerGroup.CENTRAL
        if self.kind in PROVINCIAL_KINDS:
            return PeerGroup.PROVINCIAL
        return PeerGroup.SUBUNIT

    def is_active_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class LineageEvent(models.TextChoices):
    MERGER = "merger", _("Merged into")
    SPLIT = "split", _("Split into")
    RENAME = "rename", _("Renamed to")
    TRANSFER = "transfer", _("Transferred to")


class AgencyLineage(models.Model):
    """A predecessor → successor link of a reorganisation, dated, with its legal act."""

    predecessor = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="successor_links")
    successor = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="predecessor_links")
    event = models.CharField(max_length=16, choices=LineageEvent.choices)
    date = models.DateField(_("effective date"))
    legal_act = models.CharField(_("legal act"), max_length=255)
    # Weight of the predecessor in the "previous index" of a merged agency (scoring.md §7); null = 1.
    weight = models.DecimalField(max_digits=9, decimal_places=4, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("agency lineage")
        verbose_name_plural = _("agency lineages")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="lineage_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.code} → {self.successor.code} ({self.date})"


class ReviewingAuthority(models.Model):
    """Which agency reviews plans and values over a period: data, not code."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="authority_terms")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("reviewing authority")
        verbose_name_plural = _("reviewing authorities")
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="authority_valid_from_unique")]

    def __str__(self) -> str:
        return f"{self.agency} {self.valid_from}–{self.valid_to or '…'}"


class Role(models.TextChoices):
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    AGENCY_LEAD = "agency_lead", _("Agency lead")
    REVIEWER = "reviewer", _("Reviewer")
    OBSERVER = "observer", _("Observer / API client")
    ADMIN = "admin", _("Administrator")


AGENCY_ROLES = (Role.AGENCY_STAFF, Role.AGENCY_LEAD)


class User(AbstractUser):
    """A GovIT user: one role and, for agency roles, one agency scope."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OBSERVER)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    with_descendants = models.BooleanField(_("scope includes descendants"), default=False)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=[r.value for r in AGENCY_ROLES]) | Q(agency__isnull=False),
                name="agency_role_needs_agency",
            )
        ]

    @property
    def is_reviewer_or_admin(self) -> bool:
        return self.role in (Role.REVIEWER, Role.ADMIN)
