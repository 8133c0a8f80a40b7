from django.urls import path

from assessments.catalog import views as catalog_views
from assessments.scores import views

urlpatterns = [
    path("", views.ranking, name="score-ranking"),
    path("method/", catalog_views.method, name="score-method"),
    path("runs/", views.start_run, name="score-run-start"),
    path("runs/status/", views.run_status, name="score-run-status"),
    path("agencies/<str:code>/", views.agency_scores, name="agency-score-page"),
]
