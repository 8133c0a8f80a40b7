"""The planner and bulk writer behind `services.import_rows` (formats.md §2): all or nothing, idempotent.

`plan_rows` checks rows and tells what importing them would change, reporting every bad row at once
(row, column, message); `apply_plan` saves that, with history and audit. Lookups are prefetched into
dicts and writes go in batches, so 100,000 rows take seconds, not hours. Callers go through
`services.import_rows`, which checks the target and the role first.
"""

import copy
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from agencies.codes import normalize_code
from agencies.models import Agency, User
from assessments.catalog.models import Framework, Indicator, Period
from assessments.catalog.selectors import latest_framework, period_of
from assessments.scores import runs
from assessments.values import permissions
from assessments.values.bulk import bulk_update_rows
from assessments.values.fields import CleanValue, clean_value
from assessments.values.models import CONTENT_FIELDS, IndicatorValue, ValueStatus
from govit.audit.bulk import log_bulk_changes
from govit.errors import Conflict, InputError, InputRejected
from govit.i18n import _

REQUIRED_COLUMNS = ("agency_code", "indicator_code")
OPTIONAL_COLUMNS = ("value", "numerator", "denominator", "note", "evidence_url")
IMPORT_STATUSES = (ValueStatus.DRAFT, ValueStatus.SUBMITTED, ValueStatus.VERIFIED)
# An import only moves a value forward: a draft import never overwrites a submitted or verified value.
RANK = {ValueStatus.DRAFT: 0, ValueStatus.REJECTED: 0, ValueStatus.SUBMITTED: 1, ValueStatus.VERIFIED: 2,
        ValueStatus.NOT_APPLICABLE: 2}
BATCH = 2000
IN_CHUNK = 5000


@dataclass(slots=True)
class _Existing:
    pk: int
    version: int
    status: str
    content: tuple


@dataclass(slots=True)
class PlannedRow:
    row: int
    agency: Agency
    indicator: Indicator
    value: CleanValue
    before: _Existing | None = None  # None: the value will be created


@dataclass
class ImportPlan:
    """What importing a file changes; nothing is saved until `apply_plan`."""

    framework: Framework
    period: Period
    status: str
    creates: list[PlannedRow] = field(default_factory=list)
    updates: list[PlannedRow] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> dict[str, int]:
        return {"created": len(self.creates), "updated": len(self.updates), "unchanged": self.unchanged}

    def changes(self, limit: int | None = None) -> list[dict]:
        """The rows that would change, for showing before confirming: row, codes, before and after."""
        out = []
        for planned in (self.creates + self.updates)[:limit]:
            out.append({
                "row": planned.row,
                "agency_code": planned.agency.code,
                "indicator_code": planned.indicator.code,
                "action": "update" if planned.before else "create",
                "before": dict(zip(CONTENT_FIELDS, planned.before.content, strict=True),
                               status=planned.before.status) if planned.before else None,
                "after": dict(planned.value.as_fields(), status=self.status),
            })
        return out


def import_target(framework_code: str, year: int, status: str) -> tuple[Framework, Period]:
    errors = []
    if status not in IMPORT_STATUSES:
        errors.append(InputError(_("An import saves values as %(allowed)s, not “%(status)s”.")
                                 % {"allowed": ", ".join(IMPORT_STATUSES), "status": status}, where="status"))
    framework = latest_framework(framework_code)
    period = period_of(framework_code, year)
    if framework is None:
        errors.append(InputError(_("No framework with code “%(code)s” is loaded.") % {"code": framework_code},
                                 where="framework"))
    elif period is None:
        errors.append(InputError(_("There is no period %(year)s for %(code)s; open it first.")
                                 % {"year": year, "code": framework_code}, where="period"))
    elif not period.is_open:
        errors.append(InputError(_("The period is closed; its values can no longer change."), where="period"))
    if errors:
        raise InputRejected(errors)
    return framework, period


