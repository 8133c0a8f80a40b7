from django.urls import path

from . import views_method, views_scores

urlpatterns = [
    path("", views_scores.ranking, name="score-ranking"),
    path("method/", views_method.method, name="score-method"),
    path("runs/", views_scores.start_run, name="score-run-start"),
    path("runs/status/", views_scores.run_status, name="score-run-status"),
    path("agencies/<str:code>/", views_scores.agency_scores, name="agency-score-page"),
]
