"""/catalogs/: the administrators' pages of catalogs and periods."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.catalogs, name="catalog-list"),
    path("<str:code>/periods/", views.catalog_periods, name="catalog-periods"),
    path("periods/<int:pk>/deadline/", views.period_deadline, name="period-deadline"),
    path("periods/<int:pk>/status/", views.period_status, name="period-status"),
]
