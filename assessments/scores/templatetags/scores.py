from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value) -> str:
    """An index in [0, 1] as a percentage with one decimal, localised: 0.725 → "72,5 %" in Vietnamese."""
    if value is None or value == "":
        return "—"
    # number_format cuts digits; round half up first (0.916667 → 91,7 %, as scoring.md §8 shows it).
    shown = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{number_format(shown, 1)} %"
