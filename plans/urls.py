from django.urls import path

from . import views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("review/", views.plan_queue, name="plan-queue"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/autosave/", views.plan_autosave, name="plan-autosave"),
    path("<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("<int:pk>/act/<str:action>/", views.plan_act, name="plan-act"),
    path("<int:pk>/amend/", views.plan_amend, name="plan-amend"),
    path("<int:pk>/review/", views.plan_review, name="plan-review"),
    path("<int:pk>/comments/", views.plan_comment, name="plan-comment"),
    path("<int:pk>/history/", views.plan_history, name="plan-history"),
    path("<int:pk>/diff/", views.plan_diff, name="plan-diff"),
    path("<int:pk>/plan.pdf", views.plan_download, {"file": "pdf"}, name="plan-pdf"),
    path("<int:pk>/plan.docx", views.plan_download, {"file": "docx"}, name="plan-docx"),
    path("<int:pk>/tasks.xlsx", views.plan_download, {"file": "xlsx"}, name="plan-xlsx"),
]
