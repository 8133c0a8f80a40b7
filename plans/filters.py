import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.codes import normalize_code
from agencies.text import fold

from .models import Plan, PlanKind, PlanStatus


class StatusInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """`status=submitted` or several at once: `status=submitted,under_review`."""


class PlanFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(method="filter_agency", help_text=_("Code of the agency."))
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices)
    status = StatusInFilter(choices=PlanStatus.choices, help_text=_("Status; several separated by commas."))
    period_start = django_filters.NumberFilter(help_text=_("First year of the five-year period (2021, 2026, ...)."))
    year = django_filters.NumberFilter(help_text=_("Year of an annual plan."))
    search = django_filters.CharFilter(method="filter_search",
                                       help_text=_("Title, or agency name or code (accent-insensitive)."))

    class Meta:
        model = Plan
        fields = ["agency", "kind", "status", "period_start", "year", "search"]

    def filter_agency(self, qs, name, value):
        return qs.filter(agency__code=normalize_code(value))

    def filter_search(self, qs, name, value):
        return qs.filter(Q(title__icontains=value.strip()) | Q(agency__search_text__contains=fold(value)))
