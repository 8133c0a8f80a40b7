"""The one set of rules for a value's fields, shared by the importer and the services."""

import unicodedata
from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments.values.fields import clean_value
from govit.errors import in_language


def ind(kind, low=None, high=None):
    return SimpleNamespace(type=kind, min_level=low, max_level=high)


def ok(kind, **fields):
    clean, problems = clean_value(kind if isinstance(kind, SimpleNamespace) else ind(kind), **fields)
    assert problems == [], [in_language(p.message, "en") for p in problems]
    return clean


def problems(kind, **fields):
    clean, found = clean_value(kind if isinstance(kind, SimpleNamespace) else ind(kind), **fields)
    assert clean is None
    return [(p.column, in_language(p.message, "en")) for p in found]


@pytest.mark.parametrize("raw", ["90,8", "90.8", "90,8%", "90.8 %", " 90,80 ", 90.8, Decimal("90.8")])
def test_decimal_comma_point_and_percent_sign_are_the_same_number(raw):
    assert ok("percent", value=raw).value_decimal == Decimal("90.8")


@pytest.mark.parametrize("raw", ["1.234,5", "1,234.5", "1 234", "1\u00a0234", "1.234.567", "1,234,567"])
def test_thousands_separators_are_refused_as_ambiguous(raw):
    [(column, message)] = problems("count", value=raw)
    assert column == "value" and ("separators" in message or "Thousands" in message)


@pytest.mark.parametrize(
    "kind, raw, fragment",
    [
        ("percent", "abc", "not a number"),
        ("percent", "100,1", "between 0 and 100"),
        ("percent", "-1", "between 0 and 100"),
        ("percent", "1e3", "not a number"),
        ("percent", "1,1234567", "decimals"),
        ("count", "5%", "Only percentages"),
        ("count", "-1", "negative"),
        ("count", "2.5", "whole number"),
        ("count", "1.000", "whole number"),
        ("boolean", "maybe", "true/false"),
        ("boolean", "", "required"),
        ("percent", None, "required"),
    ],
)
def test_bad_values_are_refused(kind, raw, fragment):
    [(column, message)] = problems(kind, value=raw)
    assert column == "value" and fragment in message


@pytest.mark.parametrize(
    "raw, expected",
    [("true", True), ("YES", True), ("Có", True), ("CÓ", True), ("1", True), (True, True),
     ("false", False), ("No", False), ("không", False), ("KHÔNG", False), ("0", False),
     (unicodedata.normalize("NFD", "không"), False), (unicodedata.normalize("NFD", "Có"), True)],
)
def test_booleans_in_three_languages_of_spreadsheet(raw, expected):
    assert ok("boolean", value=raw).value_bool is expected


def test_level_is_a_whole_number_in_its_range():
    level = ind("level", 1, 4)
    assert ok(level, value="4").value_decimal == 4
    assert problems(level, value="5") == [("value", "A level is a whole number from 1 to 4.")]
    assert problems(level, value="0")[0][0] == "value"


def test_ratio_takes_numerator_and_denominator_only():
    clean = ok("ratio", numerator="45", denominator="50")
    assert (clean.numerator, clean.denominator, clean.value_decimal) == (45, 50, None)
    assert [c for c, _m in problems("ratio", numerator="1", denominator="0")] == ["denominator"]
    assert [c for c, _m in problems("ratio", numerator="51", denominator="50")] == ["numerator"]
    assert [c for c, _m in problems("ratio", numerator="1,5", denominator="50")] == ["numerator"]
    assert [c for c, _m in problems("ratio", numerator="", denominator="50")] == ["numerator"]
    assert [c for c, _m in problems("ratio", value="90", numerator="1", denominator="2")] == ["value"]


def test_numerator_and_denominator_are_refused_for_other_types():
    assert [c for c, _m in problems("percent", value="9", numerator="1", denominator="2")] == [
        "numerator", "denominator"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/a", "data:text/html,x", "example.org"])
def test_evidence_links_are_http_only(url):
    assert problems("percent", value="1", evidence_url=url)[0][0] == "evidence_url"


def test_text_is_nfc_and_links_kept():
    clean = ok("percent", value="1", note=unicodedata.normalize("NFD", " Số liệu "), evidence_url="https://a.vn/x")
    assert clean.note == "Số liệu" and unicodedata.is_normalized("NFC", clean.note)
    assert clean.evidence_url == "https://a.vn/x"
