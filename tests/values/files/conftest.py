"""Fixtures of the value-file pages: the sample catalog and agencies, users by role, uploads in a temp dir."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.values.conftest import VALUES_CSV, agencies, framework, period  # noqa: F401 - shared fixtures

G12 = "000.00.00.G12"  # Bộ Tài chính (ministry)
H29 = "000.00.00.H29"  # TP Hồ Chí Minh (province)
HEADER = b"agency_code,indicator_code,value,numerator,denominator,note,evidence_url\n"


def only(data: bytes, fragment: bytes) -> bytes:
    """The header and the lines of the sample containing `fragment`."""
    lines = data.splitlines(keepends=True)
    return lines[0] + b"".join(line for line in lines[1:] if fragment in line)


G12_CSV = only(VALUES_CSV, G12.encode())  # 5 rows


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "value-uploads"


@pytest.fixture
def web(make_user, agencies, period):  # noqa: F811
    """A signed-in browser-like client of a fresh user of the given role."""

    def client(role="agency_staff", agency=G12, name=None):
        c = Client()
        c.user = make_user(name or f"{role}-{agency}", role, agency)
        c.force_login(c.user)
        return c

    return client


def upload(client, data: bytes, filename="values.csv", status="draft", framework_code="SAMPLE", year="2024"):
    """POST the upload form; the token of the preview it redirects to (or the response when refused)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("values-upload"), {
        "framework": framework_code, "period": year, "status": status,
        "file": SimpleUploadedFile(filename, data)})
    if response.status_code != 302:
        return response
    return response.url.rstrip("/").rsplit("/", 1)[-1]


def check(client, token):
    """Run the check as the preview page's htmx request does; the partial it answers."""
    return client.get(reverse("values-upload-check", args=[token]), headers={"HX-Request": "true"})
