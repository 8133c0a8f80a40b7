"""Web pages for indicator values: data entry per pillar, the reviewer queue, completeness."""

from django.urls import path

from . import views_completeness, views_entry, views_review

urlpatterns = [
    path("", views_entry.values_home, name="values-home"),
    path("entry/", views_entry.entry, name="values-entry"),
    path("evidence/<int:pk>/", views_entry.evidence_file, name="values-evidence-file"),
    path("review/", views_review.review, name="values-review"),
    path("completeness/", views_completeness.completeness_view, name="values-completeness"),
]
