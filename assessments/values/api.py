"""/api/v1/values/ and /exports/values.* (api.md): reporting indicator values, and the values as a file.

Errors: 400 field errors {"value": ["..."]} (bulk: {"errors": [{row, column, message, ...}]}); 403 when
the role may not; 404 outside the caller's scope; 409 {"detail", "code", "current_version", "status"}
on a wrong state, a closed period or a stale version. Messages follow Accept-Language.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.encoding import force_str
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from agencies.codes import normalize_code
from agencies.selectors import agency_by_code
from assessments.catalog.selectors import latest_framework, period_of
from assessments.values import services
from assessments.values.exports import EXPORT_COLUMNS, XLSX_TYPE, export_response
from assessments.values.fields import is_blank
from assessments.values.filters import ValueFilter
from assessments.values.importer import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from assessments.values.models import IndicatorValue
from assessments.values.selectors import visible_values
from assessments.values.serializers import (
    BulkErrorsSerializer,
    BulkFileSerializer,
    BulkResultSerializer,
    BulkRowsSerializer,
    IndicatorValueSerializer,
    RejectSerializer,
    TransitionSerializer,
    ValueConflictSerializer,
    ValueWriteSerializer,
)
from assessments.values.spreadsheets import MAX_ROWS
from govit.errors import Conflict, InputError, InputRejected, field_errors
from govit.i18n import _
from govit.tabular import read_dicts

CONFLICT = OpenApiResponse(ValueConflictSerializer,
                           description="Wrong state for the action, a closed period, or a stale version.")


@extend_schema_view(
    list=extend_schema(summary="Indicator values visible to the caller",
                       description="The agency scope's values of any status, everyone's verified values; "
                                   "reviewers and admins see all."),
    retrieve=extend_schema(summary="One indicator value"),
)
class IndicatorValueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = IndicatorValueSerializer
    filterset_class = ValueFilter
    ordering_fields = ["updated_at", "agency__code", "indicator__code", "status"]
    ordering = ["period__year", "agency__code", "indicator__order", "id"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return visible_values(self.request.user).select_related(
            "agency", "period", "indicator__framework", "updated_by")

    def get_object(self):
        try:
            return self.get_queryset().get(pk=int(self.kwargs["pk"]))
        except (IndicatorValue.DoesNotExist, ValueError, OverflowError):
            raise Http404 from None

    def handle_exception(self, exc):
        if isinstance(exc, InputRejected):
            if self.action == "bulk":
                return Response({"errors": [e.as_dict() for e in exc.errors]}, status=status.HTTP_400_BAD_REQUEST)
            exc = exceptions.ValidationError(field_errors(exc))
        elif isinstance(exc, Conflict):
            value = getattr(self, "_value", None)
            if value is not None:
                value.refresh_from_db(fields=["version", "status"])
            return Response({"detail": force_str(exc.message), "code": "conflict",
                             "current_version": value.version if value else None,
                             "status": value.status if value else None}, status=status.HTTP_409_CONFLICT)
        elif isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(force_str(exc.args[0]) if exc.args else None)
        return super().handle_exception(exc)

    def _out(self, value, code=status.HTTP_200_OK) -> Response:
        value = self.get_queryset().get(pk=value.pk)
        return Response(IndicatorValueSerializer(value, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ValueWriteSerializer,
                   responses={201: IndicatorValueSerializer, 200: IndicatorValueSerializer, 409: CONFLICT},
                   summary="Create or edit the caller's draft value (agency staff and leads, in scope)",
                   description="201 when created, 200 when edited. Editing an existing value needs `version`, the "
                               "version the edit is based on; a stale version gives 409. With `na_reason` and no value "
                               "the draft claims the indicator does not apply; a value clears the claim.")
    def create(self, request, *args, **kwargs):
        ask = ValueWriteSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        data = ask.validated_data
        errors: list[InputError] = []
        agency = agency_by_code(normalize_code(data["agency"]))
        if agency is None:
            errors.append(InputError(_("Unknown agency “%(code)s”.") % {"code": data["agency"]}, where="agency"))
        framework = latest_framework(data["framework"])
        period = indicator = None
        if framework is None:
            errors.append(InputError(_("No framework with code “%(code)s” is loaded.") % {"code": data["framework"]},
                                     where="framework"))
        else:
            period = period_of(framework.code, data["period"])
            if period is None:
                errors.append(InputError(_("There is no period %(year)s for %(code)s; open it first.")
                                         % {"year": data["period"], "code": framework.code}, where="period"))
            indicator = framework.indicators.select_related("framework").filter(
                code__iexact=data["indicator"].strip()).first()
            if indicator is None:
                errors.append(InputError(_("Unknown indicator code “%(code)s” in this framework.")
                                         % {"code": data["indicator"]}, where="indicator"))
        if errors:
            raise InputRejected(errors)
        expected = data.get("version")
        note, evidence_url = data.get("note") or "", data.get("evidence_url") or ""
        if is_blank(data.get("na_reason")):
            value = services.save_value(
                request.user, agency, indicator, period,
                value=data.get("value"), numerator=data.get("numerator"), denominator=data.get("denominator"),
                note=note, evidence_url=evidence_url, expected_version=expected,
            )
        elif any(not is_blank(data.get(name)) for name in ("value", "numerator", "denominator")):
            raise InputRejected([InputError(services.VALUE_AND_CLAIM, where="na_reason")])
        else:
            value = services.claim_not_applicable(request.user, agency, indicator, period, data["na_reason"],
                                                  expected, note=note, evidence_url=evidence_url)
        # With no version (or 0) save_value only succeeds by creating the value.
        created = expected in (None, 0)
        return self._out(value, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        request={"multipart/form-data": BulkFileSerializer, "application/json": BulkRowsSerializer},
        responses={200: BulkResultSerializer, 400: BulkErrorsSerializer, 409: CONFLICT},
        summary="Import many values at once, all or nothing",
        description="Either `file` (multipart, CSV or XLSX as formats.md §2) or `rows` (JSON, dicts with the CSV "
                    "columns). Every bad row is reported as {row, column, message}; nothing is saved then.",
    )
    @action(detail=False, methods=["post"], filter_backends=[], parser_classes=[JSONParser, MultiPartParser])
    def bulk(self, request):
        upload = request.data.get("file") if hasattr(request.data, "get") else None
        if upload is not None and not isinstance(upload, str):
            data = _valid(BulkFileSerializer(data=request.data))
            summary = services.import_values(
                data["file"].read(), data["framework"], data["period"], data["status"], request.user,
                filename=data["file"].name)
            return Response(summary)
        data = _valid(BulkRowsSerializer(data=request.data))
        if len(data["rows"]) > MAX_ROWS:
            raise InputRejected([InputError(_("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS},
                                            where="rows")])
        return Response(_import_rows(data["rows"], data["framework"], data["period"], data["status"], request.user))

    def _transition(self, request, serializer_class, perform) -> Response:
        value = self._value = self.get_object()
        ask = serializer_class(data=request.data if hasattr(request.data, "get") else {})
        ask.is_valid(raise_exception=True)
        return self._out(perform(value, ask.validated_data))

    @extend_schema(request=TransitionSerializer, responses={200: IndicatorValueSerializer, 409: CONFLICT},
                   summary="Submit (agency lead): draft or rejected → submitted")
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request, pk=None):
        return self._transition(request, TransitionSerializer,
                                lambda v, d: services.submit_value(request.user, v, d.get("version")))

    @extend_schema(request=TransitionSerializer, responses={200: IndicatorValueSerializer, 409: CONFLICT},
                   summary="Verify (reviewer outside the agency): submitted → verified")
    @action(detail=True, methods=["post"], filter_backends=[])
    def verify(self, request, pk=None):
        return self._transition(request, TransitionSerializer,
                                lambda v, d: services.verify_value(request.user, v, d.get("version")))

    @extend_schema(request=RejectSerializer, responses={200: IndicatorValueSerializer, 409: CONFLICT},
                   summary="Reject with a reason (reviewer outside the agency): submitted → rejected")
    @action(detail=True, methods=["post"], filter_backends=[])
    def reject(self, request, pk=None):
        return self._transition(request, RejectSerializer,
                                lambda v, d: services.reject_value(request.user, v, d["reason"], d.get("version")))


def _valid(serializer) -> dict:
    """The bulk request's own fields; their errors in the bulk error format {"errors": [{row, column, ...}]}."""
    if serializer.is_valid():
        return serializer.validated_data
    errors = []

    def walk(detail, where):
        if isinstance(detail, dict):
            for key, sub in detail.items():
                walk(sub, f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}" if where else str(key))
        elif isinstance(detail, list):
            for i, sub in enumerate(detail):
                walk(sub, f"{where}[{i}]" if isinstance(sub, dict | list) else where)
        else:
            errors.append(InputError(str(detail), where=where or None))

    walk(serializer.errors, "")
    raise InputRejected(errors)


def _import_rows(rows: list[dict], framework_code: str, year: int, status_: str, user) -> dict[str, int]:
    """JSON rows through the same checks and planner as a file's (services.import_rows), as if they were a CSV."""
    services.check_import(framework_code, year, status_, user)
    if not rows:
        raise InputRejected([InputError(_("The file has a header but no data rows."), where="rows")])
    table = read_dicts(rows, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    return services.import_rows(table, framework_code, year, status_, user).summary()


# GET /api/v1/exports/values.csv and .xlsx: named like the score exports of api.md (/exports/scores.*), same
# filters and visibility as /api/v1/values/; streamed, one query read in chunks whatever the number of rows.
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