def agencies_during(codes: set[str], period: Period) -> tuple[dict[str, Agency], set[str]]:
    """Per code, the agency carrying it during the period (the one active on its last day first),
    and the codes that exist but not during the period."""
    found: dict[str, Agency] = {}
    known: set[str] = set()
    codes_list = sorted(codes)
    for i in range(0, len(codes_list), IN_CHUNK):
        chunk = codes_list[i:i + IN_CHUNK]
        known.update(Agency.objects.filter(code__in=chunk).values_list("code", flat=True).distinct())
        during = Agency.objects.filter(code__in=chunk, valid_from__lte=period.end_date).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=period.start_date)
        ).only("id", "code", "kind", "valid_from", "valid_to")
        for agency in during.order_by("valid_from"):
            current = found.get(agency.code)
            if current is None or not current.is_active_on(period.end_date):
                found[agency.code] = agency
    return found, known - set(found)


def _existing(framework: Framework, period: Period) -> dict[tuple[int, int], _Existing]:
    rows = IndicatorValue.objects.filter(period=period, indicator__framework=framework).values_list(
        "agency_id", "indicator_id", "pk", "version", "status", *CONTENT_FIELDS
    )
    return {(r[0], r[1]): _Existing(r[2], r[3], r[4], tuple(r[5:])) for r in rows.iterator(chunk_size=BATCH)}


def plan_rows(rows: list[tuple[int, dict]], framework: Framework, period: Period, status: str,
          user: User | None) -> ImportPlan:
    indicators = {i.code.casefold(): i for i in framework.indicators.all()}
    agencies, out_of_period = agencies_during({normalize_code(r.get("agency_code", "")) for _n, r in rows}, period)
    existing = _existing(framework, period)
    allowed = permissions.import_agency_check(user)
    plan = ImportPlan(framework=framework, period=period, status=status)
    errors: list[InputError] = []
    seen: dict[tuple[int, int], int] = {}
    for number, cells in rows:
        row_errors = [InputError(_("Formulas are not accepted; type the value."), number, column)
                      for column, text in cells.items() if text.lstrip().startswith("=")]
        if row_errors:
            errors += row_errors
            continue
        agency = _agency(cells.get("agency_code", ""), agencies, out_of_period, number, errors)
        indicator = _indicator(cells.get("indicator_code", ""), indicators, number, errors)
        clean = None
        if indicator is not None:
            clean, problems = clean_value(
                indicator, cells.get("value"), cells.get("numerator"), cells.get("denominator"),
                cells.get("note", ""), cells.get("evidence_url", ""),
            )
            errors += [InputError(p.message, number, p.column) for p in problems]
        if agency is None or indicator is None:
            continue
        if not indicator.applies_to_kind(agency.kind, period):
            errors.append(InputError(_("Indicator %(indicator)s does not apply to agencies of kind %(kind)s.")
                                     % {"indicator": indicator.code, "kind": agency.kind},
                                     number, "indicator_code"))
            continue
        if not allowed(agency):
            errors.append(InputError(_("You may not import values for this agency."), number, "agency_code"))
            continue
        key = (agency.pk, indicator.pk)
        if key in seen:
            errors.append(InputError(_("Row %(row)s already gives this agency and indicator.") % {"row": seen[key]},
                                     number, "indicator_code"))
            continue
        seen[key] = number
        if clean is not None:
            _classify(plan, PlannedRow(number, agency, indicator, clean, existing.get(key)), errors)
    if errors:
        raise InputRejected(errors)
    return plan


def _agency(raw: str, agencies: dict[str, Agency], out_of_period: set[str], number: int,
            errors: list[InputError]) -> Agency | None:
    code = normalize_code(raw)
    if not code:
        errors.append(InputError(_("The agency code is required."), number, "agency_code"))
        return None
    agency = agencies.get(code)
    if agency is None:
        message = (_("This agency did not exist during the period.") if code in out_of_period
                   else _("Unknown agency code “%(code)s”.") % {"code": code})
        errors.append(InputError(message, number, "agency_code"))
    return agency


