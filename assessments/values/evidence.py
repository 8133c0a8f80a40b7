"""Evidence files attached to a value: size-capped, type sniffed from the bytes, never trusted by name."""

import hashlib
import io
import os
import zipfile

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from agencies.models import User
from agencies.text import nfc
from assessments.values.models import Evidence, IndicatorValue
from assessments.values.permissions import can_edit
from assessments.values.services import EDITABLE
from govit.errors import Conflict, InputError, InputRejected
from govit.i18n import _

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

# kind -> (content type, extensions the file name may have)
KINDS = {
    "pdf": ("application/pdf", (".pdf",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "text": ("text/plain", (".txt", ".csv")),
}


class FileTooLarge(InputRejected):
    """The API answers 413 for this one."""


def sniff(data: bytes) -> str | None:
    """The kind of file the bytes are, or None when it is none of the accepted kinds."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        return None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text"


def _clean_name(name: str) -> str:
    base = os.path.basename(nfc(name).replace("\\", "/"))
    return base[-255:] or "evidence"


def upload_evidence(user: User, value: IndicatorValue, file_obj, name: str) -> Evidence:
    """Attach a file (PDF, PNG, JPEG, XLSX, DOCX or plain text, at most 20 MB) to a draft or rejected value.

    `file_obj` is anything with `read()` (an UploadedFile). Uploading the same bytes twice returns
    the evidence already attached.
    """
    if not can_edit(user, value.agency):
        raise PermissionDenied(_("You may not add evidence to this agency's values."))
    if not value.period.is_open:
        raise Conflict(_("The period is closed; its values can no longer change."))
    if value.status not in EDITABLE:
        raise Conflict(_("Evidence can be added to draft or rejected values, not to a %(status)s one.")
                       % {"status": value.get_status_display()})
    size = getattr(file_obj, "size", None)
    if size is not None and size > MAX_EVIDENCE_BYTES:
        raise FileTooLarge([InputError(_("The file is larger than 20 MB."), where="file")])
    data = file_obj.read(MAX_EVIDENCE_BYTES + 1)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise FileTooLarge([InputError(_("The file is larger than 20 MB."), where="file")])
    if not data:
        raise InputRejected([InputError(_("The file is empty."), where="file")])
    original = _clean_name(name)
    kind = sniff(data)
    if kind is None:
        raise InputRejected([InputError(_("Accepted evidence files are PDF, PNG, JPEG, XLSX, DOCX and plain text."),
                                        where="file")])
    content_type, extensions = KINDS[kind]
    extension = os.path.splitext(original)[1].lower()
    if extension not in extensions:
        raise InputRejected([InputError(
            _("The file content is %(kind)s but its name ends with “%(ext)s”; expected %(allowed)s.")
            % {"kind": kind.upper(), "ext": extension or "(none)", "allowed": ", ".join(extensions)},
            where="file",
        )])
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        existing = Evidence.objects.filter(value=value, sha256=digest).first()
        if existing:
            return existing
        evidence = Evidence(value=value, original_name=original, content_type=content_type, size=len(data),
                            sha256=digest, uploaded_by=user)
        # Stored under the content hash: the uploader's file name never reaches the file system.
        evidence.file.save(f"{digest[:32]}{extensions[0]}", ContentFile(data), save=False)
        evidence.save()
    return evidence
