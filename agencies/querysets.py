"""Read-side queries on agencies, chainable from `Agency.objects`."""

import datetime

from django.db import models
from django.db.models import Q

from .text import vi_collate


class AgencyQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "AgencyQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)

    def by_name(self) -> "AgencyQuerySet":
        """In Vietnamese alphabetical order of the name (not by bytes: "Bộ Công an" before "Bộ Công Thương")."""
        return self.order_by(vi_collate("name_vi"), "code", "valid_from")

    def in_group(self, group: str) -> "AgencyQuerySet":
        """Agencies of a peer group: `central`, `provincial`, `subunit` (all others), or `<kind>:<parent code>`.

        The last is one sub-unit peer group of scoring.md §5, the key a score carries:
        `commune:000.00.00.H26` is the communes of Hà Nội.
        """
        from .models import CENTRAL_KINDS, PROVINCIAL_KINDS, PeerGroup

        if group == PeerGroup.CENTRAL:
            return self.filter(kind__in=CENTRAL_KINDS)
        if group == PeerGroup.PROVINCIAL:
            return self.filter(kind__in=PROVINCIAL_KINDS)
        kind, separator, parent_code = group.partition(":")
        if separator:
            return self.filter(kind=kind, parent__code=parent_code)
        return self.exclude(kind__in=(*CENTRAL_KINDS, *PROVINCIAL_KINDS))

    def descendants_of(self, agency, include_self: bool = False) -> "AgencyQuerySet":
        prefix = f"{agency.path}{agency.pk}/"
        qs = self.filter(path__startswith=prefix)
        if include_self:
            qs = qs | self.filter(pk=agency.pk)
        return qs

    def search(self, term: str) -> "AgencyQuerySet":
        from .text import fold

        # The folded phrase as a whole: "ha nam" finds Hà Nam, not "Ngân hàng ... Việt Nam".
        return self.filter(search_text__contains=fold(term))
