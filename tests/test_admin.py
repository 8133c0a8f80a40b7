"""The admin is titled GovIT and names every model of the project in Vietnamese (English msgids translated)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

PROJECT_APPS = ("agencies", "assessments", "plans", "notifications")


def project_models():
    """The project's models, without simple_history's shadow tables (not in the admin: read from each object's
    history page)."""
    return [m for m in apps.get_models()
            if m._meta.app_label in PROJECT_APPS and not m.__name__.startswith("Historical")]


def test_site_titles():
    assert admin.site.site_header == admin.site.site_title == "GovIT"
    with translation.override("vi"):
        assert str(admin.site.index_title) == "Quản trị"


@pytest.mark.parametrize("model", project_models(), ids=lambda m: m.__name__)
def test_every_model_is_named_in_vietnamese(model):
    with translation.override("en"):
        english = (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
    with translation.override("vi"):
        vietnamese = (str(model._meta.verbose_name), str(model._meta.verbose_name_plural))
    for en, vi in zip(english, vietnamese, strict=True):
        assert vi != en, f"{model.__name__}: “{en}” is not translated"
        assert any(ord(c) > 127 for c in vi), f"{model.__name__}: “{vi}” has no Vietnamese letters"
        assert not en.endswith("ys"), f"{model.__name__}: “{en}”"


def test_admin_index_in_vietnamese(client, make_user):
    client.force_login(make_user("quantri", "admin"))
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "GovIT" in page and "authoritys" not in page.lower()
    assert "Cơ quan thẩm định" in page and "Người dùng" in page
