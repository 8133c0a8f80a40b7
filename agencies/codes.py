"""Electronic identifier codes of agencies (Decision 20/2020/QĐ-TTg).

The full form is `NNN.NN.NN.LNN` read from the right: `LNN` is the level-1 agency
(G = central agencies, H = provinces), then level-2, -3 and -4 groups. The short form
`G14` / `H29` stands for `000.00.00.G14` / `000.00.00.H29`.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from govit.i18n import _ as lazy_message

FULL_CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
SHORT_CODE = re.compile(r"^[A-Z]\d{2}$")


def normalize_code(raw: str) -> str:
    """Upper-case, trim and expand the short form; does not validate."""
    code = (raw or "").strip().upper()
    if SHORT_CODE.match(code):
        return f"000.00.00.{code}"
    return code


INVALID_CODE = gettext_noop(
    "“%(code)s” is not an electronic identifier code (expected NNN.NN.NN.LNN, e.g. 000.00.00.G14)."
)


def validate_agency_code(value: str) -> None:
    if not FULL_CODE.match(value or ""):
        raise ValidationError(_(INVALID_CODE), code="invalid_code", params={"code": value})


def code_error(value: str):
    """The same message for input errors, rendered later in each language."""
    return lazy_message(INVALID_CODE) % {"code": value}


def level1_code(code: str) -> str:
    """The level-1 part of a code (`000.00.18.G12` -> `G12`)."""
    return code.rsplit(".", 1)[-1]
