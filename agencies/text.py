"""Text helpers for Vietnamese: NFC normalization and accent-insensitive folding."""

import unicodedata

from django.db.backends.signals import connection_created
from django.dispatch import receiver


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def fold(text: str) -> str:
    """Lower-case, strip diacritics, map đ to d: "HÀ NỘI", "Hà Nội" and "ha noi" all fold to "ha noi"."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").casefold().split())


# --- Vietnamese collation -----------------------------------------------------------------------
# Names sort by the Vietnamese alphabet (a ă â b c d đ e ê … ô ơ … ư …), tones as a second key, case last:
# "Bộ Công an" < "Bộ Công Thương" < "Bộ Y tế", every "Đ…" right after "D…". PostgreSQL has this as the ICU
# collation below; on SQLite the same name is registered with `vi_sort_key` so one query works on both.
VI_COLLATION = "vi-VN-x-icu"
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"  # with the Latin f j w z of foreign names
_VOWEL_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn (on a, e, o, u)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_MARKED = {("a", "ă"): "ă", ("a", "â"): "â", ("e", "â"): "ê", ("o", "â"): "ô", ("o", "ơ"): "ơ", ("u", "ơ"): "ư"}


def _letters(text: str):
    """(letter, tone, is upper) per base character of the NFD text, marks folded into their letter."""
    out: list[list] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out:
            if ch in _TONES:
                out[-1][1] = _TONES[ch]
            elif ch in _VOWEL_MARKS:
                out[-1][0] = _MARKED.get((out[-1][0], _VOWEL_MARKS[ch]), out[-1][0])
            continue
        out.append([ch.lower(), 0, ch.isupper()])
    return out


def vi_sort_key(name: str) -> tuple:
    """A sort key in Vietnamese order: letters first, then tones, then case (lower before upper)."""
    letters = _letters(nfc(name))
    # A space sorts first (word by word: "Bộ Công an" before "Bộ Côngan"), then digits and signs, then letters.
    primary = tuple((_ALPHABET.index(c) + 2, "") if c in _ALPHABET else (0 if c.isspace() else 1, c)
                    for c, _tone, _upper in letters)
    return primary, tuple(t for _c, t, _u in letters), tuple(u for _c, _t, u in letters)


def vi_sorted(items, key=lambda item: item):
    """Items sorted by the Vietnamese order of key(item) (in Python: lists already fetched)."""
    return sorted(items, key=lambda item: vi_sort_key(key(item)))


def _compare(a: str, b: str) -> int:
    ka, kb = vi_sort_key(a), vi_sort_key(b)
    return (ka > kb) - (ka < kb)


def vi_collate(field: str):
    """An ORDER BY expression of `field` in Vietnamese order (PostgreSQL ICU, or the SQLite collation)."""
    from django.db.models.functions import Collate

    return Collate(field, VI_COLLATION)


@receiver(connection_created)
def register_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, _compare)
