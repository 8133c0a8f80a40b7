"""The shipped national registry (agencies/data/registry/*.csv) and the agency CSV of formats.md §3."""

from pathlib import Path

from django.db import transaction

from govit.tabular import read_csv

from .models import Agency
from .services import AgencyRow, LineageRow, set_reviewing_authorities, upsert_agencies, upsert_lineage

REGISTRY_DIR = Path(__file__).resolve().parent / "data" / "registry"
AGENCY_COLUMNS = ("code", "name_vi", "name_en", "kind", "parent_code", "valid_from", "valid_to")


def agency_rows(data: bytes, extra_columns: tuple[str, ...] = ()) -> list[AgencyRow]:
    rows = read_csv(data, required=("code", "name_vi", "kind", "valid_from"),
                    optional=("name_en", "parent_code", "valid_to", *extra_columns))
    return [AgencyRow(row=n, **_known(r)) for n, r in rows]


def _known(r: dict) -> dict:
    fields = AgencyRow.__dataclass_fields__
    base = dict.fromkeys(AGENCY_COLUMNS, "")
    base.update({k: v for k, v in r.items() if k in fields})
    return base


def import_agencies_csv(data: bytes) -> dict[str, int]:
    """formats.md §3: sub-units outside the shipped registry; all or nothing."""
    return upsert_agencies(agency_rows(data))


@transaction.atomic
def load_registry(directory: Path = REGISTRY_DIR) -> dict[str, int]:
    data = (directory / "agencies.csv").read_bytes()
    counts = upsert_agencies(agency_rows(data, ("code_status", "source", "admin_centre")))
    _set_admin_centres(data)
    lineage = read_csv((directory / "lineage.csv").read_bytes(),
                       required=("predecessor_code", "successor_code", "event", "date", "legal_act"),
                       optional=("weight", "note"))
    counts["lineage"] = upsert_lineage([LineageRow(row=n, **r) for n, r in lineage])
    authorities = read_csv((directory / "authorities.csv").read_bytes(),
                           required=("agency_code", "valid_from"), optional=("valid_to", "source"))
    set_reviewing_authorities(
        [(r["agency_code"], r["valid_from"], r.get("valid_to", ""), r.get("source", "")) for _n, r in authorities]
    )
    counts["authorities"] = len(authorities)
    return counts


def _set_admin_centres(data: bytes) -> None:
    """Registry-only column (not part of formats.md §3): where a merged province's administrative centre is."""
    for _n, r in read_csv(data, required=AGENCY_COLUMNS, optional=("code_status", "source", "admin_centre")):
        Agency.objects.filter(code=r["code"], valid_from=r["valid_from"]).exclude(
            admin_centre=r.get("admin_centre", "")).update(admin_centre=r.get("admin_centre", ""))
