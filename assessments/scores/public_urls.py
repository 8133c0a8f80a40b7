"""/public/ pages (assessments.scores.public); every one is a 404 while PUBLIC_RANKINGS is off."""

from django.urls import path

from assessments.scores import public

urlpatterns = [
    path("rankings/", public.rankings, name="public-rankings"),
    path("rankings/<str:framework>/<int:period>/", public.ranking, name="public-ranking"),
    path("rankings/<str:framework>/<int:period>.csv", public.ranking_csv, name="public-ranking-csv"),
    path("rankings/<str:framework>/<int:period>.json", public.ranking_json, name="public-ranking-json"),
    path("method/<str:framework>/", public.method, name="public-method"),
]
