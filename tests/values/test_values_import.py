"""import_values (formats.md §2): CSV and XLSX, every bad row reported, nothing saved on error, idempotent."""

import io
import unicodedata
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from agencies.models import Agency
from assessments.catalog.periods import close_period, create_period
from assessments.values.importer import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, apply_plan
from assessments.values.models import IndicatorValue, ValueStatus
from assessments.values.services import import_rows, import_values, save_value
from assessments.values.spreadsheets import read_table
from govit.errors import Conflict, InputRejected, in_language

from .conftest import SAMPLES, VALUES_CSV

HEADER = "agency_code,indicator_code,value,numerator,denominator,note,evidence_url\n"
GOOD_ROW = "000.00.00.G12,HT.01,50,,,,\n"


def run(data: bytes, **kwargs) -> dict:
    return import_values(data, "SAMPLE", 2024, **kwargs)


def errors_of(data: bytes, **kwargs) -> list[tuple]:
    with pytest.raises(InputRejected) as exc:
        run(data, **kwargs)
    return [(e.row, e.where) for e in exc.value.errors]


def only(data: bytes, fragment: bytes) -> bytes:
    """The header and the lines containing `fragment`."""
    lines = data.splitlines(keepends=True)
    return lines[0] + b"".join(line for line in lines[1:] if fragment in line)


def value_of(code: str, indicator: str) -> IndicatorValue:
    return IndicatorValue.objects.get(agency__code=code, indicator__code=indicator)


