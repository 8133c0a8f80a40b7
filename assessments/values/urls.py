"""Web pages under /values/: data entry per pillar, the reviewer queue, completeness, and value files (upload with
a preview before confirming, templates to fill in, exports)."""

from django.urls import path

from assessments.values.views import completeness, entry, files, review

urlpatterns = [
    path("", entry.values_home, name="values-home"),
    path("entry/", entry.entry, name="values-entry"),
    path("evidence/<int:pk>/", entry.evidence_file, name="values-evidence-file"),
    path("review/", review.review, name="values-review"),
    path("completeness/", completeness.completeness_view, name="values-completeness"),
    path("files/upload/", files.upload, name="values-upload"),
    path("files/upload/<str:token>/", files.upload_preview, name="values-upload-preview"),
    path("files/upload/<str:token>/check/", files.upload_check, name="values-upload-check"),
    path("files/upload/<str:token>/confirm/", files.upload_confirm, name="values-upload-confirm"),
    path("files/template/", files.template_download, name="values-template"),
    path("files/export/", files.export, name="values-export"),
]
