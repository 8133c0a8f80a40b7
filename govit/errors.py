"""Errors of input files and forms: where (row, column or YAML path) and what, in vi and en."""

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
