"""Writes to indicator values: validated (fields), role-checked (permissions), versioned, with history.

One value at a time (entry pages, the API), or many at once through `import_rows`: the one write path of files,
API rows and the plans feed. Every function raises PermissionDenied (403/404 for the API), Conflict (409: stale
version, a transition not allowed from the current status, a closed period) or InputRejected (400).
"""

import contextlib
import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.models import Agency, User
from assessments.catalog.models import Framework, Indicator, Period
from assessments.scores import runs
from assessments.values import importer
from assessments.values.fields import (
    MAX_NOTE,
    InvalidField,
    clean_text,
    clean_url,
    clean_value,
    stored_content,
)
from assessments.values.importer import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, ImportPlan
from assessments.values.models import IndicatorValue, ValueStatus
from assessments.values.permissions import can_edit, can_review, can_submit, require_import
from assessments.values.signals import value_rejected
from assessments.values.spreadsheets import read_table
from govit.errors import Conflict, InputError, InputRejected
from govit.i18n import _

EDITABLE = (ValueStatus.DRAFT, ValueStatus.REJECTED)
# Forms and the API take either a number or an N/A claim for one value, never both.
VALUE_AND_CLAIM = _("Give either a value or a reason why the indicator does not apply, not both.")


def check_target(agency: Agency, indicator: Indicator, period: Period) -> None:
    """The (agency, indicator, period) triple is one a value may exist for."""
    errors = []
    if indicator.framework.code != period.framework_code:
        errors.append(InputError(_("The indicator belongs to another framework than the period."), where="indicator"))
    if not indicator.applies_to_kind(agency.kind, period):
        errors.append(InputError(_("This indicator does not apply to this kind of agency."), where="indicator"))
    if agency.valid_from > period.end_date or (agency.valid_to and agency.valid_to < period.start_date):
        errors.append(InputError(_("The agency did not exist during the period."), where="agency"))
    if errors:
        raise InputRejected(errors)


def _require_open(period: Period) -> None:
    if not period.is_open:
        raise Conflict(_("The period is closed; its values can no longer change."))


