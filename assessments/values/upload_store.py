"""Uploaded value files kept between their preview and the confirmation (web import).

The bytes live under MEDIA_ROOT/value-uploads/<id>.bin (a volume every web process shares) and what
the check found beside them in <id>.json. The uploader holds a signed token naming the id, the user
and the file's SHA-256: someone else's token, a tampered one or an expired one is refused, and a
confirmation applies exactly the bytes that were previewed.

Settings: VALUES_UPLOAD_MAX_AGE (seconds a token lasts, default one hour), VALUES_UPLOAD_MAX_BYTES
(default the importer's own 50 MB limit).
"""

import hashlib
import json
import os
import re
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import signing

from assessments.values.spreadsheets import MAX_BYTES
from govit.i18n import _

SALT = "assessments.values-upload"
ID_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def max_age() -> int:
    return getattr(settings, "VALUES_UPLOAD_MAX_AGE", 3600)


def max_bytes() -> int:
    return getattr(settings, "VALUES_UPLOAD_MAX_BYTES", MAX_BYTES)


class UploadRefused(Exception):
    """A token that does not open an upload of this user; `status` is the HTTP status to answer."""

    def __init__(self, message, status: int = 404):
        super().__init__(str(message))
        self.message = message
        self.status = status


class UploadState:
    STORED = "stored"  # not checked yet
    READY = "ready"  # checked, valid: can be confirmed
    INVALID = "invalid"  # checked, errors listed
    APPLIED = "applied"


@dataclass
class Upload:
    id: str
    user: int
    framework: str
    year: int
    status: str
    filename: str
    sha256: str
    size: int
    created: float
    state: str = UploadState.STORED
    result: dict = field(default_factory=dict)  # what the check (then the import) found, JSON-ready

    @property
    def expires(self) -> float:
        return self.created + max_age()


def _dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "value-uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _paths(upload_id: str) -> tuple[Path, Path, Path]:
    base = _dir()
    return base / f"{upload_id}.bin", base / f"{upload_id}.json", base / f"{upload_id}.lock"


def store(user, data: bytes, filename: str, framework: str, year: int, status: str) -> str:
    """Keep an uploaded file for its preview; returns the token that opens it again."""
    purge_expired()
    upload = Upload(id=secrets.token_urlsafe(24), user=user.pk, framework=framework, year=year, status=status,
                    filename=os.path.basename(filename or "")[:200], sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data), created=time.time())
    data_path, _state, _lock = _paths(upload.id)
    data_path.write_bytes(data)
    save(upload)
    return signing.dumps({"id": upload.id, "user": user.pk, "sha256": upload.sha256}, salt=SALT)


def open_upload(token: str, user) -> Upload:
    """The upload a token names, if it is this user's and has not expired."""
    try:
        claims = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as exc:
        raise UploadRefused(_("This upload has expired; upload the file again."), status=410) from exc
    except signing.BadSignature as exc:
        raise UploadRefused(_("This upload does not exist or is not yours.")) from exc
    upload_id = claims.get("id", "") if isinstance(claims, dict) else ""
    if not ID_RE.match(str(upload_id)) or claims.get("user") != user.pk:
        raise UploadRefused(_("This upload does not exist or is not yours."))
    _data, state_path, _lock = _paths(upload_id)
    try:
        upload = Upload(**json.loads(state_path.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise UploadRefused(_("This upload has expired; upload the file again."), status=410) from exc
    if upload.sha256 != claims.get("sha256") or upload.user != user.pk:
        raise UploadRefused(_("This upload does not exist or is not yours."))
    return upload


def read_data(upload: Upload) -> bytes:
    """The stored bytes, checked against the hash the token carries."""
    data_path, _state, _lock = _paths(upload.id)
    try:
        data = data_path.read_bytes()
    except FileNotFoundError as exc:
        raise UploadRefused(_("This upload has expired; upload the file again."), status=410) from exc
    if hashlib.sha256(data).hexdigest() != upload.sha256:
        raise UploadRefused(_("The stored file no longer matches what was previewed; upload it again."), status=409)
    return data


def save(upload: Upload) -> None:
    _data, state_path, _lock = _paths(upload.id)
    temporary = state_path.with_suffix(f".{secrets.token_hex(4)}.tmp")
    temporary.write_text(json.dumps(asdict(upload), ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, state_path)  # readers see the old state or the new one, never half of it


def claim(upload: Upload) -> bool:
    """Only one confirmation of an upload runs (a double click, two tabs): False if one already did."""
    _data, _state, lock = _paths(upload.id)
    try:
        os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def release(upload: Upload) -> None:
    _paths(upload.id)[2].unlink(missing_ok=True)


def discard_data(upload: Upload) -> None:
    """After the import the bytes are not needed; the state stays for the result page until it expires."""
    _paths(upload.id)[0].unlink(missing_ok=True)


def purge_expired() -> None:
    """Uploads older than a token's life can never be opened again."""
    horizon = time.time() - max_age() - 60
    for entry in os.scandir(_dir()):
        try:
            if entry.stat().st_mtime < horizon:
                os.unlink(entry.path)
        except FileNotFoundError:
            pass  # purged by another process meanwhile
