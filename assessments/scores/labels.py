"""Peer groups by their names for people (scoring.md §5), for pages, files and the template filters."""

from govit.i18n import _, local_name


def group_label(key: str, province=None) -> str:
    """A peer group's name ("provincial" → "Tỉnh, thành phố trực thuộc trung ương"); the communes of a province
    (key commune:<code>) by the province's name, given as `province` (else its code)."""
    from agencies.models import AgencyKind, PeerGroup
    from assessments.scores.scoring import CENTRAL_NO_PUBLIC_SERVICES

    kind, separator, code = str(key).partition(":")
    if separator and kind == AgencyKind.COMMUNE:
        return str(_("Communes of %(province)s") % {"province": local_name(province) if province else code})
    if key == CENTRAL_NO_PUBLIC_SERVICES:
        return str(_("Central agencies without public services"))
    return str(PeerGroup(key).label) if key in PeerGroup.values else str(key)


def agency_group(agency) -> str:
    """The peer group an agency is ranked in by the registry: a commune among those of its province."""
    from agencies.models import AgencyKind

    if agency.kind == AgencyKind.COMMUNE and agency.parent_id:
        return group_label(f"{AgencyKind.COMMUNE}:{agency.parent.code}", agency.parent)
    return group_label(agency.group)