def _check_version(value: IndicatorValue, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != value.version:
        raise Conflict(_("The value was changed by someone else (version %(now)s, you edited version %(then)s); "
                         "reload it.") % {"now": value.version, "then": expected_version})


SCORED_STATUSES = (ValueStatus.SUBMITTED, ValueStatus.VERIFIED, ValueStatus.NOT_APPLICABLE)


def _save(value: IndicatorValue, user: User | None, rescore: bool = True, **changes: Any) -> IndicatorValue:
    """Write a new version; `rescore` False leaves the score run to the caller (a feed batch asks once)."""
    scored_before = value.pk is not None and value.status in SCORED_STATUSES
    for name, new in changes.items():
        setattr(value, name, new)
    value.version = (value.version or 0) + 1 if value.pk else 1
    value.updated_by = user
    value.updated_at = timezone.now()
    value._history_user = user  # simple_history records who, outside a request too
    value.save()
    if rescore and (scored_before or value.status in SCORED_STATUSES):
        # The scores depend on it: recompute its peer group once the change is committed.
        agency, framework, period = value.agency, value.indicator.framework, value.period
        transaction.on_commit(lambda: runs.request_for_value_change(agency, framework, period))
    return value


def _locked(value: IndicatorValue) -> IndicatorValue:
    return IndicatorValue.objects.select_for_update().select_related("agency", "period").get(pk=value.pk)


def save_value(
    user: User,
    agency: Agency,
    indicator: Indicator,
    period: Period,
    *,
    value: Any = None,
    numerator: Any = None,
    denominator: Any = None,
    note: Any = "",
    evidence_url: Any = "",
    expected_version: int | None = None,
) -> IndicatorValue:
    """Create or edit the draft value of (agency, indicator, period).

    Editing an existing value needs `expected_version` = the version the edit is based on; a
    rejected value goes back to draft; submitted, verified and N/A values cannot be edited.
    """
    if not can_edit(user, agency):
        raise PermissionDenied(_("You may not edit this agency's values."))
    _require_open(period)
    check_target(agency, indicator, period)
    clean, problems = clean_value(indicator, value, numerator, denominator, note, evidence_url)
    if problems:
        raise InputRejected([InputError(p.message, where=p.column) for p in problems])
    # A number replaces an N/A claim: a value is either a number or a claim.
    return _write_draft(user, agency, indicator, period, expected_version, {**clean.as_fields(), "na_reason": ""},
                        lambda current: not current.na_reason and clean.content() == stored_content(current))


def claim_not_applicable(
    user: User,
    agency: Agency,
    indicator: Indicator,
    period: Period,
    reason: Any,
    expected_version: int | None = None,
    *,
    note: Any = None,
    evidence_url: Any = None,
) -> IndicatorValue:
    """The agency claims the indicator does not apply to it this period (scoring.md §4): a draft with
    `na_reason` and no number, submitted like any draft; a reviewer accepting it (verify_value) makes it
    not applicable. The note and evidence link are kept unless given. Same versions and conflicts as
    save_value."""
    if not can_edit(user, agency):
        raise PermissionDenied(_("You may not edit this agency's values."))
    _require_open(period)
    check_target(agency, indicator, period)
    fields: dict[str, Any] = {"value_decimal": None, "numerator": None, "denominator": None, "value_bool": None}
    problems = []
    try:
        fields["na_reason"] = _reason(reason, "na_reason")
    except InputRejected as exc:
        problems += exc.errors
    for name, raw, clean in (("note", note, lambda text: clean_text(text, MAX_NOTE)),
                             ("evidence_url", evidence_url, clean_url)):
        if raw is None:
            continue
        try:
            fields[name] = clean(raw)
        except InvalidField as exc:
            problems.append(InputError(exc.message, where=name))
    if problems:
        raise InputRejected(problems)
    return _write_draft(user, agency, indicator, period, expected_version, fields,
                        lambda current: all(getattr(current, name) == new for name, new in fields.items()))


@contextlib.contextmanager
def _created_once() -> Iterator[None]:
    """A transaction that creates the value at most once: a concurrent creation by someone else is a Conflict."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise Conflict(_("The value was created by someone else meanwhile; reload it.")) from exc


def _current(agency: Agency, indicator: Indicator, period: Period) -> IndicatorValue | None:
    return IndicatorValue.objects.select_for_update().filter(agency=agency, indicator=indicator, period=period).first()


def _write_draft(
    user: User,
    agency: Agency,
    indicator: Indicator,
    period: Period,
    expected_version: int | None,
    fields: dict[str, Any],
    unchanged: Callable[[IndicatorValue], bool],
) -> IndicatorValue:
    """Create the draft, or edit it when `expected_version` is current and its status editable (a rejected
    value goes back to draft); a draft `unchanged` by the fields is returned as is (no new version)."""
    with _created_once():
        current = _current(agency, indicator, period)
        if current is None:
            if expected_version not in (None, 0):
                raise Conflict(_("The value you edited no longer exists; reload it."))
            return _save(IndicatorValue(agency=agency, indicator=indicator, period=period), user,
                         status=ValueStatus.DRAFT, **fields)
        if expected_version is None:
            raise Conflict(_("A value exists already (version %(now)s); send the version your "
                             "edit is based on.") % {"now": current.version})
        _check_version(current, expected_version)
        if current.status not in EDITABLE:
            raise Conflict(_("A %(status)s value cannot be edited.") % {"status": current.get_status_display()})
        if current.status == ValueStatus.DRAFT and unchanged(current):
            return current  # nothing changed: no new version, no history entry
        return _save(current, user, status=ValueStatus.DRAFT, **fields)


@transaction.atomic
def submit_value(user: User, value: IndicatorValue, expected_version: int | None = None) -> IndicatorValue:
    """draft or rejected -> submitted (agency leads, in scope)."""
    if not can_submit(user, value.agency):
        raise PermissionDenied(_("Only the agency's lead may submit its values."))
    value = _locked(value)
    _require_open(value.period)
    _check_version(value, expected_version)
    if value.status not in EDITABLE:
        raise Conflict(_("A %(status)s value cannot be submitted.") % {"status": value.get_status_display()})
    return _save(value, user, status=ValueStatus.SUBMITTED, reject_reason="")


def _review(user: User, value: IndicatorValue, expected_version: int | None) -> IndicatorValue:
    if not can_review(user, value.agency):
        raise PermissionDenied(_("Only reviewers and admins who are not members of the agency review its values."))
    value = _locked(value)
    _require_open(value.period)
    _check_version(value, expected_version)
    return value


@transaction.atomic
def verify_value(user: User, value: IndicatorValue, expected_version: int | None = None) -> IndicatorValue:
    """submitted -> verified (reviewers and admins outside the agency); a submitted N/A claim is accepted:
    -> not applicable, its reason kept."""
    value = _review(user, value, expected_version)
    if value.status != ValueStatus.SUBMITTED:
        raise Conflict(_("Only submitted values can be verified; this one is %(status)s.")
                       % {"status": value.get_status_display()})
    return _save(value, user, status=ValueStatus.NOT_APPLICABLE if value.na_reason else ValueStatus.VERIFIED)


@transaction.atomic
def reject_value(user: User, value: IndicatorValue, reason: str, expected_version: int | None = None) -> IndicatorValue:
    """submitted -> rejected, with the reason the agency will read."""
    reason = _reason(reason, "reason")
    value = _review(user, value, expected_version)
    if value.status != ValueStatus.SUBMITTED:
        raise Conflict(_("Only submitted values can be rejected; this one is %(status)s.")
                       % {"status": value.get_status_display()})
    value = _save(value, user, status=ValueStatus.REJECTED, reject_reason=reason)
    value_rejected.send(sender=IndicatorValue, value=value, user=user)
    return value


def mark_not_applicable(
    user: User, agency: Agency, indicator: Indicator, period: Period, reason: str, expected_version: int | None = None
) -> IndicatorValue:
    """A reviewer accepts that the indicator does not apply to the agency this period (scoring.md §4):
    excluded from points and max. Creates the value if the agency reported nothing."""
    reason = _reason(reason, "na_reason")
    if not can_review(user, agency):
        raise PermissionDenied(_("Only reviewers and admins who are not members of the agency review its values."))
    _require_open(period)
    check_target(agency, indicator, period)
    with _created_once():
        current = _current(agency, indicator, period)
        if current is None:
            return _save(IndicatorValue(agency=agency, indicator=indicator, period=period), user,
                         status=ValueStatus.NOT_APPLICABLE, na_reason=reason)
        _check_version(current, expected_version)
        if current.status == ValueStatus.NOT_APPLICABLE:
            raise Conflict(_("The value is already marked not applicable."))
        return _save(current, user, status=ValueStatus.NOT_APPLICABLE, na_reason=reason)


def _reason(raw: Any, column: str) -> str:
    try:
        reason = clean_text(raw, 2000)
    except InvalidField as exc:
        raise InputRejected([InputError(exc.message, where=column)]) from exc
    if not reason:
        raise InputRejected([InputError(_("A reason is required."), where=column)])
    return reason


Rows = list[tuple[int, dict[str, str]]]  # (row number counting the header as 1, cells by column name)


def check_import(framework_code: str, year: int, status: str, user: User | None) -> tuple[Framework, Period]:
    """The target of an import: refuses an unknown framework, a missing or closed period, or a status the user's
    role may not give (PermissionDenied). `user` None: the operator or the system, who may give any."""
    target = importer.import_target(framework_code, year, status)
    require_import(user, status)
    return target


def import_rows(rows: Rows, framework_code: str, year: int, status: str = ValueStatus.DRAFT,
                user: User | None = None, *, author: User | None = None, dry_run: bool = False,
                expect: Callable[[ImportPlan], None] | None = None, rescore: bool = True) -> ImportPlan:
    """Write many values of the latest version of a framework: every row checked (all errors at once, as
    InputRejected), then saved all or nothing with history and audit, in an open period only.

    `user` is whose role and scope are checked and, unless `author` is given, who the values are stamped with.
    `dry_run` only plans; `expect` sees the plan before it is saved and may refuse it (the web import compares
    it with its preview); `rescore` False leaves the score run to the caller.
    """
    framework, period = check_import(framework_code, year, status, user)
    plan = importer.plan_rows(rows, framework, period, status, user)
    if expect is not None:
        expect(plan)
    if not dry_run:
        importer.apply_plan(plan, author or user, rescore=rescore)
    return plan


def import_values(data: bytes, framework_code: str, year: int, status: str = ValueStatus.DRAFT,
                  user: User | None = None, *, filename: str | None = None, **options: Any) -> dict[str, int]:
    """A CSV or XLSX file (formats.md §2) through `import_rows`; returns {created, updated, unchanged}.

    The target is checked before the file is read, so a closed period is reported as such whatever the file."""
    check_import(framework_code, year, status, user)
    rows = read_table(data, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, filename=filename)
    return import_rows(rows, framework_code, year, status, user, **options).summary()


def save_measured(source: Any, indicator: Indicator, period: Period, fields: dict[str, Any],
                  measured_at: datetime.datetime) -> bool:
    """The measured write path (a feed source, `feeds.models.FeedSource`, as the author): create the value, or
    update a measured one still awaiting review; False when left as it is. Runs inside the caller's transaction,
    which asks for the score run: a measured value is submitted, so every write counts."""
    current = IndicatorValue.objects.select_for_update().filter(
        agency=source.agency, indicator=indicator, period=period).first()
    if current is None:
        current = IndicatorValue(agency=source.agency, indicator=indicator, period=period)
    elif current.measured_by_id is None or current.status != ValueStatus.SUBMITTED:
        return False  # a person's value or a reviewer's decision stands
    content = {"value_decimal": None, "numerator": None, "denominator": None, "value_bool": None, **fields}
    if (current.pk and current.measured_by_id == source.pk and current.measured_at == measured_at
            and all(getattr(current, name) == new for name, new in content.items())):
        return False
    _save(current, None, rescore=False, status=ValueStatus.SUBMITTED, measured_by=source, measured_at=measured_at,
          na_reason="", reject_reason="", **content)
    return True
