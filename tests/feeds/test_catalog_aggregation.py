"""The catalog's `aggregation` key (formats.md §1 extension): loaded onto the indicator, default last, checked."""

import pytest

from assessments.catalog.loader import load_framework
from govit.errors import InputRejected
from tests.values.conftest import FRAMEWORK_YAML

pytestmark = pytest.mark.django_db


def with_aggregation(code: str, rule: str) -> bytes:
    text = FRAMEWORK_YAML.decode()
    marker = f"      - code: {code}\n"
    return text.replace(marker, f"{marker}        aggregation: {rule}\n", 1).encode()


def test_aggregation_is_loaded_and_defaults_to_last():
    framework = load_framework(with_aggregation("AT.01", "sum")).framework
    assert framework.indicators.get(code="AT.01").aggregation == "sum"
    assert framework.indicators.get(code="HT.01").aggregation == "last"


@pytest.mark.parametrize(("code", "rule"), [("HT.01", "median"), ("HT.03", "sum"), ("HT.03", "mean"),
                                            ("AT.02", "sum")])
def test_an_unknown_or_unfit_aggregation_is_refused_with_its_path(code, rule):
    with pytest.raises(InputRejected) as refused:
        load_framework(with_aggregation(code, rule))
    assert [e.where for e in refused.value.errors if e.where.endswith("aggregation")]
