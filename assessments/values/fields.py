"""Parsing and validating the typed fields of one indicator value (scoring.md §2, formats.md §2).

The single place where a value is checked: the file importer passes the cells as text, the
services pass what a form or the API sent (text, numbers or booleans); both get the same rules.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from agencies.text import nfc
from assessments.catalog.models import IndicatorType
from assessments.values.models import CONTENT_FIELDS
from govit.i18n import _

MAX_DECIMALS = 6
MAX_MAGNITUDE = Decimal(10) ** 14
MAX_INTEGER = 10**15
MAX_NOTE = 2000
MAX_URL = 2000

NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)$")
INTEGER_RE = re.compile(r"^[+-]?\d+$")
DIGIT_SPACE_DIGIT = re.compile(r"\d\s+\d")
TRUE_WORDS = frozenset({"true", "yes", "có", "1"})
FALSE_WORDS = frozenset({"false", "no", "không", "0"})
_url_validator = URLValidator(schemes=["http", "https"])


class FieldProblem(NamedTuple):
    column: str
    message: Any  # lazy translation


class InvalidField(Exception):
    """One field's problem; `message` is a lazy translation."""

    def __init__(self, message):
        self.message = message


@dataclass(frozen=True, slots=True)
class CleanValue:
    """What was reported for one (agency, indicator, period), validated and typed."""

    value_decimal: Decimal | None = None
    numerator: int | None = None
    denominator: int | None = None
    value_bool: bool | None = None
    note: str = ""
    evidence_url: str = ""

    def content(self) -> tuple:
        """Comparable with `stored_content` of a saved value."""
        return tuple(getattr(self, name) for name in CONTENT_FIELDS)

    def as_fields(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


def stored_content(value) -> tuple:
    return tuple(getattr(value, name) for name in CONTENT_FIELDS)


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_number(raw: Any, allow_percent_sign: bool = False) -> Decimal:
    """`90,8`, `90.8` and (for percent) `90,8 %` are the same; `1.234,5`, `1,234.5`, `1 234` are refused."""
    if isinstance(raw, bool):
        raise InvalidField(_("Expected a number, not yes/no."))
    if isinstance(raw, int | Decimal):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    else:
        text = unicodedata.normalize("NFKC", str(raw)).strip()  # NFKC folds no-break spaces to spaces
        if text.endswith("%"):
            if not allow_percent_sign:
                raise InvalidField(_("Only percentages may end with “%”."))
            text = text[:-1].rstrip()
        if not NUMBER_RE.match(text):
            if DIGIT_SPACE_DIGIT.search(text) or ("." in text and "," in text) or text.count(".") > 1 \
                    or text.count(",") > 1:
                raise InvalidField(_("Thousands separators are ambiguous; write the number without them "
                                 "(1234,5 or 1234.5)."))
            raise InvalidField(_("“%(value)s” is not a number.") % {"value": str(raw)[:50]})
        number = Decimal(text.replace(",", "."))
    if not number.is_finite():
        raise InvalidField(_("Expected a finite number."))
    if abs(number) >= MAX_MAGNITUDE:
        raise InvalidField(_("The number is too large."))
    if -number.as_tuple().exponent > MAX_DECIMALS and number != number.quantize(Decimal(1).scaleb(-MAX_DECIMALS)):
        raise InvalidField(_("At most %(n)s decimals.") % {"n": MAX_DECIMALS})
    return number


def parse_integer(raw: Any) -> int:
    """A whole number written without any separator: `1.000` is refused (a thousand, or one?)."""
    if isinstance(raw, bool):
        raise InvalidField(_("Expected a whole number, not yes/no."))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float | Decimal):
        try:
            if raw != int(raw):
                raise InvalidField(_("Expected a whole number."))
        except (ValueError, OverflowError, InvalidOperation) as exc:
            raise InvalidField(_("Expected a whole number.")) from exc
        value = int(raw)
    else:
        text = str(raw).strip()
        if text.endswith("%"):
            raise InvalidField(_("Only percentages may end with “%”."))
        if not INTEGER_RE.match(text):
            if DIGIT_SPACE_DIGIT.search(text) or "." in text or "," in text:
                raise InvalidField(_("Expected a whole number without separators (1234, not 1.234 or 1,234)."))
            raise InvalidField(_("“%(value)s” is not a whole number.") % {"value": text[:50]})
        value = int(text)
    if abs(value) > MAX_INTEGER:
        raise InvalidField(_("The number is too large."))
    return value


