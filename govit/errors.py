"""Errors given to users: bad input (where: row, column or YAML path; and what) and conflicts, in vi and en."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.encoding import force_str


def in_language(message: Any, lang: str) -> str:
    with translation.override(lang):
        return force_str(message)


@dataclass(frozen=True)
class InputError:
    """One problem in an input: `where` is a column name or a YAML path; `row` counts the header as 1."""

    message: Any  # a lazy translation, rendered per language on output
    row: int | None = None
    where: str | None = None

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.where,
            "message": force_str(self.message),
            "message_vi": in_language(self.message, "vi"),
            "message_en": in_language(self.message, "en"),
        }

    def bilingual(self) -> str:
        place = []
        if self.row is not None:
            place.append(f"dòng/row {self.row}")
        if self.where:
            place.append(f"cột/column {self.where}")
        prefix = f"[{', '.join(place)}] " if place else ""
        return f"{prefix}{in_language(self.message, 'vi')} / {in_language(self.message, 'en')}"


class InputRejected(Exception):
    """Raised with every problem found; the caller saves nothing."""

    def __init__(self, errors: Iterable[InputError]):
        self.errors = list(errors)
        super().__init__("; ".join(e.bilingual() for e in self.errors))


def bilingual(message: Any, code: str, **extra) -> dict:
    """`detail` in the request's language (api.md), and both languages for people reading logs or mails."""
    return {"detail": force_str(message), "detail_vi": in_language(message, "vi"),
            "detail_en": in_language(message, "en"), "code": code, **extra}


class Conflict(Exception):
    """The object changed since the caller read it, or its state does not allow the action (values and plans).

    The API answers 409 with `code` and, when known, the version and status to reload to; the browser shows the
    message and keeps what the user typed.
    """

    def __init__(self, message: Any, code: str = "conflict", current_version: int | None = None,
                 status: str | None = None):
        self.message = message  # a lazy translation
        self.code = code
        self.current_version = current_version
        self.status = status
        super().__init__(f"{in_language(message, 'vi')} / {in_language(message, 'en')}")

    def as_dict(self, **now) -> dict:
        """The 409 body with both languages; `now` (current_version, status) overrides what the exception saw."""
        return bilingual(self.message, self.code, **{"current_version": self.current_version,
                                                     "status": self.status, **now})


def field_errors(exc: InputRejected) -> dict[str, list[str]]:
    """InputRejected as the API's 400 body: {"field": ["message", ...]} in the active language."""
    out: dict[str, list[str]] = {}
    for error in exc.errors:
        out.setdefault(error.where or "non_field_errors", []).append(force_str(error.message))
    return out
