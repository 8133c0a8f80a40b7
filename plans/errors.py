"""Errors of the plan workflow, rendered in the language of whoever reads them (govit.i18n)."""

from django.core.exceptions import PermissionDenied
from django.utils.encoding import force_str

from govit.errors import in_language
from govit.handlers import bilingual


class PlanConflict(Exception):
    """The plan is not in a state that allows the action, or the edit was based on an older version.

    The API answers 409; the browser shows the message and keeps what the user typed.
    """

    def __init__(self, message, code: str, current_version: int | None = None, status: str | None = None):
        self.message = message
        self.code = code
        self.current_version = current_version
        self.status = status
        super().__init__(f"{in_language(message, 'vi')} / {in_language(message, 'en')}")

    def as_dict(self, **now) -> dict:
        """The API's 409 body; `now` (current_version, status) overrides what the exception saw."""
        return bilingual(self.message, self.code, **{"current_version": self.current_version,
                                                     "status": self.status, **now})


class PlanForbidden(PermissionDenied):
    """The caller sees the plan but their role may not do this (403)."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return force_str(self.message)


def field_errors(exc) -> dict[str, list[str]]:
    """InputRejected as the API's 400 body: {"field": ["message", ...]} in the active language."""
    out: dict[str, list[str]] = {}
    for error in exc.errors:
        out.setdefault(error.where or "non_field_errors", []).append(force_str(error.message))
    return out
