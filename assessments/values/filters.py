import django_filters

from agencies.codes import normalize_code
from assessments.values.models import IndicatorValue, ValueStatus


class ValueFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(method="filter_agency", help_text="Agency code")
    framework = django_filters.CharFilter(field_name="indicator__framework__code", help_text="Framework code")
    period = django_filters.NumberFilter(field_name="period__year", help_text="Year of the period")
    indicator = django_filters.CharFilter(field_name="indicator__code", help_text="Indicator code")
    status = django_filters.ChoiceFilter(choices=ValueStatus.choices)

    class Meta:
        model = IndicatorValue
        fields = ["agency", "framework", "period", "indicator", "status"]

    def filter_agency(self, qs, name, value):
        return qs.filter(agency__code=normalize_code(value))
