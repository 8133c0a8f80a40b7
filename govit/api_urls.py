from django.urls import path
from rest_framework.routers import DefaultRouter

from agencies.api import AgencyViewSet
from assessments.catalog import api as catalog_api
from assessments.scores import api as scores_api
from assessments.scores import public
from assessments.values import api as values_api
from assessments.values.feeds.api import ObservationIngest
from plans.api import PlanViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("agencies", AgencyViewSet, basename="agency")
router.register("plans", PlanViewSet, basename="plan")
router.register("frameworks", catalog_api.FrameworkViewSet, basename="framework")
router.register("periods", catalog_api.PeriodViewSet, basename="period")
router.register("values", values_api.IndicatorValueViewSet, basename="value")
router.register("score-runs", scores_api.ScoreRunViewSet, basename="score-run")

urlpatterns = [
    path("scores/", scores_api.ScoreList.as_view(), name="score-list"),
    path("scores/<str:agency_code>/<int:period>/breakdown/", scores_api.ScoreBreakdown.as_view(),
         name="score-breakdown"),
    path("agencies/<str:code>/scores/", scores_api.AgencyScoreHistory.as_view(), name="agency-scores"),
    path("public/scores/", public.PublicScoreList.as_view(), name="public-score-list"),
    path("exports/scores.csv", scores_api.ScoreExportCsv.as_view(), name="export-scores-csv"),
    path("exports/scores.xlsx", scores_api.ScoreExportXlsx.as_view(), name="export-scores-xlsx"),
    path("exports/values.csv", values_api.ValueExportCsv.as_view(), name="export-values-csv"),
    path("exports/values.xlsx", values_api.ValueExportXlsx.as_view(), name="export-values-xlsx"),
    path("feeds/<str:source>/observations/", ObservationIngest.as_view(), name="feed-observations"),
    *router.urls,
]
