"""/api/v1/frameworks/ and /periods/ (api.md): the requirement catalogs and the assessment periods."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from assessments.catalog.filters import PeriodFilter
from assessments.catalog.models import Framework, Indicator, LegalBasis, Period, Pillar
from assessments.catalog.selectors import latest_framework, version_key
from assessments.catalog.serializers import FrameworkDetailSerializer, FrameworkSerializer, PeriodSerializer


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Requirement catalogs: the latest version of each code; every signed-in user may read them."""

    serializer_class = FrameworkSerializer
    filter_backends = []
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        latest = {}
        for fw in Framework.objects.only("id", "code", "version"):
            if fw.code not in latest or version_key(fw.version) > version_key(latest[fw.code].version):
                latest[fw.code] = fw
        return Framework.objects.filter(pk__in=[fw.pk for fw in latest.values()]).order_by("code")

    @extend_schema(responses=FrameworkDetailSerializer, parameters=[
        OpenApiParameter("version", OpenApiTypes.STR, description="Another version than the latest")])
    def retrieve(self, request, *args, **kwargs):
        code = self.kwargs["code"]
        version = request.query_params.get("version")
        framework = (Framework.objects.filter(code=code, version=version).first() if version
                     else latest_framework(code))
        if framework is None:
            raise Http404
        framework = Framework.objects.prefetch_related(
            "legal_sources",
            Prefetch("pillars", queryset=Pillar.objects.order_by("order").prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.order_by("order").prefetch_related(
                    Prefetch("legal_basis", queryset=LegalBasis.objects.select_related("source").order_by("order"))
                ))
            )),
        ).get(pk=framework.pk)
        versions = sorted(Framework.objects.filter(code=code).values_list("version", flat=True), key=version_key)
        context = {**self.get_serializer_context(), "versions": versions}
        return Response(FrameworkDetailSerializer(framework, context=context).data)


class PeriodViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Assessment periods (a year of a framework code)."""

    serializer_class = PeriodSerializer
    queryset = Period.objects.all()
    filterset_class = PeriodFilter
    ordering_fields = ["year", "deadline", "framework_code"]
    ordering = ["framework_code", "year"]
