"""Web pages for value files: upload with a preview before confirming, templates, exports."""

from django.urls import path

from . import views_files

urlpatterns = [
    path("upload/", views_files.upload, name="values-upload"),
    path("upload/<str:token>/", views_files.upload_preview, name="values-upload-preview"),
    path("upload/<str:token>/check/", views_files.upload_check, name="values-upload-check"),
    path("upload/<str:token>/confirm/", views_files.upload_confirm, name="values-upload-confirm"),
    path("template/", views_files.template_download, name="values-template"),
    path("export/", views_files.export, name="values-export"),
]
