"""Loading a requirement catalog (formats.md §1): validated first, saved all or nothing, idempotent."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from assessments.catalog.models import (
    Framework,
    Indicator,
    LegalBasis,
    LegalSource,
    Period,
    Pillar,
    overlaps_year,
)
from assessments.catalog.schema import CatalogData, parse_catalog
from govit.errors import InputError, InputRejected
from govit.i18n import _


@dataclass
class LoadResult:
    framework: Framework
    created: bool  # False: the same code, version and content were already loaded (no-op)


def load_framework(data: bytes | str) -> LoadResult:
    """Load one catalog version. Identical content reloaded = no-op; same version, other content = refused;
    refused too if a period already opened for the code lies outside the version's validity (the new version
    would be the one that period is assessed against)."""
    catalog = parse_catalog(data)
    with transaction.atomic():
        # Two concurrent loads of one new version: the unique (code, version) constraint stops the second.
        existing = Framework.objects.filter(code=catalog.code, version=catalog.version).first()
        if existing is not None:
            if existing.content_hash == catalog.content_hash:
                return LoadResult(existing, created=False)
            raise InputRejected([InputError(
                _("Framework %(code)s version %(version)s is already loaded with different content; "
                  "give the changed catalog a new version.") % {"code": catalog.code, "version": catalog.version},
                where="version",
            )])
        _check_periods_within(catalog)
        return LoadResult(_create(catalog), created=True)


def _check_periods_within(catalog: CatalogData) -> None:
    years = Period.objects.filter(framework_code=catalog.code).values_list("year", flat=True).order_by("year")
    outside = [str(y) for y in years if not overlaps_year(catalog.valid_from, catalog.valid_to, y)]
    if outside:
        raise InputRejected([InputError(
            _("Periods %(years)s of %(code)s lie outside this catalog's validity (%(start)s to %(end)s).")
            % {"years": ", ".join(outside), "code": catalog.code, "start": day_text(catalog.valid_from),
               "end": day_text(catalog.valid_to)},
            where="valid_to" if catalog.valid_to else "valid_from",
        )])


def day_text(day: datetime.date | None) -> str:
    """A validity bound as people read it; an open one is “…”."""
    return day.strftime("%d/%m/%Y") if day else "…"


def load_framework_file(path: str | Path) -> LoadResult:
    return load_framework(Path(path).read_bytes())


def _create(catalog: CatalogData) -> Framework:
    framework = Framework.objects.create(
        code=catalog.code, version=catalog.version, name_vi=catalog.name_vi, name_en=catalog.name_en,
        description_vi=catalog.description_vi, description_en=catalog.description_en, levels=catalog.levels,
        content_hash=catalog.content_hash, valid_from=catalog.valid_from, valid_to=catalog.valid_to,
        public_service_indicators=catalog.public_service_indicators,
    )
    sources = {
        s.code: s
        for s in LegalSource.objects.bulk_create([
            LegalSource(framework=framework, code=s.code, title_vi=s.title_vi, title_en=s.title_en, issued=s.issued)
            for s in catalog.sources
        ])
    }
    pillars = Pillar.objects.bulk_create([
        Pillar(framework=framework, code=p.code, name_vi=p.name_vi, name_en=p.name_en, weight=p.weight, order=i)
        for i, p in enumerate(catalog.pillars)
    ])
    indicators, parsed = [], []
    for pillar, pdata in zip(pillars, catalog.pillars, strict=True):
        for data in pdata.indicators:
            parsed.append(data)
            indicators.append(Indicator(
                pillar=pillar, framework=framework, code=data.code, name_vi=data.name_vi, name_en=data.name_en,
                type=data.type, min_level=data.min_level, max_level=data.max_level,
                normalization=data.normalization, max_points=data.max_points, applies_to=data.applies_to,
                evidence_vi=data.evidence_vi, evidence_en=data.evidence_en, order=len(indicators),
                valid_from=data.valid_from, valid_to=data.valid_to, kind_validity=data.kind_validity,
                aggregation=data.aggregation,
            ))
    Indicator.objects.bulk_create(indicators)
    LegalBasis.objects.bulk_create([
        LegalBasis(indicator=indicator, source=sources[b.source], article=b.article, clause=b.clause,
                   note_vi=b.note_vi, note_en=b.note_en, order=k)
        for indicator, data in zip(indicators, parsed, strict=True)
        for k, b in enumerate(data.legal_basis)
    ])
    return framework
