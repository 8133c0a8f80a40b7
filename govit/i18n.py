"""Translatable messages whose %-parameters survive until the message is rendered.

`gettext_lazy("...") % params` renders at once, in the language active at that moment; an
input error must instead render in Vietnamese and in English later (govit.errors), so
messages of input errors use this `_`.
"""

from django.utils.translation import get_language, gettext


class LazyMessage:
    def __init__(self, msgid: str, params: dict | None = None):
        self.msgid = msgid
        self.params = params

    def __mod__(self, params: dict) -> "LazyMessage":
        return LazyMessage(self.msgid, params)

    def __str__(self) -> str:
        text = gettext(self.msgid)
        return text % self.params if self.params else text

    def __repr__(self) -> str:
        return f"LazyMessage({self.msgid!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.msgid)


def _(msgid: str) -> LazyMessage:  # noqa: N802 - named for xgettext's default keyword
    return LazyMessage(msgid)


class RenderedMessage:
    """A message another library has already rendered once per language (e.g. Django's password validators)."""

    def __init__(self, vi: str, en: str):
        self.texts = {"vi": vi, "en": en}

    def __str__(self) -> str:
        return self.texts.get((get_language() or "vi")[:2], self.texts["vi"])

    def __repr__(self) -> str:
        return f"RenderedMessage({self.texts!r})"


def local_name(obj, field: str = "name") -> str:
    """The English name in English mode when there is one (agency, pillar, indicator, catalog), else Vietnamese."""
    english = getattr(obj, f"{field}_en", "") if get_language() == "en" else ""
    return english or getattr(obj, f"{field}_vi", "")
