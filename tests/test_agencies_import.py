"""import_agencies (formats.md §3): all or nothing, every bad row reported, idempotent."""

import datetime
import unicodedata

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency
from agencies.registry import import_agencies_csv
from govit.errors import InputRejected

HEADER = "code,name_vi,name_en,kind,parent_code,valid_from,valid_to\n"
GOOD = (
    HEADER
    + "000.00.00.H90,Tỉnh Thử Nghiệm,Test Province,province,,2008-01-01,\n"
    + "000.00.01.H90,Sở Thông tin và Truyền thông,Department of IC,department,000.00.00.H90,2008-01-01,2025-02-28\n"
    + "000.01.01.H90,Trung tâm CNTT,IT Centre,unit,000.00.01.H90,2010-01-01,\n"
)


def errors_of(data: bytes) -> list[tuple]:
    with pytest.raises(InputRejected) as exc:
        import_agencies_csv(data)
    return [(e.row, e.where) for e in exc.value.errors]


@pytest.mark.django_db
def test_import_creates_hierarchy_and_is_idempotent():
    assert import_agencies_csv(GOOD.encode()) == {"created": 3, "updated": 0, "unchanged": 0}
    assert import_agencies_csv(GOOD.encode()) == {"created": 0, "updated": 0, "unchanged": 3}
    province = Agency.objects.get(code="000.00.00.H90")
    assert set(Agency.objects.descendants_of(province).values_list("code", flat=True)) == {
        "000.00.01.H90", "000.01.01.H90",
    }


@pytest.mark.django_db
def test_children_listed_before_their_parent_are_accepted():
    lines = GOOD.splitlines()
    reordered = "\n".join([lines[0], lines[3], lines[2], lines[1]]) + "\n"
    assert import_agencies_csv(reordered.encode())["created"] == 3


@pytest.mark.django_db
def test_bom_and_nfd_text_are_normalized():
    nfd = unicodedata.normalize("NFD", GOOD)
    import_agencies_csv(b"\xef\xbb\xbf" + nfd.encode())
    name = Agency.objects.get(code="000.00.00.H90").name_vi
    assert name == "Tỉnh Thử Nghiệm" and unicodedata.is_normalized("NFC", name)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row, expected",
    [
        ("G1X,Bad,Bad,ministry,,2008-01-01,", (2, "code")),
        ("000.00.00.G90,Bộ,Min,planet,,2008-01-01,", (2, "kind")),
        ("000.00.05.H90,Sở,Dept,department,000.00.00.H77,2008-01-01,", (2, "parent_code")),
        ("000.00.00.G90,Bộ,Min,ministry,,01-2008,", (2, "valid_from")),
        ("000.00.00.G90,Bộ,Min,ministry,,2010-01-01,2009-01-01", (2, "valid_to")),
        ("000.00.00.G90,,Min,ministry,,2010-01-01,", (2, "name_vi")),
    ],
)
def test_bad_rows_are_reported_and_nothing_is_saved(row, expected):
    data = HEADER + row + "\n" + "000.00.00.H91,Tỉnh Tốt,Good,province,,2008-01-01,\n"
    errors = errors_of(data.encode())
    assert expected in errors
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_every_bad_row_is_listed():
    data = HEADER + "X,a,b,ministry,,2008-01-01,\nY,a,b,ministry,,2008-01-01,\n"
    assert errors_of(data.encode()) == [(2, "code"), (3, "code")]


@pytest.mark.django_db
def test_cycle_in_the_hierarchy_is_refused():
    data = (
        HEADER
        + "000.00.01.H90,A,A,department,000.00.02.H90,2008-01-01,\n"
        + "000.00.02.H90,B,B,department,000.00.01.H90,2008-01-01,\n"
    )
    assert any(col == "parent_code" for _row, col in errors_of(data.encode()))
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_reparenting_under_a_descendant_is_refused():
    import_agencies_csv(GOOD.encode())
    cycle = HEADER + "000.00.01.H90,Sở,Dept,department,000.01.01.H90,2008-01-01,2025-02-28\n"
    assert errors_of(cycle.encode()) == [(2, "parent_code")]


@pytest.mark.django_db
def test_overlapping_validity_of_the_same_code_is_refused():
    import_agencies_csv(GOOD.encode())
    overlap = HEADER + "000.00.00.H90,Tỉnh Mới,New,province,,2020-01-01,\n"
    assert errors_of(overlap.encode()) == [(2, "valid_from")]
    # The same code after the first one ended is a new agency, not an error.
    import_agencies_csv((HEADER + "000.00.01.H90,Sở KH&CN,Dept,department,000.00.00.H90,2025-03-01,\n").encode())
    assert Agency.objects.filter(code="000.00.01.H90").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", b"   \n", HEADER.encode(), b"code,name\nX,Y\n", b"\xff\xfe\x00garbage"],
    ids=["empty", "bom-only", "blank", "header-only", "wrong-columns", "not-utf8"],
)
def test_unusable_files_give_a_clear_error(data):
    with pytest.raises(InputRejected) as exc:
        import_agencies_csv(data)
    assert exc.value.errors
    assert all(e.bilingual() for e in exc.value.errors)
    assert not Agency.objects.exists()


@pytest.mark.django_db
def test_command_prints_errors_in_vietnamese_and_english(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "G1X,Bad,Bad,ministry,,2008-01-01,\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_agencies", str(path))
    message = str(exc.value)
    assert "dòng/row 2" in message and "cột/column code" in message
    assert "không phải" in message and "is not an electronic identifier code" in message


@pytest.mark.django_db
def test_short_codes_are_expanded():
    import_agencies_csv((HEADER + "h90,Tỉnh,Prov,province,,2008-01-01,\n").encode())
    assert Agency.objects.get().code == "000.00.00.H90"
    assert Agency.objects.get().is_active_on(datetime.date(2024, 1, 1))


@pytest.mark.django_db
def test_shipped_sample_imports_under_the_registry(registry):
    from pathlib import Path

    sample = Path(__file__).parent / "samples" / "agencies.csv"
    assert import_agencies_csv(sample.read_bytes())["created"] == 2
    hanoi = Agency.objects.get(code="000.00.00.H26")
    assert Agency.objects.descendants_of(hanoi).count() == 2