def _indicator(raw: str, indicators: dict[str, Indicator], number: int, errors: list[InputError]) -> Indicator | None:
    code = (raw or "").strip()
    if not code:
        errors.append(InputError(_("The indicator code is required."), number, "indicator_code"))
        return None
    indicator = indicators.get(code.casefold())
    if indicator is None:
        errors.append(InputError(_("Unknown indicator code “%(code)s” in this framework.") % {"code": code},
                                 number, "indicator_code"))
    return indicator


def _classify(plan: ImportPlan, planned: PlannedRow, errors: list[InputError]) -> None:
    before = planned.before
    if before is None:
        plan.creates.append(planned)
        return
    same = planned.value.content() == before.content
    forward = RANK[plan.status] > RANK[before.status]
    if same and not forward:
        plan.unchanged += 1  # same content, and the import would not advance the status
    elif not same and RANK[before.status] > RANK[plan.status]:
        errors.append(InputError(
            _("This value is already %(current)s; a %(status)s import does not overwrite it.")
            % {"current": before.status, "status": plan.status},
            planned.row, "value",
        ))
    else:
        plan.updates.append(planned)


def apply_plan(plan: ImportPlan, user: User | None = None, rescore: bool = True) -> None:
    """Save a plan made by `plan_rows`, all or nothing; Conflict if a value changed since it was planned.

    `rescore` False: the caller asks for the score run itself (the plans feed runs inside `request_run`)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            period = Period.objects.select_for_update().get(pk=plan.period.pk)
            if not period.is_open:
                raise InputRejected([InputError(_("The period is closed; its values can no longer change."),
                                                where="period")])
            for i in range(0, len(plan.updates), BATCH):
                _update(plan.updates[i:i + BATCH], plan.status, user, now)
            for i in range(0, len(plan.creates), BATCH):
                objs = [_new_value(p, period, plan.status, user, now) for p in plan.creates[i:i + BATCH]]
                created = bulk_create_with_history(objs, IndicatorValue, batch_size=BATCH, default_user=user,
                                                   default_date=now)
                log_bulk_changes(((None, obj) for obj in created), user)
    except IntegrityError as exc:
        raise Conflict(_("Values were created by someone else during the import; import the file again.")) from exc
    if rescore and (plan.updates or plan.creates):
        # Scores depend on what changed: one run of the whole period (requests coalesce).
        framework, period = plan.framework, plan.period
        transaction.on_commit(lambda: runs.request_run(framework, period, reason="import"))


def _new_value(planned: PlannedRow, period: Period, status: str, user: User | None, now) -> IndicatorValue:
    return IndicatorValue(agency=planned.agency, indicator=planned.indicator, period=period, status=status,
                          updated_by=user, updated_at=now, created_at=now, version=1, **planned.value.as_fields())


UPDATED_FIELDS = [*CONTENT_FIELDS, "status", "na_reason", "reject_reason", "updated_by", "updated_at", "version"]


def _update(batch: list[PlannedRow], status: str, user: User | None, now) -> None:
    by_pk = {p.before.pk: p for p in batch}
    # Row locks, then the version check: an edit made since the preview is not overwritten.
    current = list(IndicatorValue.objects.select_for_update().filter(pk__in=list(by_pk)))
    objs, befores = [], []
    for value in current:
        befores.append(copy.copy(value))
        planned = by_pk[value.pk]
        if value.version != planned.before.version:
            raise Conflict(_("Row %(row)s: the value was changed by someone else during the import; "
                             "import the file again.") % {"row": planned.row})
        for name, new in planned.value.as_fields().items():
            setattr(value, name, new)
        if status != value.status:  # the rejection's reason belongs to the state being left
            value.reject_reason = ""
        value.na_reason = ""  # a number replaces an N/A claim (or an accepted N/A)
        value.status, value.updated_by, value.updated_at = status, user, now
        value.version += 1
        objs.append(value)
    if len(objs) != len(batch):
        raise Conflict(_("Values were deleted during the import; import the file again."))
    bulk_update_rows(objs, UPDATED_FIELDS, batch_size=BATCH)
    # No fields: simple_history only records the history rows of what was just written.
    bulk_update_with_history(objs, IndicatorValue, [], batch_size=BATCH, default_user=user, default_date=now)
    log_bulk_changes(zip(befores, objs, strict=True), user)
