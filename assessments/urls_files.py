"""Web pages for value files: upload with a preview before confirming, templates, exports."""

from django.urls import path

urlpatterns: list = []
