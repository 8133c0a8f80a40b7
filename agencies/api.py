from django.db.models import Count
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from govit.dates import ISO, parse_day

from .codes import normalize_code
from .filters import AgencyFilter
from .models import Agency
from .selectors import agency_by_code, lineage_of
from .serializers import AgencyDetailSerializer, AgencySerializer


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The national registry. Every signed-in user may read agencies (roles.md)."""

    serializer_class = AgencySerializer
    filterset_class = AgencyFilter
    ordering_fields = ["code", "name_vi", "valid_from"]
    ordering = ["code", "valid_from"]
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return Agency.objects.select_related("parent").annotate(children_count=Count("children"))

    @extend_schema(
        responses=AgencyDetailSerializer,
        parameters=[
            OpenApiParameter(
                "active_on", OpenApiTypes.DATE, description="The agency carrying this code on that date."
            )
        ]
    )
    def retrieve(self, request, *args, **kwargs):
        agency = self.get_object()
        context = {**self.get_serializer_context(), "lineage": lineage_of(agency)}
        return Response(AgencyDetailSerializer(agency, context=context).data)

    def get_object(self):
        raw_date = self.request.query_params.get("active_on")
        day = parse_day(raw_date, ISO)
        if raw_date and day is None:
            raise ValidationError({"active_on": ["YYYY-MM-DD"]})
        agency = agency_by_code(normalize_code(self.kwargs["code"]), day)
        if agency is None:
            raise Http404
        return agency
