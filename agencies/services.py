"""Writes to the agency registry: validated, all or nothing."""

import datetime
from dataclasses import dataclass

from django.db import transaction

from govit.dates import parse_day
from govit.errors import InputError, InputRejected
from govit.i18n import _

from .codes import FULL_CODE, code_error, normalize_code
from .models import Agency, AgencyKind, AgencyLineage, CodeStatus, ReviewingAuthority
from .text import fold, nfc


@dataclass
class AgencyRow:
    """One agency as read from a file, before validation."""

    code: str
    name_vi: str
    name_en: str
    kind: str
    parent_code: str
    valid_from: str
    valid_to: str
    row: int | None = None
    code_status: str = CodeStatus.CONFIRMED
    source: str = ""


def parse_date(raw: str, row: int | None, column: str, errors: list[InputError]) -> datetime.date | None:
    raw = (raw or "").strip()
    day = parse_day(raw)
    if day is not None or not raw:
        return day
    errors.append(InputError(_("“%(value)s” is not a date (YYYY-MM-DD or dd/mm/yyyy).") % {"value": raw}, row, column))
    return None


def _overlaps(a_from, a_to, b_from, b_to) -> bool:
    return a_from <= (b_to or datetime.date.max) and b_from <= (a_to or datetime.date.max)


def _set_tree_fields(agency: Agency) -> None:
    parent = agency.parent
    agency.path = f"{parent.path}{parent.pk}/" if parent else "/"
    agency.depth = parent.depth + 1 if parent else 0
    agency.search_text = fold(f"{agency.name_vi} {agency.name_en} {agency.code}")


def _resolve_parent(code: str, on: datetime.date, pending: dict[str, list[Agency]]) -> Agency | None:
    """The agency with `code` active on `on`: rows of the same file first, then the database."""
    for candidate in pending.get(code, []):
        if candidate.is_active_on(on):
            return candidate
    return Agency.objects.filter(code=code).active_on(on).first()


@transaction.atomic
def upsert_agencies(rows: list[AgencyRow]) -> dict[str, int]:
    """Create or update agencies keyed by (code, valid_from); rejects the whole batch on any error.

    Rows may refer to parents defined later in the same batch; parents are created first.
    """
    errors: list[InputError] = []
    parsed: list[tuple[AgencyRow, Agency]] = []
    seen: set[tuple[str, datetime.date]] = set()
    kinds = {k.value for k in AgencyKind}
    for r in rows:
        code = normalize_code(r.code)
        if not FULL_CODE.match(code):
            errors.append(InputError(code_error(code), r.row, "code"))
        name_vi, name_en = nfc(r.name_vi), nfc(r.name_en)
        if not name_vi:
            errors.append(InputError(_("The Vietnamese name is required."), r.row, "name_vi"))
        kind = (r.kind or "").strip().lower()
        if kind not in kinds:
            errors.append(
                InputError(
                    _("Unknown kind “%(kind)s”; expected one of: %(kinds)s.")
                    % {"kind": r.kind, "kinds": ", ".join(sorted(kinds))},
                    r.row,
                    "kind",
                )
            )
        valid_from = parse_date(r.valid_from, r.row, "valid_from", errors)
        valid_to = parse_date(r.valid_to, r.row, "valid_to", errors)
        if not (r.valid_from or "").strip():
            errors.append(InputError(_("valid_from is required."), r.row, "valid_from"))
        if valid_from and valid_to and valid_to < valid_from:
            errors.append(InputError(_("valid_to is before valid_from."), r.row, "valid_to"))
        if valid_from and (code, valid_from) in seen:
            errors.append(InputError(_("Duplicate row for this code and valid_from."), r.row, "code"))
        if valid_from:
            seen.add((code, valid_from))
        agency = Agency(
            code=code, name_vi=name_vi, name_en=name_en, kind=kind, valid_from=valid_from or datetime.date.min,
            valid_to=valid_to, code_status=r.code_status or CodeStatus.CONFIRMED, source=nfc(r.source),
        )
        parsed.append((r, agency))
    if errors:
        raise InputRejected(errors)

    _check_overlaps(parsed, errors)
    if errors:
        raise InputRejected(errors)

    # Create in dependency order: a row whose parent is in the batch waits for it.
    pending: dict[str, list[Agency]] = {}
    for _r, a in parsed:
        pending.setdefault(a.code, []).append(a)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    order = _topological(parsed, errors)
    if errors:
        raise InputRejected(errors)
    for r, agency in order:
        parent = None
        if (r.parent_code or "").strip():
            parent_code = normalize_code(r.parent_code)
            parent = _resolve_parent(parent_code, agency.valid_from, pending)
            if parent is None:
                errors.append(
                    InputError(
                        _("Parent “%(code)s” is not an agency active on %(date)s.")
                        % {"code": parent_code, "date": agency.valid_from.strftime("%d/%m/%Y")},
                        r.row,
                        "parent_code",
                    )
                )
                continue
            if parent.pk is None:  # defensive: _topological guarantees parents first
                errors.append(InputError(_("Parent is not saved yet."), r.row, "parent_code"))
                continue
        counts[_save_agency(agency, parent, errors, r.row)] += 1
    if errors:
        raise InputRejected(errors)
    return counts


