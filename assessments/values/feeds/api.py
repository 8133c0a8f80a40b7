"""POST /api/v1/feeds/{source}/observations/: a source's batch of observations (issue 14)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.values.feeds import services
from assessments.values.feeds.auth import SourceAuthentication, SourceThrottle
from assessments.values.feeds.models import FeedSource
from govit.errors import InputRejected
from govit.i18n import _


class IsTheSource(BasePermission):
    """The key authenticates the source named in the path, and only it."""

    def has_permission(self, request, view):
        source = request.auth
        if not isinstance(source, FeedSource):
            return False
        if source.code != view.kwargs["source"]:
            raise exceptions.PermissionDenied(_("This key belongs to another source."))
        return True


class ObservationSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    agency = serializers.CharField(required=False, help_text="The source's agency code (optional)")
    observed_at = serializers.DateTimeField()
    value = serializers.CharField(required=False, help_text="percent, count, level or yes/no")
    numerator = serializers.IntegerField(required=False)
    denominator = serializers.IntegerField(required=False)
    idempotency_key = serializers.CharField(max_length=services.MAX_KEY)


SUMMARY = inline_serializer("FeedSummary", {name: serializers.IntegerField() for name in
                                            ("received", "created", "duplicates", "values_written")})


class ObservationIngest(APIView):
    authentication_classes = [SourceAuthentication]
    permission_classes = [IsTheSource]
    throttle_classes = [SourceThrottle]
    parser_classes = [JSONParser]

    @extend_schema(
        request=inline_serializer("FeedBatch", {"observations": ObservationSerializer(many=True)}),
        responses={200: SUMMARY, 400: OpenApiResponse(description="Every wrong item: index, field, message"),
                   403: OpenApiResponse(description="An item outside the source's agency or indicators")},
    )
    def post(self, request, source):
        body = request.data
        items = body.get("observations") if isinstance(body, dict) else None
        return Response(services.ingest(request.auth, items))

    def handle_exception(self, exc):
        if isinstance(exc, InputRejected):
            return Response({"errors": [_item_error(e) for e in exc.errors]}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


def _item_error(error) -> dict:
    out = error.as_dict()
    return {"index": out.pop("row"), "field": out.pop("column"), **out}
