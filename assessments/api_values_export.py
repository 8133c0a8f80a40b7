"""GET /api/v1/exports/values.csv and /exports/values.xlsx: the values the caller may see, as a file.

Named like the score exports of api.md (/exports/scores.*); same filters and visibility as
/api/v1/values/. Streamed: one query read in chunks whatever the number of rows.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView

from .filters_values import ValueFilter
from .models import IndicatorValue
from .selectors import visible_values
from .serializers_values import IndicatorValueSerializer
from .values_export import EXPORT_COLUMNS, XLSX_TYPE, export_response

DESCRIPTION = ("Columns: " + ", ".join(EXPORT_COLUMNS) + ". The caller's scope's values of any status and "
               "everyone's verified values (reviewers and admins: all), as GET /api/v1/values/. Text cells that "
               "begin like a formula (= + - @) are escaped with a leading apostrophe. The file name carries the "
               "framework, period and agency filters.")


class ValueExport(ListAPIView):
    serializer_class = IndicatorValueSerializer  # the filters' schema only; the answer is a file
    filter_backends = [DjangoFilterBackend]
    filterset_class = ValueFilter
    pagination_class = None
    fmt = "csv"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return IndicatorValue.objects.none()
        return visible_values(self.request.user)

    def get(self, request, *args, **kwargs):
        return export_response(self.filter_queryset(self.get_queryset()), self.fmt, request.query_params)


class ValueExportCsv(ValueExport):
    @extend_schema(summary="Indicator values as CSV", description=DESCRIPTION, filters=True,
                   responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ValueExportXlsx(ValueExport):
    fmt = "xlsx"

    @extend_schema(summary="Indicator values as XLSX", description=DESCRIPTION, filters=True,
                   responses={(200, XLSX_TYPE): OpenApiTypes.BINARY})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
