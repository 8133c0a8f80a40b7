import django_filters

from assessments.catalog.models import Period, PeriodStatus


class PeriodFilter(django_filters.FilterSet):
    framework = django_filters.CharFilter(field_name="framework_code", help_text="Framework code")
    year = django_filters.NumberFilter(field_name="year")
    status = django_filters.ChoiceFilter(choices=PeriodStatus.choices)

    class Meta:
        model = Period
        fields = ["framework", "year", "status"]
