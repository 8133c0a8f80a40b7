"""What the file-loading management commands share: reading the file, and bad input as one CommandError."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import CommandError

from govit.errors import InputRejected

NOTHING_IMPORTED = "Không nhập gì / Nothing imported"
NOTHING_LOADED = "Không nạp gì / Nothing loaded"


def read_input(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Không đọc được tệp / Cannot read the file: {exc}") from exc


@contextlib.contextmanager
def all_or_nothing(nothing: str = NOTHING_IMPORTED) -> Iterator[None]:
    """InputRejected as a CommandError listing every problem in both languages (nothing was saved)."""
    try:
        yield
    except InputRejected as exc:
        raise CommandError(f"{nothing}:\n" + "\n".join(e.bilingual() for e in exc.errors)) from exc
