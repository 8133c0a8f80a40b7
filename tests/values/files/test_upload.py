"""Web upload of a values file: preview (nothing saved), confirm (all saved), tokens, scope, bilingual errors."""

import io
import unicodedata

import openpyxl
import pytest
from django.core import signing
from django.urls import reverse

from assessments.values import upload_store
from assessments.values.models import IndicatorValue
from assessments.values.services import save_value
from govit.errors import in_language
from govit.i18n import _

from .conftest import G12, G12_CSV, H29, HEADER, VALUES_CSV, check, only, upload


def counts(response) -> dict[str, int]:
    html = response.content.decode()
    out = {}
    for key in ("created", "updated", "unchanged", "skipped"):
        marker = f'data-count="{key}">'
        if marker in html:
            out[key] = int(html.split(marker, 1)[1].split("<", 1)[0])
    return out


def test_preview_lists_the_changes_and_saves_nothing(web):
    staff = web()
    token = upload(staff, G12_CSV)
    page = staff.get(reverse("values-upload-preview", args=[token]))
    assert page.status_code == 200
    # The page answers at once and lets htmx run the (slow) check.
    assert f'hx-get="{reverse("values-upload-check", args=[token])}"' in page.content.decode()
    result = check(staff, token)
    assert result.status_code == 200
    assert counts(result) == {"created": 5, "updated": 0, "unchanged": 0}
    html = result.content.decode()
    assert "HT.02" in html and "30/40" in html and 'data-testid="upload-confirm"' in html
    assert not IndicatorValue.objects.exists()
    # The result is kept: the full page now shows it without checking again.
    again = staff.get(reverse("values-upload-preview", args=[token]))
    assert counts(again)["created"] == 5 and "upload-checking" not in again.content.decode()
    assert not IndicatorValue.objects.exists()


def test_long_change_lists_are_paged_with_links_to_the_preview(web, monkeypatch):
    monkeypatch.setattr("assessments.values.views.files.PAGE_SIZE", 2)
    staff = web()
    token = upload(staff, G12_CSV)
    preview = reverse("values-upload-preview", args=[token])
    first = check(staff, token).content.decode()  # the htmx fragment, from the check's address
    assert f'href="{preview}?page=2"' in first and "?page=0" not in first

    def change_rows(html):
        return [row for row in html.split("<tr")[1:] if "HT." in row or "AT." in row]

    assert len(change_rows(first)) == 2
    second = staff.get(preview, {"page": 2}).content.decode()
    assert f'href="{preview}?page=1"' in second and f'href="{preview}?page=3"' in second
    assert len(change_rows(second)) == 2 and change_rows(second) != change_rows(first)


def test_preview_shows_old_and_new_values(web, agencies, framework, period):
    staff = web()
    save_value(staff.user, agencies[G12], framework.indicators.get(code="HT.01"), period, value="60,5")
    token = upload(staff, HEADER + f"{G12},HT.01,75%,,,,\n".encode())
    html = check(staff, token).content.decode()
    assert counts(check(staff, token)) == {"created": 0, "updated": 1, "unchanged": 0}
    row = html.split("<tbody>", 1)[1]
    assert row.index("60,5") < row.index("75")  # before → after, numbers in Vietnamese notation


def test_confirm_saves_everything_once(web):
    staff = web()
    token = upload(staff, G12_CSV)
    check(staff, token)
    response = staff.post(reverse("values-upload-confirm", args=[token]), follow=True)
    assert response.status_code == 200
    assert IndicatorValue.objects.filter(agency__code=G12, status="draft").count() == 5
    assert 'data-testid="upload-applied"' in response.content.decode()
    assert IndicatorValue.objects.get(indicator__code="HT.02").numerator == 30
    # A second confirmation (double click, another tab) imports nothing more and says so.
    versions = sorted(IndicatorValue.objects.values_list("version", flat=True))
    again = staff.post(reverse("values-upload-confirm", args=[token]), follow=True)
    assert again.status_code == 200 and "upload-applied" in again.content.decode()
    assert sorted(IndicatorValue.objects.values_list("version", flat=True)) == versions
    assert IndicatorValue.history.count() == 5


