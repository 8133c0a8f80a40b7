"""Read side of the values: what a user may see, and for the web pages which framework and period, the entry
rows of a pillar, the reviewer queue and the completeness counts (one grouped query per page of agencies)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from agencies.models import Agency, PeerGroup, User
from agencies.selectors import scope_agencies
from assessments.catalog.models import Framework, Indicator, IndicatorType, Period, Pillar
from assessments.catalog.selectors import latest_framework
from assessments.values.models import Evidence, IndicatorValue, ValueStatus
from assessments.values.permissions import reviewable_values, visible_values_filter


def visible_values(user) -> QuerySet[IndicatorValue]:
    """Values the user may see (permissions.visible_values_filter)."""
    return IndicatorValue.objects.filter(visible_values_filter(user))


# Completeness buckets, in the order of the chart's segments.
MISSING = "missing"
UNVERIFIED = "unverified"  # what observers see instead of draft / submitted / rejected / N/A / missing
FULL_BUCKETS = (ValueStatus.VERIFIED, ValueStatus.SUBMITTED, ValueStatus.DRAFT, ValueStatus.REJECTED,
                ValueStatus.NOT_APPLICABLE, MISSING)
FOLDED_BUCKETS = (ValueStatus.VERIFIED, UNVERIFIED)
DONE = (ValueStatus.SUBMITTED, ValueStatus.VERIFIED, ValueStatus.NOT_APPLICABLE)


@dataclass
class Selection:
    """The framework version and period a values page works on, and the choices offered."""

    codes: list[str]
    periods: list[Period]  # of the chosen code, newest first
    framework: Framework | None = None
    period: Period | None = None


def _default_period(periods: list[Period]) -> Period | None:
    """The latest open period of the most recently loaded framework code (else its latest period)."""
    if not periods:
        return None
    loaded = dict(Framework.objects.order_by("code", "loaded_at").values_list("code", "loaded_at"))
    newest = max({p.framework_code for p in periods}, key=lambda c: (loaded.get(c) or datetime.datetime.min.replace(
        tzinfo=datetime.UTC), c))
    own = [p for p in periods if p.framework_code == newest]
    return next((p for p in own if p.is_open), own[0])


def select_period(code: str | None, year: str | None) -> Selection:
    """Resolve ?framework=CODE&period=YEAR; unknown or missing parts fall back to the default period."""
    periods = list(Period.objects.order_by("framework_code", "-year"))
    codes = sorted({p.framework_code for p in periods})
    chosen = next((p for p in periods if p.framework_code == code and str(p.year) == (year or "")), None)
    if chosen is None and code in codes:
        own = [p for p in periods if p.framework_code == code]
        chosen = next((p for p in own if p.is_open), own[0])
    chosen = chosen or _default_period(periods)
    if chosen is None:
        return Selection(codes=codes, periods=[])
    return Selection(codes=codes, periods=[p for p in periods if p.framework_code == chosen.framework_code],
                     framework=latest_framework(chosen.framework_code), period=chosen)


def active_during(qs: QuerySet[Agency], period: Period) -> QuerySet[Agency]:
    """Agencies that existed at some time during the period (the ones a value may be entered for)."""
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start_date), valid_from__lte=period.end_date)


def entry_agencies(user: User, period: Period) -> QuerySet[Agency]:
    return active_during(scope_agencies(user), period).by_name()


def default_entry_agency(user: User, period: Period) -> Agency | None:
    """The user's own agency when it existed during the period, else the first one of their scope."""
    agencies = entry_agencies(user, period)
    return agencies.filter(pk=user.agency_id).first() or agencies.first()


def pillars_of(framework: Framework, with_legal_basis: bool = False) -> list[Pillar]:
    """The pillars with their indicators; the legal basis too where the page shows it (the entry grid)."""
    indicators = Indicator.objects.order_by("order")
    if with_legal_basis:
        indicators = indicators.prefetch_related("legal_basis__source")
    return list(framework.pillars.order_by("order").prefetch_related(Prefetch("indicators", queryset=indicators)))


def applicable(pillar: Pillar, kind: str, period: Period | None = None) -> list[Indicator]:
    """The pillar's indicators agencies of the kind report (in the period: catalog and kind validity)."""
    return [i for i in pillar.indicators.all() if i.applies_to_kind(kind, period)]


# A new value "far" from last period's: they differ by more than half of the larger one (0 → anything is
# far, 90 → 40 is, 90 → 60 is not). A warning only: real changes happen. static/js/entry_grid.js agrees.
FAR_CHANGE = Decimal("0.5")


