"""Scores, breakdowns, score runs and ranking exports (api.md)."""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from agencies.codes import normalize_code
from assessments.catalog.selectors import latest_framework, period_of
from assessments.scores import runs
from assessments.scores.cache import cached_page
from assessments.scores.exports import score_rows_csv, score_rows_xlsx
from assessments.scores.filters import ScoreFilter
from assessments.scores.models import AgencyScore, ScoreRun
from assessments.scores.selectors import breakdown_lines, one_ranking, pillar_names, published_scores
from assessments.scores.serializers import (
    BreakdownSerializer,
    ScoreRunRequestSerializer,
    ScoreRunSerializer,
    ScoreSerializer,
)


class ScoresQuerysetMixin:
    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, maybe no tables
            return AgencyScore.objects.none()
        return self.scores()


class PillarNamesMixin:
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._page = page if page is not None else list(queryset)
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        rows = getattr(self, "_page", None)
        if rows is not None:
            context["pillar_names"] = pillar_names(r.framework_id for r in rows)
        return context


class CachedPagesMixin:
    """Pages served from assessments.scores.cache until the next run publishes, as rendered JSON."""

    def list(self, request, *args, **kwargs):
        def render() -> bytes:
            return JSONRenderer().render(super(CachedPagesMixin, self).list(request, *args, **kwargs).data)

        return HttpResponse(cached_page(request, render), content_type="application/json")


# Rankings in catalog order; no model's default ordering (Framework's loaded_at) so that, once a
# framework and a period are chosen, PostgreSQL walks the score_ranking index instead of sorting.
RANKING_ORDER = ("framework__code", "period__year", "group", "rank", "agency_code")


class ScoreList(CachedPagesMixin, ScoresQuerysetMixin, PillarNamesMixin, ListAPIView):
    """Published readiness scores; every signed-in user may read them (roles.md)."""

    serializer_class = ScoreSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ScoreFilter

    def scores(self):
        return published_scores().order_by(*RANKING_ORDER)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        params = self.request.query_params
        if params.get("ordering"):
            return queryset
        return one_ranking(queryset, params.get("framework", ""), params.get("period", ""))


class AgencyScoreHistory(CachedPagesMixin, ScoresQuerysetMixin, PillarNamesMixin, ListAPIView):
    """The scores of the agencies carrying this code, across periods."""

    serializer_class = ScoreSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ScoreFilter

    def scores(self):
        code = normalize_code(self.kwargs["code"])
        return published_scores().filter(agency__code=code).order_by("framework__code", "period__year")


class ScoreBreakdown(RetrieveAPIView):
    """Per indicator: the value used, s, points, max points, status and legal basis."""

    serializer_class = BreakdownSerializer

    @extend_schema(parameters=[OpenApiParameter("framework", OpenApiTypes.STR,
                                                description="Framework code; needed when several were scored")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        qs = published_scores().defer(None).filter(
            agency__code=normalize_code(self.kwargs["agency_code"]), period__year=self.kwargs["period"]
        )
        framework = self.request.query_params.get("framework")
        if framework:
            qs = qs.filter(framework__code=framework)
        scores = list(qs[:2])
        if not scores:
            raise Http404
        if len(scores) > 1:
            raise ValidationError({"framework": [_("Several frameworks were scored; choose one with ?framework=.")]})
        score = scores[0]
        score.breakdown = breakdown_lines(score, self.request.user)
        return score

    def retrieve(self, request, *args, **kwargs):
        score = self.get_object()
        context = {**self.get_serializer_context(), "pillar_names": pillar_names([score.framework_id])}
        return Response(BreakdownSerializer(score, context=context).data)


class IsReviewerOrAdmin(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_reviewer_or_admin)


class ScoreRunViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin,
                      viewsets.GenericViewSet):
    """Start a run (202 with the run) and poll it; reviewers and admins only."""

    serializer_class = ScoreRunSerializer
    permission_classes = [IsAuthenticated, IsReviewerOrAdmin]
    filter_backends = []
    queryset = ScoreRun.objects.select_related("framework", "period", "started_by").order_by("-requested_at")

    @extend_schema(request=ScoreRunRequestSerializer, responses={202: ScoreRunSerializer})
    def create(self, request, *args, **kwargs):
        ask = ScoreRunRequestSerializer(data=request.data)
        ask.is_valid(raise_exception=True)
        framework = latest_framework(ask.validated_data["framework"])
        if framework is None:
            raise ValidationError({"framework": [_("Unknown framework.")]})
        period = period_of(framework.code, ask.validated_data["period"])
        if period is None:
            raise ValidationError({"period": [_("This framework has no period for that year.")]})
        run, _created = runs.request_run(framework, period, user=request.user)
        run.refresh_from_db()
        return Response(ScoreRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class ScoreExport(ScoresQuerysetMixin, ListAPIView):
    """The ranking as a file, with the same filters as /scores/."""

    serializer_class = ScoreSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ScoreFilter
    pagination_class = None
    render_rows = staticmethod(score_rows_csv)

    def scores(self):
        return published_scores().order_by(*RANKING_ORDER)

    def get(self, request, *args, **kwargs):
        return self.render_rows(self.filter_queryset(self.get_queryset()))


class ScoreExportCsv(ScoreExport):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ScoreExportXlsx(ScoreExport):
    render_rows = staticmethod(score_rows_xlsx)

    @extend_schema(responses={
        (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY
    })
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