def test_confirm_before_the_check_or_with_errors_saves_nothing(web):
    staff = web()
    token = upload(staff, G12_CSV)
    staff.post(reverse("values-upload-confirm", args=[token]))  # not checked yet
    bad = upload(staff, HEADER + f"{G12},HT.01,abc,,,,\n".encode())
    check(staff, bad)
    staff.post(reverse("values-upload-confirm", args=[bad]))
    assert not IndicatorValue.objects.exists()


def test_values_changed_since_the_preview_give_a_new_preview(web, agencies, framework, period):
    staff = web()
    token = upload(staff, G12_CSV)
    check(staff, token)
    save_value(staff.user, agencies[G12], framework.indicators.get(code="HT.01"), period, value="75")
    response = staff.post(reverse("values-upload-confirm", args=[token]), follow=True)
    assert IndicatorValue.objects.count() == 1  # only the value saved meanwhile: the import did not run
    assert counts(response) == {"created": 4, "updated": 0, "unchanged": 1}
    staff.post(reverse("values-upload-confirm", args=[token]))
    assert IndicatorValue.objects.count() == 5


def test_a_tampered_token_is_refused(web):
    staff = web()
    token = upload(staff, G12_CSV)
    claims = signing.loads(token, salt=upload_store.SALT)
    forged = signing.dumps({**claims, "user": claims["user"] + 1}, salt="another salt")
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense"):
        response = staff.get(reverse("values-upload-preview", args=[bad]))
        assert response.status_code == 404
        assert "files-refused" in response.content.decode()
        assert staff.post(reverse("values-upload-confirm", args=[bad])).status_code == 404
    assert not IndicatorValue.objects.exists()


def test_another_users_token_is_refused(web):
    owner, other = web(), web(name="colleague")
    token = upload(owner, G12_CSV)
    check(owner, token)
    assert other.get(reverse("values-upload-preview", args=[token])).status_code == 404
    assert other.get(reverse("values-upload-check", args=[token])).status_code == 404
    assert other.post(reverse("values-upload-confirm", args=[token])).status_code == 404
    assert not IndicatorValue.objects.exists()


def test_an_expired_token_is_refused_clearly(web, settings):
    staff = web()
    token = upload(staff, G12_CSV)
    check(staff, token)
    settings.VALUES_UPLOAD_MAX_AGE = -1
    response = staff.post(reverse("values-upload-confirm", args=[token]))
    assert response.status_code == 410
    assert in_language(_("This upload has expired; upload the file again."), "vi") in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_a_stored_file_changed_after_the_preview_is_not_imported(web, upload_dir):
    staff = web()
    token = upload(staff, G12_CSV)
    check(staff, token)
    (stored,) = upload_dir.glob("*.bin")
    stored.write_bytes(G12_CSV.replace(b"75%", b"15%"))
    response = staff.post(reverse("values-upload-confirm", args=[token]), follow=True)
    assert in_language(_("The stored file no longer matches what was previewed; upload it again."), "vi") \
        in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_rows_of_an_agency_outside_the_scope_are_errors(web):
    staff = web()  # staff of G12
    token = upload(staff, only(VALUES_CSV, b"HT.01"))  # row 2: H29, row 3: G12
    html = check(staff, token).content.decode()
    assert 'data-testid="upload-refused"' in html
    message = _("You may not import values for this agency.")
    row = html.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert ">2<" in row and "agency_code" in row
    assert in_language(message, "vi") in row and in_language(message, "en") in row
    assert H29 not in html.split("<tbody>", 1)[1].split("</tr>", 2)[1]  # the G12 row is fine
    assert not IndicatorValue.objects.exists()


