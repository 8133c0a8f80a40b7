"""The index shown in pages: one decimal, rounded half up, Vietnamese separators (scoring.md §8)."""

from decimal import Decimal

import pytest
from django.utils import translation

from assessments.scores.templatetags.scores import percent


@pytest.mark.parametrize(("index", "shown"), [
    (Decimal("0.916667"), "91,7 %"), (Decimal("0.725"), "72,5 %"), (Decimal("0.00005"), "0,0 %"),
    (Decimal("0.99995"), "100,0 %"), (0.5, "50,0 %"), (None, "—"),
])
def test_percent_rounds_half_up_with_a_decimal_comma(index, shown):
    with translation.override("vi"):
        assert percent(index) == shown
