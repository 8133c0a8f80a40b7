"""Importing a values file through the web: check it and show what would change, then confirm.

The rules are `services.import_rows`' (row checks, scope, all or nothing); this module adds what a two-step
web import needs: the result of the check kept with the stored upload, and a fingerprint of the plan so
that a confirmation applies exactly what was previewed (if values changed in between, the user sees the new
preview instead).

One difference from the command line: a row that names an agency and an indicator and nothing else
(a downloaded template row left empty) is skipped and counted, so that a template can be returned
partly filled in.
"""

import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from agencies.models import User
from assessments.values import permissions, services, upload_store
from assessments.values.importer import IMPORT_STATUSES, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, ImportPlan
from assessments.values.spreadsheets import read_table
from assessments.values.upload_store import Upload, UploadRefused, UploadState
from govit.errors import Conflict, InputError, InputRejected
from govit.i18n import _

MAX_LISTED = 1000  # rows and errors kept for the preview pages; the counts are always complete
FILLED_COLUMNS = ("value", "numerator", "denominator", "note", "evidence_url")


class PreviewOutdated(Exception):
    """Values changed between the preview and the confirmation; a new preview was made."""


def allowed_statuses(user: User) -> list[str]:
    """The statuses the user may give imported values (none for reviewers, admins and observers)."""
    return [str(status) for status in IMPORT_STATUSES if permissions.may_import(user, status)]


def _import(upload: Upload, data: bytes, user: User, previewed: str | None = None) -> tuple[ImportPlan, int]:
    """The file's filled-in rows through `services.import_rows`, and how many rows were skipped: a dry run
    without `previewed`, else saved if the plan is still the one previewed (PreviewOutdated otherwise)."""
    services.check_import(upload.framework, upload.year, upload.status, user)
    rows = read_table(data, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, filename=upload.filename)
    kept = [(n, cells) for n, cells in rows if any(cells.get(c, "").strip() for c in FILLED_COLUMNS)]
    skipped = len(rows) - len(kept)

    def as_previewed(plan: ImportPlan) -> None:
        if _fingerprint(plan, skipped) != previewed:
            raise PreviewOutdated

    plan = services.import_rows(kept, upload.framework, upload.year, upload.status, user,
                                dry_run=previewed is None, expect=as_previewed if previewed else None)
    return plan, skipped


def _fingerprint(plan: ImportPlan, skipped: int) -> str:
    digest = hashlib.sha256(repr((plan.framework.pk, plan.period.pk, plan.status, plan.unchanged, skipped)).encode())
    for planned in plan.creates + plan.updates:
        before = (planned.before.pk, planned.before.version) if planned.before else None
        digest.update(repr((planned.row, planned.agency.pk, planned.indicator.pk, before,
                            planned.value.content())).encode())
    return digest.hexdigest()


def _shown(fields: dict | None) -> dict | None:
    """A value's fields as JSON for the preview: the number as text, yes/no, n/d for a ratio."""
    if fields is None:
        return None
    number = fields["value_decimal"]
    ratio = f"{fields['numerator']}/{fields['denominator']}" if fields["denominator"] is not None else None
    return {"number": None if number is None else format(Decimal(number).normalize(), "f"),
            "bool": fields["value_bool"], "ratio": ratio, "note": fields["note"],
            "evidence_url": fields["evidence_url"], "status": fields["status"]}


def _change_rows(plan: ImportPlan) -> list[dict]:
    rows = []
    for change in plan.changes(limit=MAX_LISTED):
        before, after = _shown(change["before"]), _shown(change["after"])
        also = [name for name in ("note", "evidence_url", "status") if before and before[name] != after[name]]
        rows.append({"row": change["row"], "agency_code": change["agency_code"],
                     "indicator_code": change["indicator_code"], "action": change["action"],
                     "before": before, "after": after, "also": also})
    return rows


def _errors(errors: list[InputError]) -> dict:
    return {"errors": [e.as_dict() for e in errors[:MAX_LISTED]], "error_count": len(errors)}


def _preview_into(upload: Upload, data: bytes, user: User) -> None:
    try:
        plan, skipped = _import(upload, data, user)
    except InputRejected as exc:
        upload.state, upload.result = UploadState.INVALID, _errors(exc.errors)
    except PermissionDenied as exc:
        upload.state, upload.result = UploadState.INVALID, _errors([InputError(exc.args[0], where="status")])
    else:
        upload.state = UploadState.READY
        upload.result = {"summary": {**plan.summary(), "skipped": skipped}, "changes": _change_rows(plan),
                         "fingerprint": _fingerprint(plan, skipped)}
    upload_store.save(upload)


def check(upload: Upload, user: User) -> Upload:
    """Preview a stored upload once (nothing is saved); later calls return what was found."""
    if upload.state == UploadState.STORED:
        _preview_into(upload, upload_store.read_data(upload), user)
    return upload


def confirm(upload: Upload, user: User) -> dict[str, int]:
    """Import what was previewed, all or nothing; returns the summary.

    Raises UploadRefused (already imported, not checked, invalid), PreviewOutdated (values changed
    since the preview: a new one is stored), and the importer's InputRejected, Conflict, PermissionDenied.
    """
    if upload.state == UploadState.APPLIED:
        raise UploadRefused(_("This file was already imported."), status=409)
    if upload.state != UploadState.READY:
        raise UploadRefused(_("Only a checked file without errors can be imported."), status=409)
    if not upload_store.claim(upload):
        raise UploadRefused(_("This file is already being imported."), status=409)
    data = upload_store.read_data(upload)
    try:
        try:
            plan, skipped = _import(upload, data, user, previewed=upload.result["fingerprint"])
        except (InputRejected, PermissionDenied):  # e.g. the period closed or the user's scope changed
            raise PreviewOutdated from None
    except PreviewOutdated:
        _preview_into(upload, data, user)
        upload_store.release(upload)
        raise
    except Conflict:
        upload_store.release(upload)
        raise
    upload.state = UploadState.APPLIED
    upload.result = {**upload.result, "summary": {**plan.summary(), "skipped": skipped},
                     "applied_at": timezone.now().isoformat()}
    upload_store.save(upload)
    upload_store.discard_data(upload)
    return plan.summary()