def _topological(parsed, errors):
    """Order rows so that parents in the batch come before their children; report cycles."""
    by_code: dict[str, list[tuple[AgencyRow, Agency]]] = {}
    for item in parsed:
        by_code.setdefault(item[1].code, []).append(item)
    ordered, state = [], {}

    def visit(item, trail):
        key = id(item)
        if state.get(key) == "done":
            return
        if state.get(key) == "visiting":
            errors.append(
                InputError(
                    _("The hierarchy has a cycle: %(chain)s.") % {"chain": " → ".join(trail + [item[1].code])},
                    item[0].row,
                    "parent_code",
                )
            )
            return
        state[key] = "visiting"
        parent_code = normalize_code(item[0].parent_code) if (item[0].parent_code or "").strip() else ""
        if parent_code == item[1].code:
            errors.append(InputError(_("An agency cannot be its own parent."), item[0].row, "parent_code"))
        else:
            for candidate in by_code.get(parent_code, []):
                if candidate[1].is_active_on(item[1].valid_from):
                    visit(candidate, trail + [item[1].code])
        state[key] = "done"
        ordered.append(item)

    for item in parsed:
        visit(item, [])
    return ordered


def _check_overlaps(parsed, errors) -> None:
    """The same code may be reused only by agencies whose validity does not overlap."""
    batch = [a for _r, a in parsed]
    for r, a in parsed:
        for other in batch:
            same_code = other is not a and other.code == a.code and other.valid_from != a.valid_from
            if same_code and _overlaps(a.valid_from, a.valid_to, other.valid_from, other.valid_to):
                errors.append(InputError(_("Validity overlaps another agency with the same code."), r.row,
                                         "valid_from"))
                break
        else:
            clash = (
                Agency.objects.filter(code=a.code)
                .exclude(valid_from=a.valid_from)
                .exclude(valid_from__in=[o.valid_from for o in batch if o.code == a.code])
            )
            for existing in clash:
                if _overlaps(a.valid_from, a.valid_to, existing.valid_from, existing.valid_to):
                    errors.append(
                        InputError(
                            _("Validity overlaps %(name)s (%(start)s–%(end)s) which has the same code.")
                            % {
                                "name": existing.name_vi,
                                "start": existing.valid_from.strftime("%d/%m/%Y"),
                                "end": existing.valid_to.strftime("%d/%m/%Y") if existing.valid_to else "…",
                            },
                            r.row,
                            "valid_from",
                        )
                    )
                    break


