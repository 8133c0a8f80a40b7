from django import template
from django.utils.translation import get_language

from assessments.scores.labels import agency_group, group_label
from govit.i18n import local_name

register = template.Library()


register.filter("local_name", local_name)
register.filter("group_label", group_label)
register.filter("agency_group", agency_group)


@register.filter
def level_label(code: str) -> str:
    """A readiness level's translated name ("advanced" → "Nâng cao" / "Advanced"), not its code."""
    from assessments.catalog.method import level_label as label

    return label(code) if code else ""


@register.filter
def basis_label(basis: dict) -> str:
    """A legal basis of the method page (catalog.method.legal_basis) by the act's short title and article."""
    from assessments.scores.inputs import basis_title

    return basis_title(basis["title"], basis["article"], basis["clause"], get_language())
