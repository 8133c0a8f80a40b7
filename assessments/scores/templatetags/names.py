from django import template
from django.utils.translation import get_language

from govit.i18n import _, local_name

register = template.Library()


register.filter("local_name", local_name)


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
    from assessments.scores.scoring import CENTRAL_NO_PUBLIC_SERVICES

    kind, separator, code = str(key).partition(":")
    if separator and kind == AgencyKind.COMMUNE:
        return str(_("Communes of %(province)s") % {"province": local_name(province) if province else code})
    if key == CENTRAL_NO_PUBLIC_SERVICES:
        return str(_("Central agencies without public services"))
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