def test_every_error_listed_with_row_column_and_both_languages(web):
    staff = web()
    data = HEADER + f"{G12},HT.01,abc,,,,\n{G12},HT.02,,5,0,,\n{G12},NOPE,1,,,,\n".encode()
    html = check(staff, upload(staff, data)).content.decode()
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")[:-1]
    assert len(rows) == 3
    expected = [(2, "value", _("“%(value)s” is not a number.") % {"value": "abc"}),
                (3, "denominator", _("The denominator must be greater than 0.")),
                (4, "indicator_code", _("Unknown indicator code “%(code)s” in this framework.") % {"code": "NOPE"})]
    for row, (number, column, message) in zip(rows, expected, strict=True):
        assert f">{number}<" in row and f">{column}<" in row
        vi, en = in_language(message, "vi"), in_language(message, "en")
        assert vi != en and f'lang="vi">{vi}<' in row.replace("&quot;", '"') and f'lang="en">{en}<' in row


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"", "empty.csv", "The file is empty."),
    (HEADER, "header.csv", "The file has a header but no data rows."),
    (b"PK\x03\x04not really a zip", "values.xlsx", "The file is not a readable Excel workbook (.xlsx)."),
    (b"agency_code,indicator_code\nplain text", "values.xlsx", "The file is named .xlsx but is not an Excel workbook."),
])
def test_unusable_files_get_a_clear_message(web, data, filename, message):
    staff = web()
    result = check(staff, upload(staff, data, filename=filename))
    assert result.status_code == 200
    html = result.content.decode()
    assert in_language(_(message), "vi") in html and in_language(_(message), "en") in html


def test_wrong_sheet_is_reported_as_missing_columns(web):
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["something", "else"])
    out = io.BytesIO()
    book.save(out)
    staff = web()
    html = check(staff, upload(staff, out.getvalue(), filename="v.xlsx")).content.decode()
    message = _("Required column “%(col)s” is missing.") % {"col": "agency_code"}
    assert in_language(message, "en") in html


def test_bom_and_nfd_are_accepted(web):
    staff = web()
    data = "\ufeff".encode() + unicodedata.normalize("NFD", (HEADER + f"{G12},HT.03,không,,,Ghi chú,\n".encode())
                                                     .decode()).encode()
    result = check(staff, upload(staff, data))
    assert counts(result)["created"] == 1
    staff.post(reverse("values-upload-confirm", args=[result.context["token"]]))
    saved = IndicatorValue.objects.get()
    assert saved.value_bool is False and saved.note == unicodedata.normalize("NFC", "Ghi chú")


def test_a_file_over_the_limit_is_refused_with_413(web, settings):
    settings.VALUES_UPLOAD_MAX_BYTES = 100
    staff = web()
    response = upload(staff, G12_CSV * 3)
    assert response.status_code == 413
    assert 'data-testid="file-errors"' in response.content.decode()
    assert not list(settings.MEDIA_ROOT.glob("value-uploads/*"))


def test_upload_form_refuses_missing_file_and_closed_period(web):
    staff = web()
    response = staff.post(reverse("values-upload"), {"framework": "SAMPLE", "period": "2024", "status": "draft"})
    assert response.status_code == 400
    response = upload(staff, G12_CSV, year="2031")
    assert response.status_code == 400
    message = _("There is no period %(year)s for %(code)s; open it first.") % {"year": 2031, "code": "SAMPLE"}
    assert in_language(message, "vi") in response.content.decode()


def test_statuses_offered_follow_the_role(web):
    staff_form = web().get(reverse("values-upload")).content.decode()
    assert 'value="draft"' in staff_form and 'value="submitted"' not in staff_form
    lead_form = web("agency_lead").get(reverse("values-upload")).content.decode()
    assert 'value="submitted"' in lead_form
    assert upload(web(name="s3"), G12_CSV, status="verified").status_code == 400
    assert web("observer", None).get(reverse("values-upload")).status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_reviewers_and_admins_do_not_upload_values(web, role):
    from assessments.values.permissions import REVIEWERS_DO_NOT_WRITE

    client = web(role, None)
    page = client.get(reverse("values-upload"))
    assert page.status_code == 403 and 'data-testid="upload-form"' not in page.content.decode()
    assert in_language(REVIEWERS_DO_NOT_WRITE, "vi") in page.content.decode()
    assert upload(client, G12_CSV, status="verified").status_code == 403
    assert not IndicatorValue.objects.exists()
    assert reverse("values-upload") not in client.get(reverse("values-review")).content.decode()  # no link either
