from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local_name(obj, field: str = "name") -> str:
    """The English name in English mode when there is one (agency, pillar, indicator, catalog), else Vietnamese."""
    english = getattr(obj, f"{field}_en", "") if get_language() == "en" else ""
    return english or getattr(obj, f"{field}_vi", "")
