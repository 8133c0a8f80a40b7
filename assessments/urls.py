from django.urls import path

from . import views_scores

urlpatterns = [
    path("", views_scores.ranking, name="score-ranking"),
    path("agencies/<str:code>/", views_scores.agency_scores, name="agency-score-page"),
]
