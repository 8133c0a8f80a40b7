"""The commune level: communes, wards and special zones in force from 1/7/2025, read from `vietnam-provinces`.

The package ships the General Statistics Office's list of units (GSO codes and names); its 34
provinces are matched to the registry's by GSO code once known, else by name. Decision 20/2020
codes of communes are not known: each gets a provisional code built from its GSO code (rule R4
of agencies/data/registry/SOURCES.md).
"""

import datetime
from dataclasses import dataclass

import vietnam_provinces
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history
from vietnam_provinces import Province, VietNamDivisionType, Ward

from govit.errors import InputError, InputRejected
from govit.i18n import _

from .codes import level1_code
from .models import Agency, AgencyKind, CodeStatus
from .services import _set_tree_fields
from .text import fold, nfc

COMMUNES_FROM = datetime.date(2025, 7, 1)
# Level-2 group 99 is GovIT's provisional group (SOURCES.md R3); the 5-digit GSO code fills the two groups left of it.
PROVISIONAL_GROUP = "99"
SOURCE = (f"GSO list of administrative units, vietnam-provinces {vietnam_provinces.__version__} "
          f"(data of {vietnam_provinces.__data_version__}); code: provisional by rule R4 (SOURCES.md)")
ENGLISH_TYPE = {
    VietNamDivisionType.XA: "Commune",
    VietNamDivisionType.PHUONG: "Ward",
    VietNamDivisionType.DAC_KHU: "Special Zone",
}
# Fields a reload compares and rewrites; the key (code, valid_from) never changes.
SYNCED_FIELDS = ("name_vi", "name_en", "kind", "parent_id", "path", "depth", "valid_to", "code_status", "source",
                 "gso_code", "search_text")


@dataclass(frozen=True)
class CommuneCounts:
    provinces: int
    created: int
    updated: int
    unchanged: int

    def as_dict(self) -> dict[str, int]:
        return {"communes_created": self.created, "communes_updated": self.updated,
                "communes_unchanged": self.unchanged, "commune_provinces": self.provinces}


def provisional_code(gso_code: str, province_code: str) -> str:
    """R4: commune 00004 of Hà Nội (000.00.00.H26) is 000.04.99.H26: GSO digits, group 99, the province."""
    if len(gso_code) != 5 or not gso_code.isdigit() or gso_code == "00000":
        raise ValueError(f"not a commune GSO code: {gso_code!r}")
    return f"{gso_code[:3]}.{gso_code[3:]}.{PROVISIONAL_GROUP}.{level1_code(province_code)}"


def province_key(name: str) -> str:
    """"Tỉnh Cao Bằng", "Cao Bằng" and "cao bang" give one key; so do "Thành phố Huế" and "Huế"."""
    folded = fold(name)
    for prefix in ("tinh ", "thanh pho "):
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def english_name(ward: Ward) -> str:
    """"Xã Thượng Lâm" -> "Thượng Lâm Commune", like the registry's "X Province"."""
    name = nfc(ward.name)
    prefix = ward.division_type.value + " "
    short = name[len(prefix):] if name.casefold().startswith(prefix) else name
    english = ENGLISH_TYPE[ward.division_type]
    # Numbered units read "Ward 2 Bảo Lộc", not "2 Bảo Lộc Ward".
    return f"{english} {short}" if short[:1].isdigit() else f"{short} {english}"


def match_provinces() -> dict[int, Agency]:
    """The registry's province for each of the package's provinces, by GSO code, else by name; all must match."""
    ours = list(Agency.objects.filter(kind=AgencyKind.PROVINCE).active_on(COMMUNES_FROM))
    by_gso = {a.gso_code: a for a in ours if a.gso_code}
    by_name = {province_key(a.name_vi): a for a in ours}
    matched: dict[int, Agency] = {}
    errors = []
    for province in Province.iter_all():
        gso = f"{int(province.code):02d}"
        agency = by_gso.get(gso) or by_name.get(province_key(province.name))
        if agency is None:
            errors.append(InputError(_("Province “%(name)s” (GSO %(gso)s) of the list of communes matches no "
                                       "province of the registry in force on 01/07/2025.")
                                     % {"name": province.name, "gso": gso}))
            continue
        matched[int(province.code)] = agency
    unmatched = sorted({a.code for a in ours} - {a.code for a in matched.values()})
    if unmatched:
        errors.append(InputError(_("Provinces of the registry missing from the list of communes: %(codes)s.")
                                 % {"codes": ", ".join(unmatched)}))
    if errors:
        raise InputRejected(errors)
    return matched


def commune_agency(ward: Ward, province: Agency) -> Agency:
    gso = f"{int(ward.code):05d}"
    agency = Agency(
        code=provisional_code(gso, province.code), name_vi=nfc(ward.name), name_en=english_name(ward),
        kind=AgencyKind.COMMUNE, parent=province, valid_from=COMMUNES_FROM, valid_to=None,
        code_status=CodeStatus.PROVISIONAL, source=SOURCE, gso_code=gso,
    )
    _set_tree_fields(agency)
    return agency


@transaction.atomic
def load_communes() -> CommuneCounts:
    """Create or update the communes in force from 1/7/2025 under their provinces; idempotent."""
    provinces = match_provinces()
    _store_province_gso_codes(provinces)
    existing = {a.code: a for a in Agency.objects.filter(kind=AgencyKind.COMMUNE, valid_from=COMMUNES_FROM)}
    new, changed, unchanged = [], [], 0
    for ward in Ward.iter_all():
        wanted = commune_agency(ward, provinces[int(ward.province_code)])
        current = existing.get(wanted.code)
        if current is None:
            new.append(wanted)
        elif any(getattr(current, f) != getattr(wanted, f) for f in SYNCED_FIELDS):
            for f in SYNCED_FIELDS:
                setattr(current, f, getattr(wanted, f))
            changed.append(current)
        else:
            unchanged += 1
    bulk_create_with_history(new, Agency, batch_size=500)
    bulk_update_with_history(changed, Agency, SYNCED_FIELDS, batch_size=500)
    return CommuneCounts(len(provinces), len(new), len(changed), unchanged)


def _store_province_gso_codes(provinces: dict[int, Agency]) -> None:
    """Later loads match provinces by GSO code, which survives a rename."""
    stale = []
    for gso, agency in provinces.items():
        if agency.gso_code != f"{gso:02d}":
            agency.gso_code = f"{gso:02d}"
            stale.append(agency)
    bulk_update_with_history(stale, Agency, ["gso_code"])
