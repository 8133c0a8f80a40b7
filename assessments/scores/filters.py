import django_filters

from agencies.codes import normalize_code
from agencies.models import PeerGroup
from assessments.scores.models import AgencyScore
from assessments.scores.selectors import RANKED_GROUPS


class ScoreFilter(django_filters.FilterSet):
    framework = django_filters.CharFilter(field_name="framework__code", help_text="Framework code, e.g. CNTT-64")
    framework_version = django_filters.CharFilter(field_name="framework__version")
    period = django_filters.NumberFilter(field_name="period__year", help_text="Year of the period")
    group = django_filters.CharFilter(
        method="filter_group",
        help_text="central, central_no_public_services, provincial, subunit, or a sub-unit group key (kind:parent)",
    )
    agency = django_filters.CharFilter(method="filter_agency", help_text="Agency code")
    level = django_filters.CharFilter(field_name="level")
    ordering = django_filters.OrderingFilter(
        fields=(("rank", "rank"), ("index", "index"), ("agency_code", "agency"), ("period__year", "period"))
    )

    class Meta:
        model = AgencyScore
        fields = ["framework", "framework_version", "period", "group", "agency", "level"]

    def filter_group(self, qs, name, value):
        if value == PeerGroup.SUBUNIT:
            return qs.exclude(group__in=RANKED_GROUPS)
        return qs.filter(group=value)

    def filter_agency(self, qs, name, value):
        return qs.filter(agency_code=normalize_code(value))
