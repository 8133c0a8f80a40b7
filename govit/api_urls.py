from django.urls import path
from rest_framework.routers import DefaultRouter

from agencies.api import AgencyViewSet
from assessments import api_scores, api_values, api_values_export
from plans.api import PlanViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("agencies", AgencyViewSet, basename="agency")
router.register("plans", PlanViewSet, basename="plan")
router.register("frameworks", api_values.FrameworkViewSet, basename="framework")
router.register("periods", api_values.PeriodViewSet, basename="period")
router.register("values", api_values.IndicatorValueViewSet, basename="value")
router.register("score-runs", api_scores.ScoreRunViewSet, basename="score-run")

urlpatterns = [
    path("scores/", api_scores.ScoreList.as_view(), name="score-list"),
    path("scores/<str:agency_code>/<int:period>/breakdown/", api_scores.ScoreBreakdown.as_view(),
         name="score-breakdown"),
    path("agencies/<str:code>/scores/", api_scores.AgencyScoreHistory.as_view(), name="agency-scores"),
    path("exports/scores.csv", api_scores.ScoreExportCsv.as_view(), name="export-scores-csv"),
    path("exports/scores.xlsx", api_scores.ScoreExportXlsx.as_view(), name="export-scores-xlsx"),
    path("exports/values.csv", api_values_export.ValueExportCsv.as_view(), name="export-values-csv"),
    path("exports/values.xlsx", api_values_export.ValueExportXlsx.as_view(), name="export-values-xlsx"),
    *router.urls,
]
