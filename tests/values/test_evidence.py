"""Evidence uploads: 20 MB cap, type sniffed from the bytes, the file name must agree."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.values.evidence import FileTooLarge, upload_evidence
from assessments.values.services import save_value, submit_value
from govit.errors import Conflict, InputRejected

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def office(member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(member, "<x/>")
    return out.getvalue()


@pytest.fixture
def staff(agencies, make_user):
    return make_user("staff", "agency_staff", "000.00.00.G12")


@pytest.fixture
def value(staff, agencies, indicator, period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return save_value(staff, agencies["000.00.00.G12"], indicator("HT.01"), period, value="50")


def upload(user, value, data: bytes, name: str):
    return upload_evidence(user, value, SimpleUploadedFile(name, data), name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, name, content_type",
    [(PDF, "Biên bản.pdf", "application/pdf"), (PNG, "anh.PNG", "image/png"),
     (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "a.jpeg", "image/jpeg"),
     (office("xl/workbook.xml"), "so-lieu.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
     (office("word/document.xml"), "bao-cao.docx",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
     ("Ghi chú".encode(), "note.txt", "text/plain")],
)
def test_accepted_files_are_stored_under_their_hash(staff, value, data, name, content_type):
    evidence = upload(staff, value, data, name)
    assert (evidence.content_type, evidence.size, evidence.original_name) == (content_type, len(data), name)
    assert len(evidence.sha256) == 64 and evidence.sha256[:32] in evidence.file.name
    assert evidence.file.name.startswith("evidence/") and name not in evidence.file.name
    assert evidence.file.read() == data
    assert upload(staff, value, data, name).pk == evidence.pk  # same bytes again: the same evidence


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, name",
    [(PNG, "scan.pdf"), (PDF, "report.exe"), (b"MZ\x90\x00\x03\x00\x00\x00", "tool.pdf"),
     (office("other.xml"), "x.xlsx"), (b"\x00\x01binary", "a.txt"), (PDF, "noextension"), (b"", "empty.pdf")],
    ids=["png-named-pdf", "pdf-named-exe", "exe", "zip-not-office", "binary-text", "no-extension", "empty"],
)
def test_content_and_name_must_agree(staff, value, data, name):
    with pytest.raises(InputRejected) as exc:
        upload(staff, value, data, name)
    assert exc.value.errors[0].where == "file"
    assert not value.evidence.exists()


@pytest.mark.django_db
def test_files_over_20_mb_are_refused(staff, value):
    with pytest.raises(FileTooLarge):
        upload(staff, value, PDF + b"0" * (20 * 1024 * 1024), "big.pdf")


@pytest.mark.django_db
def test_only_editable_values_in_scope(staff, value, make_user):
    with pytest.raises(PermissionDenied):
        upload(make_user("other", "agency_staff", "000.00.00.H29"), value, PDF, "a.pdf")
    submit_value(make_user("lead", "agency_lead", "000.00.00.G12"), value)
    value.refresh_from_db()
    with pytest.raises(Conflict):
        upload(staff, value, PDF, "a.pdf")
