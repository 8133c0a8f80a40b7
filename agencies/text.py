"""Text helpers for Vietnamese: NFC normalisation and accent-insensitive folding."""

import unicodedata


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def fold(text: str) -> str:
    """Lower-case, strip diacritics, map đ to d: "HÀ NỘI", "Hà Nội" and "ha noi" all fold to "ha noi"."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("đ", "d").replace("Đ", "D").casefold().split())