def parse_bool(raw: Any) -> bool:
    """true/false, yes/no, có/không (any case, NFC or NFD), 1/0."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    word = nfc(str(raw)).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InvalidField(_("Expected true/false, yes/no, có/không or 1/0."))


def clean_text(raw: Any, max_length: int) -> str:
    # JSON may send a list, object, number or yes/no, which str() would store as its Python repr.
    if raw is not None and not isinstance(raw, str):
        raise InvalidField(_("Expected text, not a list, an object, a number or true/false."))
    text = nfc("" if raw is None else raw)
    if len(text) > max_length:
        raise InvalidField(_("Longer than %(n)s characters.") % {"n": max_length})
    return text


def clean_url(raw: Any) -> str:
    url = clean_text(raw, MAX_URL)
    if url:
        try:
            _url_validator(url)
        except ValidationError as exc:
            raise InvalidField(_("Evidence links must be http:// or https:// addresses.")) from exc
    return url


def clean_value(indicator, value: Any = None, numerator: Any = None, denominator: Any = None,
                note: Any = "", evidence_url: Any = "") -> tuple[CleanValue | None, list[FieldProblem]]:
    """Validate the fields for `indicator` (its type, min_level, max_level); (value, []) or (None, problems).

    Ratios take numerator and denominator and refuse `value`; every other type takes `value`
    and refuses numerator and denominator (rather than silently ignoring them).
    """
    problems: list[FieldProblem] = []
    fields: dict[str, Any] = {}

    def check(column: str, parse, raw, *args):
        try:
            return parse(raw, *args)
        except InvalidField as exc:
            problems.append(FieldProblem(column, exc.message))
            return None

    kind = indicator.type
    if kind == IndicatorType.RATIO:
        if not is_blank(value):
            problems.append(FieldProblem("value", _("A ratio takes numerator and denominator, not value.")))
        num = den = None
        for column, raw in (("numerator", numerator), ("denominator", denominator)):
            if is_blank(raw):
                problems.append(FieldProblem(column, _("%(column)s is required for a ratio.") % {"column": column}))
                continue
            parsed = check(column, parse_integer, raw)
            if parsed is not None and parsed < 0:
                problems.append(FieldProblem(column, _("Cannot be negative.")))
                parsed = None
            if column == "numerator":
                num = parsed
            else:
                den = parsed
        if den == 0:
            problems.append(FieldProblem("denominator", _("The denominator must be greater than 0.")))
        elif num is not None and den is not None and num > den:
            problems.append(FieldProblem("numerator", _("The numerator cannot exceed the denominator.")))
        fields.update(numerator=num, denominator=den)
    else:
        for column, raw in (("numerator", numerator), ("denominator", denominator)):
            if not is_blank(raw):
                problems.append(FieldProblem(column, _("Only ratio indicators take numerator and denominator.")))
        if is_blank(value):
            problems.append(FieldProblem("value", _("A value is required.")))
        elif kind == IndicatorType.BOOLEAN:
            fields["value_bool"] = check("value", parse_bool, value)
        elif kind == IndicatorType.PERCENT:
            number = check("value", parse_number, value, True)
            if number is not None and not Decimal(0) <= number <= Decimal(100):
                problems.append(FieldProblem("value", _("A percentage is between 0 and 100.")))
            fields["value_decimal"] = number
        elif kind == IndicatorType.COUNT:
            number = check("value", parse_integer, value)
            if number is not None and number < 0:
                problems.append(FieldProblem("value", _("A count cannot be negative.")))
            fields["value_decimal"] = None if number is None else Decimal(number)
        elif kind == IndicatorType.LEVEL:
            number = check("value", parse_integer, value)
            if number is not None and not indicator.min_level <= number <= indicator.max_level:
                problems.append(FieldProblem("value", _("A level is a whole number from %(low)s to %(high)s.")
                                             % {"low": indicator.min_level, "high": indicator.max_level}))
            fields["value_decimal"] = None if number is None else Decimal(number)
        else:
            problems.append(FieldProblem("value", _("The indicator has an unknown type.")))
    fields["note"] = check("note", clean_text, note, MAX_NOTE)
    fields["evidence_url"] = check("evidence_url", clean_url, evidence_url)
    if problems:
        return None, problems
    return CleanValue(**fields), []
