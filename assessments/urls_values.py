"""Web pages for indicator values: data entry per pillar, the reviewer queue, completeness."""

from django.urls import path

urlpatterns: list = []
