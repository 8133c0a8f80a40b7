from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.directory, name="agency-directory"),
    path("agencies/<str:code>/", views.detail, name="agency-detail"),
    path("agencies/<str:code>/children/", views.children, name="agency-children"),
]
