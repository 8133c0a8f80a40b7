"""Reads what a score run needs from the database, as the plain specs of the scoring core."""

import datetime
import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Q, TextField
from django.db.models.functions import Cast

from agencies.models import CENTRAL_KINDS, PROVINCIAL_KINDS, Agency, AgencyLineage
from assessments.catalog.models import Framework, Period
from assessments.scores.models import AgencyScore, RunStatus
from assessments.scores.scoring import (
    CENTRAL,
    CENTRAL_NO_PUBLIC_SERVICES,
    PROVINCIAL,
    AgencySpec,
    FrameworkSpec,
    IndicatorSpec,
    LineageSpec,
    PeriodSpec,
    PillarSpec,
)
from assessments.values.models import IndicatorValue, ValueStatus


def legal_basis_labels(indicator) -> tuple[str, ...]:
    labels = []
    for basis in indicator.legal_basis.all():
        label = f"{basis.source.code} Đ.{basis.article}" if basis.article else basis.source.code
        if basis.clause:
            label += f" K.{basis.clause}"
        labels.append(label)
    return tuple(labels)


# A source's short title: its title up to the date or the issuer ("Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của
# Chính phủ …" → "Nghị định số 64/2007/NĐ-CP"), at most SHORT_TITLE characters.
_TITLE_END = re.compile(r" (?:ngày|của|of|on|approving) ")
SHORT_TITLE = 60


def short_title(title: str) -> str:
    short = _TITLE_END.split(title, maxsplit=1)[0]
    return short if len(short) <= SHORT_TITLE else short[:SHORT_TITLE - 1].rstrip() + "…"


def legal_basis_titles(indicator, language: str) -> tuple[str, ...]:
    """For people: each basis as the act's short title and article ("Nghị định số 64/2007/NĐ-CP, Điều 10 khoản 3",
    "Decree 64/2007/ND-CP, Article 10(3)"), not the catalog's internal source code."""
    return tuple(
        basis_title((b.source.title_en if language == "en" else "") or b.source.title_vi, b.article, b.clause, language)
        for b in indicator.legal_basis.all()
    )


def basis_title(title: str, article: str, clause: str, language: str) -> str:
    """One basis for people: the act's short title, then its article and clause in the language's wording."""
    short = short_title(title)
    if article and language == "en":
        return short + f", Article {article}" + (f"({clause})" if clause else "")
    if article:
        return short + f", Điều {article}" + (f" khoản {clause}" if clause else "")
    return short


def framework_spec(framework: Framework, year: int | None = None) -> FrameworkSpec:
    """The catalog as scored; with a year, only the indicators and agency kinds assessed in that year."""
    pillars = []
    for pillar in framework.pillars.prefetch_related("indicators__legal_basis__source").order_by("order"):
        indicators = tuple(
            IndicatorSpec(
                code=ind.code, pillar_code=pillar.code, type=ind.type, normalization=ind.normalization,
                max_points=ind.max_points, applies_to=tuple(ind.applies_to if year is None else ind.kinds_in(year)),
                min_level=ind.min_level,
                max_level=ind.max_level, legal_basis=legal_basis_labels(ind),
            )
            for ind in sorted(pillar.indicators.all(), key=lambda i: i.order)
            if year is None or ind.assessed_in(year) and (ind.kinds_in(year) or not ind.applies_to)
        )
        pillars.append(PillarSpec(pillar.code, pillar.name_vi, pillar.weight, indicators))
    return FrameworkSpec(framework.code, framework.version, framework.levels or None, tuple(pillars))


def period_spec(period: Period) -> PeriodSpec:
    return PeriodSpec(period.year, period.start_date, period.end_date)


