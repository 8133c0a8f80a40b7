"""The administrators' catalogs pages: loading a catalog YAML, opening, moving, closing and reopening periods."""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.catalog.forms import MAX_CATALOG_BYTES
from assessments.catalog.models import Framework, Indicator, Period, PeriodStatus
from assessments.values.services import save_value
from govit.errors import Conflict
from tests.values.conftest import FRAMEWORK_YAML

LIST = reverse("catalog-list")
PERIODS = reverse("catalog-periods", kwargs={"code": "SAMPLE"})
# The sample catalog in force 2021–2025 only, under another version (its content differs from the sample's).
BOUNDED_YAML = FRAMEWORK_YAML.replace(b'version: "2024.1"', b'version: "2025.1"\nvalid_from: 2021-01-01\n'
                                                         b"valid_to: 2025-12-31")


@pytest.fixture
def admin(as_user, make_user):
    return as_user(make_user("root", "admin"))


def upload(client, content: bytes, name: str = "catalog.yaml"):
    return client.post(LIST, {"file": SimpleUploadedFile(name, content, "application/yaml")})


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def errors_of(response) -> list[tuple[str | None, str]]:
    return [(e.where, str(e.message)) for e in response.context["errors"]]  # messages: in the page's content


@pytest.mark.django_db
def test_admin_loads_a_catalog_then_the_same_again_is_unchanged(admin):
    response = upload(admin, FRAMEWORK_YAML)
    assert response.status_code == 302
    framework = Framework.objects.get()
    assert (framework.code, framework.version) == ("SAMPLE", "2024.1")
    page = admin.get(LIST)
    assert "đã được nạp" in page.content.decode()  # the message, in Vietnamese (the default language)
    row = next(f for f in page.context["frameworks"] if f.pk == framework.pk)
    assert (row.pillar_count, row.indicator_count) == (framework.pillars.count(), framework.indicators.count())
    assert upload(in_english(admin), FRAMEWORK_YAML).status_code == 302
    assert Framework.objects.count() == 1
    assert "nothing changed" in admin.get(LIST).content.decode()


@pytest.mark.django_db
def test_a_bad_catalog_shows_every_error_with_its_yaml_path_and_saves_nothing(admin):
    bad = FRAMEWORK_YAML.replace(b"max_points: 10", b"max_points: -3").replace(b"type: ratio", b"type: fraction")
    response = upload(admin, bad)
    assert response.status_code == 400
    places = {where for where, _message in errors_of(response)}
    assert {"pillars[0].indicators[0].max_points", "pillars[0].indicators[1].type"} <= places
    assert "pillars[0].indicators[0].max_points" in response.content.decode()
    assert not Framework.objects.exists() and not Indicator.objects.exists()


@pytest.mark.django_db
def test_errors_are_in_the_readers_language(admin):
    assert "Bộ tiêu chí trống." in upload(admin, b"").content.decode()
    assert "The catalog is empty." in upload(in_english(admin), b"").content.decode()


@pytest.mark.parametrize("content", [
    b"",  # empty
    b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",  # binary
    b"\x00\x01\x02",  # control characters
    b"code: A\ncode: B\n",  # duplicate keys
    b"- just\n- a list\n",
    b"code: [unclosed\n",
])
@pytest.mark.django_db
def test_odd_files_are_refused_with_a_message_never_a_500(admin, content):
    response = upload(admin, content)
    assert response.status_code == 400 and errors_of(response)
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_a_bom_and_nfd_diacritics_load_like_the_plain_file(admin):
    import unicodedata

    nfd = unicodedata.normalize("NFD", FRAMEWORK_YAML.decode()).encode()
    assert upload(admin, b"\xef\xbb\xbf" + nfd).status_code == 302
    assert upload(admin, FRAMEWORK_YAML).status_code == 302  # the same content: unchanged
    assert Framework.objects.count() == 1


