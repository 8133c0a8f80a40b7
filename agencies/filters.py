import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .codes import normalize_code
from .models import Agency, AgencyKind, PeerGroup


class KindInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """`kind=ministry` or several at once: `kind=ministry,ministerial_agency`."""


class AgencyFilter(django_filters.FilterSet):
    kind = KindInFilter(choices=AgencyKind.choices, help_text=_("Agency kind; several separated by commas."))
    parent = django_filters.CharFilter(method="filter_parent", help_text=_("Code of the parent agency."))
    group = django_filters.CharFilter(
        method="filter_group",
        validators=[RegexValidator(
            rf"^({'|'.join(PeerGroup.values)}|{AgencyKind.COMMUNE}:\S+)$",
            _("Choose central, provincial, subunit or commune:<province code>."),
        )],
        help_text=_("Peer group: central, provincial, subunit, or commune:<province code> (its communes)."),
    )
    active_on = django_filters.DateFilter(method="filter_active_on", help_text=_("Agencies valid on this date."))
    search = django_filters.CharFilter(
        method="filter_search", help_text=_("Name or code, accent- and case-insensitive.")
    )

    class Meta:
        model = Agency
        fields = ["kind", "parent", "group", "active_on", "search"]

    def filter_parent(self, qs, name, value):
        return qs.filter(parent__code=normalize_code(value))

    def filter_group(self, qs, name, value):
        kind, separator, parent = value.partition(":")
        return qs.in_group(f"{kind}:{normalize_code(parent)}" if separator else value)

    def filter_active_on(self, qs, name, value):
        return qs.active_on(value)

    def filter_search(self, qs, name, value):
        return qs.search(value)