def _in_groups(qs, groups: list[str]):
    """Agencies of these peer groups ("central", "provincial" or "<kind>:<parent code>")."""
    condition = Q(pk__in=[])
    for group in groups:
        if group in (CENTRAL, CENTRAL_NO_PUBLIC_SERVICES):
            condition |= Q(kind__in=CENTRAL_KINDS)
        elif group == PROVINCIAL:
            condition |= Q(kind__in=PROVINCIAL_KINDS)
        else:
            kind, _sep, parent = group.partition(":")
            condition |= Q(kind=kind, parent__code=parent) if parent else Q(kind=kind, parent__isnull=True)
    return qs.filter(condition)


def scored_agencies(framework: Framework, period: Period,
                    groups: list[str] | None = None) -> list[tuple[int, AgencySpec]]:
    """(id, spec) of every agency active on the last day of the period (scoring.md §5), or of some groups."""
    qs = Agency.objects.active_on(period.end_date)
    if groups:
        qs = _in_groups(qs, groups)
    rows = (
        qs.values_list("pk", "code", "kind", "parent__code", "valid_from", "valid_to")
        .order_by("code")
    )
    without = without_public_services(framework, period)
    return [(pk, AgencySpec(code, kind, parent, vf, vt, public_services=pk not in without))
            for pk, code, kind, parent, vf, vt in rows]


def without_public_services(framework: Framework, period: Period) -> set[int]:
    """Ids of the central agencies for which a reviewer accepted that none of the catalog's public service
    indicators applies: the DTI ranks them apart from those with public services."""
    codes = framework.public_service_indicators
    if not codes:
        return set()
    counts = (IndicatorValue.objects.filter(period=period, indicator__framework=framework, indicator__code__in=codes,
                                            status=ValueStatus.NOT_APPLICABLE, agency__kind__in=CENTRAL_KINDS)
              .values("agency_id").annotate(n=Count("pk")).filter(n=len(codes)))
    return {row["agency_id"] for row in counts}


def value_query(framework: Framework, period: Period, agency_ids: Iterable[int]) -> tuple[str, tuple]:
    """SQL and parameters reading the current values of these agencies, in ValueSpec's field order.

    The ORM builds the query; a run fetches its rows with a plain cursor, as the tuples the
    database driver makes: the ORM's per-row machinery, or a ValueSpec per row, cost more than
    the query itself.
    """
    query = (
        IndicatorValue.objects.filter(period=period, indicator__framework=framework, agency_id__in=list(agency_ids))
        .annotate(value_text=Cast("value_decimal", TextField()))  # see ValueSpec.value
        .values_list("agency__code", "indicator__code", "status", "value_text", "numerator", "denominator",
                     "value_bool")
        .order_by()
    )
    return query.query.sql_with_params()


def value_specs(framework: Framework, period: Period, agency_ids: Iterable[int]) -> list[tuple]:
    """The current values of these agencies (one batch of a run) as tuples in ValueSpec's field order."""
    sql, params = value_query(framework, period, agency_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def previous_period(period: Period) -> Period | None:
    return Period.objects.filter(framework_code=period.framework_code, year__lt=period.year).order_by("-year").first()


def previous_indexes(period: Period) -> tuple[dict[str, object], datetime.date | None]:
    """Published indexes of the previous period of the same framework code (latest version scored)."""
    previous = previous_period(period)
    if previous is None:
        return {}, None
    latest = (
        AgencyScore.objects.filter(period=previous, run__status=RunStatus.DONE)
        .order_by("-framework__loaded_at")
        .values_list("framework_id", flat=True)
        .first()
    )
    scores = AgencyScore.objects.filter(period=previous, framework_id=latest).values_list("agency__code", "index")
    return dict(scores), previous.end_date


def lineage_specs(since: datetime.date | None, until: datetime.date) -> list[LineageSpec]:
    links = AgencyLineage.objects.filter(date__lte=until)
    if since:
        links = links.filter(Q(date__gt=since))
    return [
        LineageSpec(pred, succ, day, weight)
        for pred, succ, day, weight in links.values_list("predecessor__code", "successor__code", "date", "weight")
    ]
