from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value) -> str:
    """An index in [0, 1] as a percentage with one decimal, localised: 0.725 → "72,5 %" in Vietnamese."""
    if value is None or value == "":
        return "—"
    return f"{number_format(float(value) * 100, 1)} %"
