from django import template
from django.utils.translation import get_language

from govit.i18n import _

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


@register.filter
def group_label(key: str, province=None) -> str:
    """A peer group's name for people ("provincial" → "Tỉnh, thành phố trực thuộc trung ương"); the communes of a
    province (key commune:<code>) by the province's name, given as `province` (else its code)."""
    from agencies.models import AgencyKind, PeerGroup

    kind, separator, code = str(key).partition(":")
    if separator and kind == AgencyKind.COMMUNE:
        return str(_("Communes of %(province)s") % {"province": local_name(province) if province else code})
    return str(PeerGroup(key).label) if key in PeerGroup.values else str(key)


@register.filter
def agency_group(agency) -> str:
    """The peer group an agency is ranked in (scoring.md §5): a commune among those of its province."""
    from agencies.models import AgencyKind

    if agency.kind == AgencyKind.COMMUNE and agency.parent_id:
        return group_label(f"{AgencyKind.COMMUNE}:{agency.parent.code}", agency.parent)
    return group_label(agency.group)


@register.filter
def basis_label(basis: dict) -> str:
    """A legal basis of the method page (catalog.method.legal_basis) by the act's short title and article."""
    from assessments.scores.inputs import basis_title

    return basis_title(basis["title"], basis["article"], basis["clause"], get_language())