def magnitude(value: IndicatorValue | None) -> Decimal | None:
    """A value as one number to compare across periods (a ratio as its percentage); None for yes/no."""
    if value is None or value.value_bool is not None:
        return None
    if value.numerator is not None and value.denominator:
        return Decimal(value.numerator) * 100 / value.denominator
    return value.value_decimal


def is_far(previous: Decimal | None, new: Decimal | None) -> bool:
    if previous is None or new is None:
        return False
    return abs(new - previous) > FAR_CHANGE * max(abs(previous), abs(new))


def previous_values(agency: Agency, period: Period, indicators: list[Indicator]) -> dict[str, IndicatorValue]:
    """{indicator code: value} of the agency in the previous period of the same framework code (one query;
    by codes, as a later catalog version has other indicator rows)."""
    year = (Period.objects.filter(framework_code=period.framework_code, year__lt=period.year)
            .order_by("-year").values("year")[:1])
    qs = (IndicatorValue.objects.filter(agency__code=agency.code, period__framework_code=period.framework_code,
                                        period__year=Subquery(year), indicator__code__in=[i.code for i in indicators])
          .exclude(status=ValueStatus.REJECTED).select_related("indicator"))
    return {v.indicator.code: v for v in qs}


@dataclass
class EntryRow:
    indicator: Indicator
    value: IndicatorValue | None
    shown: dict = field(default_factory=dict)  # the input fields as strings (typed or stored)
    errors: list = field(default_factory=list)
    previous: IndicatorValue | None = None  # last period's value

    @property
    def previous_magnitude(self) -> Decimal | None:
        return magnitude(self.previous)

    @property
    def far(self) -> bool:
        """The stored value is far from last period's (the page warns; the script warns as one types)."""
        return is_far(self.previous_magnitude, magnitude(self.value))

    @property
    def legal_basis(self) -> tuple[str, ...]:
        from django.utils.translation import get_language

        from assessments.scores.inputs import legal_basis_titles

        return legal_basis_titles(self.indicator, get_language())

    @property
    def open_details(self) -> bool:
        """Details start open when something in them needs attention."""
        return bool(self.text_errors or self.file_errors or self.na_errors or self.shown.get("na")
                    or (self.value is not None and self.value.status == ValueStatus.REJECTED))

    @property
    def editable(self) -> bool:
        return self.value is None or self.value.status in (ValueStatus.DRAFT, ValueStatus.REJECTED)

    def _errors(self, *where: str) -> list:
        return [e for e in self.errors if e.where in where]

    @property
    def value_errors(self) -> list:
        return self._errors("value", "numerator", "denominator", "version", "indicator", "agency", "")

    @property
    def text_errors(self) -> list:
        return self._errors("note", "evidence_url")

    @property
    def file_errors(self) -> list:
        return self._errors("file")

    @property
    def na_errors(self) -> list:
        return self._errors("na_reason")

    @property
    def invalid_fields(self) -> set[str]:
        return {e.where for e in self.errors}

    @property
    def levels(self) -> list[int]:
        if self.indicator.type != IndicatorType.LEVEL:
            return []
        return list(range(self.indicator.min_level, self.indicator.max_level + 1))


def values_by_indicator(agency: Agency, period: Period, indicators: list[Indicator]) -> dict[int, IndicatorValue]:
    qs = (IndicatorValue.objects.filter(agency=agency, period=period, indicator__in=indicators)
          .select_related("updated_by", "measured_by")
          .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))))
    return {v.indicator_id: v for v in qs}


def pillar_progress(pillars: list[Pillar], kind: str, counts: dict[str, dict[str, int]],
                    period: Period | None = None) -> dict[str, tuple]:
    """{pillar code: (entered, applicable)} for the pillar tabs."""
    return {p.code: (sum(counts.get(p.code, {}).values()), len(applicable(p, kind, period))) for p in pillars}