@pytest.mark.django_db
def test_a_file_over_the_cap_or_missing_is_refused(admin):
    response = upload(admin, b"#" * (MAX_CATALOG_BYTES + 1))
    assert response.status_code == 400 and errors_of(response)[0][0] == "file"
    assert admin.post(LIST, {}).status_code == 400
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_open_move_close_and_reopen_a_period(admin, agencies, framework, make_user, indicator):
    assert admin.post(PERIODS, {"year": "2024", "deadline": "15/04/2025"}).status_code == 302
    period = Period.objects.get(framework_code="SAMPLE", year=2024)
    assert period.deadline == datetime.date(2025, 4, 15) and period.is_open
    assert admin.post(PERIODS, {"year": "2025", "deadline": ""}).status_code == 302  # the default deadline
    assert Period.objects.get(year=2025).deadline == datetime.date(2026, 3, 31)

    deadline = reverse("period-deadline", kwargs={"pk": period.pk})
    assert admin.post(deadline, {"deadline": "30/06/2025"}).status_code == 302
    period.refresh_from_db()
    assert period.deadline == datetime.date(2025, 6, 30)

    status = reverse("period-status", kwargs={"pk": period.pk})
    assert admin.post(status, {"status": "closed"}).status_code == 302
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED and period.closed_at is not None
    staff = make_user("s", "agency_staff", "000.00.00.G12")
    with pytest.raises(Conflict):
        save_value(staff, agencies["000.00.00.G12"], indicator("HT.01"), period, value="50")

    assert admin.post(status, {"status": "open"}).status_code == 302
    period.refresh_from_db()
    assert period.is_open and period.closed_at is None
    save_value(staff, agencies["000.00.00.G12"], indicator("HT.01"), period, value="50")  # accepted again


@pytest.mark.django_db
def test_a_year_outside_the_catalogs_validity_is_refused(admin):
    assert upload(admin, BOUNDED_YAML).status_code == 302
    response = in_english(admin).post(PERIODS, {"year": "2026"})
    assert response.status_code == 400 and errors_of(response)[0][0] == "year"
    assert "a period of 2026 lies outside it" in response.content.decode()
    assert not Period.objects.exists()


@pytest.mark.parametrize(("year", "deadline", "where"), [
    ("99999999999999999999", "", "year"),
    ("1999", "", "year"),
    ("20x5", "", "year"),
    ("", "", "year"),
    ("2024", "30/02/2025", "deadline"),
    ("2024", "31/3/25x", "deadline"),
    ("2024", "31/12/2023", "deadline"),  # before the period starts
])
@pytest.mark.django_db
def test_odd_years_and_days_are_refused_with_their_field(admin, framework, year, deadline, where):
    response = admin.post(PERIODS, {"year": year, "deadline": deadline})
    assert response.status_code == 400 and where in {w for w, _m in errors_of(response)}
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_full_width_digits_are_a_year(admin, framework):
    assert admin.post(PERIODS, {"year": "２０２５"}).status_code == 302
    assert Period.objects.get().year == 2025


@pytest.mark.parametrize("deadline", ["30/02/2025", "", "31/12/2023"])  # no such day, none, before the period
@pytest.mark.django_db
def test_an_impossible_deadline_is_refused_and_the_old_one_kept(admin, period, deadline):
    response = admin.post(reverse("period-deadline", kwargs={"pk": period.pk}), {"deadline": deadline})
    assert response.status_code == 400 and errors_of(response)[0][0] == "deadline"
    period.refresh_from_db()
    assert period.deadline == datetime.date(2025, 3, 31)


@pytest.mark.django_db
def test_an_unknown_status_or_code_is_refused(admin, period):
    assert admin.post(reverse("period-status", kwargs={"pk": period.pk}), {"status": "archived"}).status_code == 400
    assert admin.get(reverse("catalog-periods", kwargs={"code": "NOPE"})).status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "agency_staff", "observer"])
@pytest.mark.django_db
def test_others_get_403_and_change_nothing(as_user, make_user, agencies, period, role):
    agency = None if role == "observer" else "000.00.00.H29"
    client = as_user(make_user("u", role, agency))
    assert client.get(LIST).status_code == 403
    assert upload(client, FRAMEWORK_YAML.replace(b'"2024.1"', b'"2024.2"')).status_code == 403
    assert client.post(PERIODS, {"year": "2025"}).status_code == 403
    assert client.post(reverse("period-status", kwargs={"pk": period.pk}), {"status": "closed"}).status_code == 403
    assert Framework.objects.count() == 1 and Period.objects.get().is_open
    assert reverse("catalog-list") not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in_and_admins_see_the_link(client, as_user, make_user):
    response = client.get(LIST)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert LIST in as_user(make_user("root", "admin")).get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_upload_needs_the_csrf_token(make_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("root", "admin"))
    assert upload(client, FRAMEWORK_YAML).status_code == 403
    assert not Framework.objects.exists()