def _save_agency(agency: Agency, parent: Agency | None, errors: list[InputError], row: int | None) -> str:
    existing = Agency.objects.filter(code=agency.code, valid_from=agency.valid_from).first()
    target = existing or agency
    fields = ("name_vi", "name_en", "kind", "valid_to", "code_status", "source")
    if existing:
        for f in fields:
            setattr(existing, f, getattr(agency, f))
        if parent and (parent.pk == existing.pk or f"/{existing.pk}/" in f"{parent.path}{parent.pk}/"):
            errors.append(InputError(_("This parent would make a cycle in the hierarchy."), row, "parent_code"))
            return "unchanged"
    before = (
        tuple(getattr(existing, f) for f in fields) + (existing.parent_id, existing.search_text, existing.path)
        if existing
        else None
    )
    target.parent = parent
    _set_tree_fields(target)
    after = tuple(getattr(target, f) for f in fields) + (target.parent_id, target.search_text, target.path)
    # Later rows of the batch resolve their parent to `agency`: give it the saved identity and path.
    agency.pk, agency.path, agency.depth = target.pk, target.path, target.depth
    if existing and before == after:
        return "unchanged"
    target.save()
    agency.pk = target.pk
    if existing:
        _reroot_descendants(existing)
        return "updated"
    return "created"


def _reroot_descendants(agency: Agency) -> None:
    """After a parent change, rewrite the materialised path of every descendant."""
    for child in Agency.objects.filter(parent=agency):
        _set_tree_fields(child)
        child.save(update_fields=["path", "depth", "search_text"])
        _reroot_descendants(child)


@dataclass
class LineageRow:
    predecessor_code: str
    successor_code: str
    event: str
    date: str
    legal_act: str
    weight: str = ""
    note: str = ""
    row: int | None = None


@transaction.atomic
def upsert_lineage(rows: list[LineageRow]) -> int:
    """Link predecessors (active the day before `date`) to successors (active on `date`)."""
    errors: list[InputError] = []
    links = []
    for r in rows:
        day = parse_date(r.date, r.row, "date", errors)
        if day is None:
            continue
        pred = Agency.objects.filter(code=normalize_code(r.predecessor_code)).active_on(
            day - datetime.timedelta(days=1)
        ).first()
        succ = Agency.objects.filter(code=normalize_code(r.successor_code)).active_on(day).first()
        if pred is None:
            errors.append(InputError(_("No agency with this code the day before the date."), r.row,
                                     "predecessor_code"))
        if succ is None:
            errors.append(InputError(_("No agency with this code on the date."), r.row, "successor_code"))
        if pred and succ:
            links.append((pred, succ, r, day))
    if errors:
        raise InputRejected(errors)
    for pred, succ, r, day in links:
        AgencyLineage.objects.update_or_create(
            predecessor=pred,
            successor=succ,
            defaults={
                "event": r.event,
                "date": day,
                "legal_act": nfc(r.legal_act),
                "weight": r.weight or None,
                "note": nfc(r.note),
            },
        )
    return len(links)


@transaction.atomic
def set_reviewing_authorities(terms: list[tuple[str, str, str, str]]) -> None:
    """Replace the reviewing-authority terms: (agency_code, valid_from, valid_to, source)."""
    errors: list[InputError] = []
    objs = []
    for i, (code, start, end, source) in enumerate(terms, start=2):
        valid_from = parse_date(start, i, "valid_from", errors)
        valid_to = parse_date(end, i, "valid_to", errors)
        agency = Agency.objects.filter(code=normalize_code(code)).active_on(valid_from).first() if valid_from else None
        if valid_from and agency is None:
            errors.append(InputError(_("No agency with this code on the date."), i, "agency_code"))
        objs.append(ReviewingAuthority(agency=agency, valid_from=valid_from, valid_to=valid_to, source=source))
    if errors:
        raise InputRejected(errors)
    ReviewingAuthority.objects.all().delete()
    ReviewingAuthority.objects.bulk_create(objs)