def pillar_status_counts(agency: Agency, period: Period, framework: Framework) -> dict[str, dict[str, int]]:
    """{pillar code: {status: n}} for the agency's values of the period (the pillar tabs' badges)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (IndicatorValue.objects.filter(agency=agency, period=period, indicator__framework=framework)
            .values_list("indicator__pillar__code", "status").annotate(n=Count("id")).order_by())
    for pillar, status, n in rows:
        counts[pillar][status] = n
    return counts


def number_text(number: Decimal | None, decimal_comma: bool) -> str:
    """A stored decimal as typed: 90.500000 → "90,5" (vi) or "90.5"; never an exponent."""
    if number is None:
        return ""
    text = format(number.normalize(), "f")
    return text.replace(".", ",") if decimal_comma else text


def stored_fields(value: IndicatorValue | None, decimal_comma: bool) -> dict[str, str]:
    """The entry inputs of a saved value, as the form shows them."""
    if value is None:
        return {"value": "", "numerator": "", "denominator": "", "note": "", "evidence_url": "", "na": "",
                "na_reason": ""}
    if value.value_bool is not None:
        shown = "true" if value.value_bool else "false"
    else:
        shown = number_text(value.value_decimal, decimal_comma)
    return {"value": shown, "numerator": "" if value.numerator is None else str(value.numerator),
            "denominator": "" if value.denominator is None else str(value.denominator),
            "note": value.note, "evidence_url": value.evidence_url,
            "na": "1" if value.claims_not_applicable else "", "na_reason": value.na_reason}


def shown_value(value: IndicatorValue, decimal_comma: bool, yes: str, no: str) -> str:
    """A value for reading: "90,5 %", "45 / 50", "có", "3"."""
    if value.numerator is not None and value.denominator is not None:
        return f"{value.numerator} / {value.denominator}"
    if value.value_bool is not None:
        return yes if value.value_bool else no
    text = number_text(value.value_decimal, decimal_comma)
    return f"{text} %" if text and value.indicator.type == IndicatorType.PERCENT else text or "—"


# --- reviewer queue -----------------------------------------------------------------------------

def review_queue(user: User, period: Period, agency_code: str = "", pillar_code: str = "") -> QuerySet:
    qs = reviewable_values(user).filter(period=period, status=ValueStatus.SUBMITTED)
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    if pillar_code:
        qs = qs.filter(indicator__pillar__code=pillar_code)
    return (qs.select_related("agency", "indicator__pillar", "updated_by")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
            .order_by("agency__code", "indicator__order", "id"))


# --- completeness -------------------------------------------------------------------------------

def completeness_agencies(user: User, period: Period, group: str = "", search: str = "") -> QuerySet[Agency]:
    """Agencies expected to report (active on the period's last day, as scoring.md §5): the user's
    scope for agency staff and leads, every agency for reviewers, admins and observers."""
    base = Agency.objects.all() if user.role not in ("agency_staff", "agency_lead") else scope_agencies(user)
    qs = base.active_on(period.end_date)
    if group in PeerGroup.values:
        qs = qs.in_group(group)
    if search:
        qs = qs.search(search)
    return qs.by_name()


@dataclass
class Tally:
    """Counts of one agency (and pillar) by bucket; `late` counts what is not submitted after the deadline."""

    counts: dict = field(default_factory=dict)
    applicable: int = 0
    late: int = 0

    def add(self, other: "Tally") -> None:
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
        self.applicable += other.applicable
        self.late += other.late


def completeness(agencies: list[Agency], framework: Framework, period: Period, pillars: list[Pillar],
                 full: bool, today: datetime.date | None = None) -> dict[int, tuple[Tally, list[tuple]]]:
    """{agency id: (total, [(pillar, tally), ...])} with ONE grouped query over the agencies' values."""
    late_now = (today or timezone.localdate()) > period.deadline
    grouped: dict[tuple, dict[str, int]] = defaultdict(dict)
    rows = (IndicatorValue.objects.filter(period=period, agency__in=[a.pk for a in agencies])
            .values_list("agency_id", "indicator__pillar__code", "status").annotate(n=Count("id")).order_by())
    for agency_id, pillar_code, status, n in rows:
        grouped[(agency_id, pillar_code)][status] = n
    out = {}
    for agency in agencies:
        total, per_pillar = Tally(), []
        for pillar in pillars:
            expected = len(applicable(pillar, agency.kind, period))
            by_status = grouped.get((agency.pk, pillar.code), {})
            reported = sum(by_status.values())
            missing = max(expected - reported, 0)
            not_done = expected - sum(by_status.get(s, 0) for s in DONE)
            if full:
                counts = {b: by_status.get(b, 0) for b in FULL_BUCKETS if b != MISSING} | {MISSING: missing}
            else:
                verified = by_status.get(ValueStatus.VERIFIED, 0)
                counts = {ValueStatus.VERIFIED: verified, UNVERIFIED: max(expected - verified, 0)}
            tally = Tally(counts, expected, max(not_done, 0) if late_now and full else 0)
            total.add(tally)
            per_pillar.append((pillar, tally))
        out[agency.pk] = (total, per_pillar)
    return out
