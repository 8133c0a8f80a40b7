from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local_name(obj, field: str = "name") -> str:
    """The English name in English mode when there is one (agency, pillar, indicator, catalog), else Vietnamese."""
    english = getattr(obj, f"{field}_en", "") if get_language() == "en" else ""
    return english or getattr(obj, f"{field}_vi", "")


@register.filter
def level_label(code: str) -> str:
    """A readiness level's translated name ("advanced" → "Nâng cao" / "Advanced"), not its code."""
    from assessments.catalog.method import level_label as label

    return label(code) if code else ""