def xlsx(rows: list[list], sheets: tuple[str, ...] = ("values",), formats: dict | None = None) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title in sheets:
        sheet = book.create_sheet(title)
        if title == sheets[-1]:
            for row in rows:
                sheet.append(row)
            for ref, number_format in (formats or {}).items():
                sheet[ref].number_format = number_format
        else:
            sheet.append(["something", "else"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.django_db
def test_sample_csv_imports_every_type(agencies, period):
    assert run(VALUES_CSV) == {"created": 11, "updated": 0, "unchanged": 0}
    hcm = value_of("000.00.00.H29", "HT.01")
    assert hcm.value_decimal == Decimal("90.8") and hcm.note == "Số liệu tháng 12"
    assert hcm.evidence_url == "https://example.gov.vn/bao-cao-2024.pdf"
    assert hcm.agency.valid_from.year == 2008  # the HCMC of 2024, not the one from 07/2025
    assert (hcm.status, hcm.version, hcm.updated_by) == (ValueStatus.DRAFT, 1, None)
    assert value_of("000.00.00.G12", "HT.01").value_decimal == 75
    ratio = value_of("000.00.00.G12", "HT.02")
    assert (ratio.numerator, ratio.denominator, ratio.value_decimal, ratio.number) == (30, 40, None, 75)
    assert value_of("000.00.00.H29", "HT.03").value_bool is True
    assert value_of("000.00.00.G12", "HT.03").value_bool is False
    assert value_of("000.00.00.G12", "AT.02").value_decimal == 4
    assert IndicatorValue.history.count() == 11


@pytest.mark.django_db
def test_importing_the_same_file_twice_is_a_no_op(agencies, period):
    run(VALUES_CSV)
    stamps = dict(IndicatorValue.objects.values_list("pk", "updated_at"))
    assert run(VALUES_CSV) == {"created": 0, "updated": 0, "unchanged": 11}
    assert IndicatorValue.objects.count() == 11 and IndicatorValue.history.count() == 11
    assert dict(IndicatorValue.objects.values_list("pk", "updated_at")) == stamps
    assert set(IndicatorValue.objects.values_list("version", flat=True)) == {1}


@pytest.mark.django_db
def test_a_changed_row_is_updated_with_history(agencies, period, make_user):
    run(VALUES_CSV)
    user = make_user("imp", "agency_staff", "000.00.00.G12")
    changed = only(VALUES_CSV.replace(b"000.00.00.G12,HT.01,75%", b"000.00.00.G12,HT.01,80%"), b"G12")
    assert run(changed, user=user) == {"created": 0, "updated": 1, "unchanged": 4}
    value = value_of("000.00.00.G12", "HT.01")
    assert (value.value_decimal, value.version, value.updated_by) == (80, 2, user)
    assert [h.value_decimal for h in value.history.order_by("history_date")] == [75, 80]
    assert value.history.latest().history_user == user


@pytest.mark.django_db
def test_xlsx_with_numbers_percent_cells_booleans_and_a_values_sheet(agencies, period):
    data = xlsx(
        [["Agency_Code", "INDICATOR_CODE", "Value", "numerator", "denominator"],
         ["000.00.00.H29", "HT.01", 0.908, None, None],
         ["000.00.00.H29", "HT.02", None, 45, 50],
         ["000.00.00.H29", "HT.03", True, None, None],
         ["000.00.00.H29", "AT.01", 3.0, None, None],
         ["000.00.00.H29", "AT.02", "3", None, None]],
        sheets=("notes", "values"), formats={"C2": "0.0%"},
    )
    assert run(data, filename="upload.csv") == {"created": 5, "updated": 0, "unchanged": 0}  # detected by content
    assert value_of("000.00.00.H29", "HT.01").value_decimal == Decimal("90.8")
    assert value_of("000.00.00.H29", "HT.03").value_bool is True
    assert value_of("000.00.00.H29", "AT.01").value_decimal == 3
    assert run(data) == {"created": 0, "updated": 0, "unchanged": 5}


@pytest.mark.django_db
def test_xlsx_without_a_values_sheet_reads_the_first(agencies, period):
    data = xlsx([["agency_code", "indicator_code", "value"], ["000.00.00.G12", "HT.01", "90,8"]], sheets=("Sheet1",))
    assert run(data)["created"] == 1


@pytest.mark.django_db
def test_xlsx_formula_cells_are_refused(agencies, period):
    data = xlsx([["agency_code", "indicator_code", "value"], ["000.00.00.G12", "HT.01", "=40+50"], [
        "000.00.00.G12", "HT.03", "yes"]])
    with pytest.raises(InputRejected) as exc:
        run(data)
    assert [(e.row, e.where) for e in exc.value.errors] == [(2, "value")]
    assert "Formulas are not accepted" in exc.value.errors[0].as_dict()["message_en"]
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_xlsx_whose_sheet_is_something_else_gives_header_errors(agencies, period):
    data = xlsx([["name", "amount"], ["x", 1]], sheets=("Sheet1",))
    assert (1, "agency_code") in errors_of(data) and (1, "name") in errors_of(data)


@pytest.mark.django_db
def test_bom_and_nfd_text(agencies, period):
    data = HEADER + "000.00.00.G12,HT.03,KHÔNG,,,Ghi chú,\n000.00.00.H29,HT.03,Có,,,,\n"
    run(b"\xef\xbb\xbf" + unicodedata.normalize("NFD", data).encode())
    assert value_of("000.00.00.G12", "HT.03").value_bool is False
    assert value_of("000.00.00.H29", "HT.03").value_bool is True
    assert value_of("000.00.00.G12", "HT.03").note == "Ghi chú"


@pytest.mark.django_db
def test_semicolon_csv_with_decimal_comma_and_any_column_order(agencies, period):
    data = "Value;Indicator_Code;Agency_Code\n90,8;HT.01;000.00.00.G12\n"
    run(data.encode())
    assert value_of("000.00.00.G12", "HT.01").value_decimal == Decimal("90.8")


BAD_ROWS = [
    ("unknown-agency", "000.00.00.H77,HT.01,50,,,,", "agency_code", "Unknown agency code"),
    ("agency-not-in-period", "000.00.00.H90,HT.01,50,,,,", "agency_code", "did not exist during the period"),
    ("no-agency", ",HT.01,50,,,,", "agency_code", "agency code is required"),
    ("unknown-indicator", "000.00.00.G12,HT.99,50,,,,", "indicator_code", "Unknown indicator code"),
    ("not-applicable-to-kind", "000.00.00.G12,AT.03,5,,,,", "indicator_code",
     "does not apply to agencies of kind ministry"),
    ("formula", "000.00.00.H29,HT.01,=A1*2,,,,", "value", "Formulas are not accepted"),
    ("formula-in-note", "000.00.00.H29,HT.01,5,,,=HYPERLINK(\"x\"),", "note", "Formulas are not accepted"),
    ("thousands", "000.00.00.H29,HT.01,\"1.234,5\",,,,", "value", "Thousands separators"),
    ("percent-over-100", "000.00.00.H29,HT.01,101,,,,", "value", "between 0 and 100"),
    ("count-negative", "000.00.00.H29,AT.01,-1,,,,", "value", "cannot be negative"),
    ("count-not-integer", "000.00.00.H29,AT.01,\"2,5\",,,,", "value", "whole number"),
    ("level-out-of-range", "000.00.00.H29,AT.02,5,,,,", "value", "from 1 to 4"),
    ("boolean-word", "000.00.00.H29,HT.03,maybe,,,,", "value", "true/false"),
    ("denominator-zero", "000.00.00.H29,HT.02,,1,0,,", "denominator", "greater than 0"),
    ("numerator-over-denominator", "000.00.00.H29,HT.02,,6,5,,", "numerator", "cannot exceed"),
    ("ratio-given-value", "000.00.00.H29,HT.02,50,1,2,,", "value", "not value"),
    ("numerator-on-percent", "000.00.00.H29,HT.01,50,1,,,", "numerator", "Only ratio"),
    ("value-missing", "000.00.00.H29,HT.01,,,,,", "value", "value is required"),
    ("javascript-link", "000.00.00.H29,HT.01,50,,,,javascript:alert(1)", "evidence_url", "http://"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("row, column, fragment", [c[1:] for c in BAD_ROWS], ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_reported_and_nothing_is_saved(agencies, period, row, column, fragment):
    data = HEADER + GOOD_ROW + row + "\n"
    with pytest.raises(InputRejected) as exc:
        run(data.encode())
    [error] = exc.value.errors
    assert (error.row, error.where) == (3, column)
    assert fragment in error.as_dict()["message_en"]
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_duplicate_rows_and_every_bad_row_are_listed(agencies, period):
    data = HEADER + GOOD_ROW + "000.00.00.H77,HT.01,5,,,,\n" + "G12,ht.01,60,,,,\n" + "000.00.00.H29,HT.01,x,,,,\n"
    with pytest.raises(InputRejected) as exc:
        run(data.encode())
    assert [(e.row, e.where) for e in exc.value.errors] == [(3, "agency_code"), (4, "indicator_code"), (5, "value")]
    assert "Row 2 already gives" in exc.value.errors[1].as_dict()["message_en"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, filename",
    [(b"", None), (b"\xef\xbb\xbf", None), (HEADER.encode(), None), (b"code,name\nX,Y\n", None),
     (b"agency_code,indicator_code\n", "values.xlsx"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old.xls"),
     (b"PK\x03\x04broken zip", "values.xlsx")],
    ids=["empty", "bom-only", "header-only", "wrong-columns", "csv-named-xlsx", "legacy-xls", "corrupt-xlsx"],
)
def test_unusable_files_give_a_clear_error(agencies, period, data, filename):
    with pytest.raises(InputRejected) as exc:
        run(data, filename=filename)
    assert exc.value.errors and all(e.bilingual() for e in exc.value.errors)
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_huge_files_are_refused(agencies, period, monkeypatch):
    monkeypatch.setattr("assessments.values.spreadsheets.MAX_ROWS", 3)
    rows = [["agency_code", "indicator_code", "value"]] + [["000.00.00.G12", "HT.01", 1]] * 4
    for data in (xlsx(rows), ("\n".join(",".join(map(str, r)) for r in rows) + "\n").encode()):
        with pytest.raises(InputRejected) as exc:
            run(data)
        assert "more than 3 rows" in exc.value.errors[0].as_dict()["message_en"]
    monkeypatch.setattr("assessments.values.spreadsheets.MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(InputRejected) as exc:
        run(xlsx(rows[:2]))
    assert "too large once unpacked" in exc.value.errors[0].as_dict()["message_en"]
    monkeypatch.setattr("assessments.values.spreadsheets.MAX_BYTES", 100)
    with pytest.raises(InputRejected) as exc:
        run(HEADER.encode() + GOOD_ROW.encode() * 10)
    assert "larger than 50 MB" in exc.value.errors[0].as_dict()["message_en"]


@pytest.mark.django_db
def test_closed_or_missing_period_refuses(agencies, period):
    close_period(period)
    with pytest.raises(InputRejected) as exc:
        run(VALUES_CSV)
    assert exc.value.errors[0].where == "period"
    with pytest.raises(InputRejected) as exc:
        import_values(VALUES_CSV, "SAMPLE", 2023)
    assert exc.value.errors[0].where == "period"
    with pytest.raises(InputRejected) as exc:
        import_values(VALUES_CSV, "NOPE", 2024)
    assert exc.value.errors[0].where == "framework"
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_the_agency_carrying_the_code_at_the_end_of_the_period_is_used(agencies, framework):
    create_period("SAMPLE", 2025)
    import_values((HEADER + "000.00.00.H29,HT.01,50,,,,\n").encode(), "SAMPLE", 2025)
    assert IndicatorValue.objects.get().agency.valid_from.isoformat() == "2025-07-01"


@pytest.mark.django_db
def test_verified_values_are_not_overwritten_by_a_draft_import(agencies, period):
    run(VALUES_CSV, status=ValueStatus.VERIFIED)
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {ValueStatus.VERIFIED}
    assert run(VALUES_CSV) == {"created": 0, "updated": 0, "unchanged": 11}  # identical: fine, stays verified
    changed = VALUES_CSV.replace(b"000.00.00.G12,HT.01,75%", b"000.00.00.G12,HT.01,80%")
    assert errors_of(changed) == [(8, "value")]
    assert value_of("000.00.00.G12", "HT.01").value_decimal == 75
    assert run(changed, status=ValueStatus.VERIFIED)["updated"] == 1


@pytest.mark.django_db
def test_an_import_moves_the_status_forward_only(agencies, period):
    run(VALUES_CSV)
    assert run(VALUES_CSV, status=ValueStatus.SUBMITTED) == {"created": 0, "updated": 11, "unchanged": 0}
    assert set(IndicatorValue.objects.values_list("status", "version")) == {(ValueStatus.SUBMITTED, 2)}
    assert run(VALUES_CSV) == {"created": 0, "updated": 0, "unchanged": 11}
    with pytest.raises(InputRejected) as exc:
        run(VALUES_CSV, status=ValueStatus.REJECTED)
    assert exc.value.errors[0].where == "status"


def preview(data: bytes):
    return import_rows(read_table(data, REQUIRED_COLUMNS, OPTIONAL_COLUMNS), "SAMPLE", 2024, dry_run=True)


@pytest.mark.django_db
def test_preview_tells_what_would_change_and_saves_nothing(agencies, period):
    run(VALUES_CSV)
    changed = VALUES_CSV.replace(b"000.00.00.G12,HT.01,75%", b"000.00.00.G12,HT.01,80%")
    plan = preview(changed)
    assert plan.summary() == {"created": 0, "updated": 1, "unchanged": 10}
    [change] = plan.changes()
    assert change["row"] == 8 and change["action"] == "update"
    assert change["before"]["value_decimal"] == 75 and change["after"]["value_decimal"] == 80
    assert value_of("000.00.00.G12", "HT.01").value_decimal == 75


@pytest.mark.django_db
def test_a_value_edited_between_preview_and_save_is_a_conflict(agencies, period, indicator, make_user):
    run(VALUES_CSV)
    changed = VALUES_CSV.replace(b"000.00.00.G12,HT.01,75%", b"000.00.00.G12,HT.01,80%")
    plan = preview(changed)
    staff = make_user("s", "agency_staff", "000.00.00.G12")
    save_value(staff, agencies["000.00.00.G12"], indicator("HT.01"), period, value="77", expected_version=1)
    with pytest.raises(Conflict):
        apply_plan(plan)
    assert value_of("000.00.00.G12", "HT.01").value_decimal == 77


@pytest.mark.django_db
def test_import_role_and_scope_checks(agencies, period, make_user):
    observer = make_user("o", "observer")
    with pytest.raises(PermissionDenied):
        run(VALUES_CSV, user=observer)
    staff = make_user("s", "agency_staff", "000.00.00.G12")
    with pytest.raises(PermissionDenied):
        run(VALUES_CSV, user=staff, status=ValueStatus.SUBMITTED)
    errors = errors_of(VALUES_CSV, user=staff)
    assert errors == [(r, "agency_code") for r in range(2, 8)]  # the HCMC rows are outside the scope
    lead = make_user("l", "agency_lead", "000.00.00.H29", with_descendants=True)
    lead.agency = agencies["000.00.00.H29"]  # the HCMC of 2024; the code now names the merged one
    lead.save()
    assert run(only(VALUES_CSV, b"H29"), user=lead, status=ValueStatus.SUBMITTED)["created"] == 6
    for role in ("reviewer", "admin"):  # they verify or reject submitted values; they do not write values
        with pytest.raises(PermissionDenied):
            run(VALUES_CSV, user=make_user(role, role), status=ValueStatus.VERIFIED)
    assert IndicatorValue.objects.filter(status=ValueStatus.VERIFIED).count() == 0


@pytest.mark.django_db
def test_command_imports_and_reports(agencies, period, capsys, tmp_path):
    call_command("import_values", str(SAMPLES / "values.csv"), "--framework", "SAMPLE", "--period", "2024")
    call_command("import_values", str(SAMPLES / "values.csv"), "--framework", "SAMPLE", "--period", "2024")
    out = capsys.readouterr().out
    assert "created=11, updated=0, unchanged=0" in out and "created=0, updated=0, unchanged=11" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "000.00.00.H77,HT.01,50,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_values", str(bad), "--framework", "SAMPLE", "--period", "2024")
    assert "dòng/row 2" in str(exc.value) and "Unknown agency code" in str(exc.value)


@pytest.mark.django_db
def test_command_dry_run_saves_nothing(agencies, period, capsys):
    call_command("import_values", str(SAMPLES / "values.csv"), "--framework", "SAMPLE", "--period", "2024",
                 "--dry-run")
    assert "created=11" in capsys.readouterr().out and not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_messages_stay_translatable_until_rendered(agencies, period):
    with pytest.raises(InputRejected) as exc:
        run((HEADER + "000.00.00.H77,HT.01,50,,,,\n").encode())
    message = exc.value.errors[0].message
    assert not isinstance(message, str)  # rendered per language by InputError, with its parameters
    assert in_language(message, "en") == "Unknown agency code “000.00.00.H77”."
    assert Agency.objects.filter(code="000.00.00.H77").count() == 0


def test_imports_are_in_the_audit_log_with_actor_and_before_after(agencies, framework, period, make_user):
    from auditlog.models import LogEntry

    lead = make_user("importer", "agency_lead", "000.00.00.G12")
    g12 = only(VALUES_CSV, b"G12")
    import_values(g12, "SAMPLE", 2024, status="submitted", user=lead)
    created = LogEntry.objects.get_for_model(IndicatorValue).filter(action=LogEntry.Action.CREATE)
    assert created.count() == IndicatorValue.objects.count() > 0
    assert {e.actor for e in created} == {lead}
    changed = g12.replace(b"000.00.00.G12,HT.01,75%", b"000.00.00.G12,HT.01,45")
    assert changed != g12
    import_values(changed, "SAMPLE", 2024, status="submitted", user=lead)
    update = LogEntry.objects.get_for_model(IndicatorValue).get(action=LogEntry.Action.UPDATE)
    assert update.actor == lead
    assert [x.rstrip("0").rstrip(".") for x in update.changes_dict["value_decimal"]] == ["75", "45"]


@pytest.mark.django_db
def test_an_imported_number_replaces_an_na_claim(agencies, period, indicator, make_user):
    from assessments.values.services import claim_not_applicable

    staff = make_user("s", "agency_staff", "000.00.00.G12")
    claim_not_applicable(staff, agencies["000.00.00.G12"], indicator("HT.01"), period, "Không áp dụng")
    assert run((HEADER + GOOD_ROW).encode(), user=staff) == {"created": 0, "updated": 1, "unchanged": 0}
    value = value_of("000.00.00.G12", "HT.01")
    assert (value.status, value.value_decimal, value.na_reason) == (ValueStatus.DRAFT, 50, "")
