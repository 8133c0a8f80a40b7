"""Vietnamese name order (issue 13 item 5): by the alphabet, not by bytes, on PostgreSQL (ICU collation),
in SQLite (the registered collation) and in Python."""

import datetime
import sqlite3
from types import SimpleNamespace

import pytest

from agencies.models import Agency, AgencyKind
from agencies.text import VI_COLLATION, register_sqlite_collation, vi_sorted

# Byte order gets every one of these wrong: "Bộ Công Thương" < "Bộ Công an" (T < a), "Đ…" after "Y…".
EXPECTED = ["Bộ Công an", "Bộ Công Thương", "Bộ Y tế", "Thành phố Cần Thơ", "Thành phố Đà Nẵng",
            "Tỉnh Đắk Lắk", "Tỉnh Điện Biên", "Tỉnh Đồng Nai"]
SHUFFLED = ["Tỉnh Đồng Nai", "Bộ Y tế", "Tỉnh Điện Biên", "Bộ Công Thương", "Thành phố Đà Nẵng",
            "Bộ Công an", "Tỉnh Đắk Lắk", "Thành phố Cần Thơ"]


def test_python_order():
    assert sorted(SHUFFLED) != EXPECTED
    assert vi_sorted(SHUFFLED) == EXPECTED
    assert vi_sorted(["Dương", "Đông", "Duy", "Đa"]) == ["Duy", "Dương", "Đa", "Đông"]  # "Đ" after every "D"
    assert vi_sorted(["Ca", "Cà", "Cá", "Cạ", "Cả", "Cã"]) == ["Ca", "Cà", "Cả", "Cã", "Cá", "Cạ"]  # tones second


def test_sqlite_collation():
    db = sqlite3.connect(":memory:")
    register_sqlite_collation(None, SimpleNamespace(vendor="sqlite", connection=db))
    db.execute("CREATE TABLE t (name TEXT)")
    db.executemany("INSERT INTO t VALUES (?)", [(n,) for n in SHUFFLED])
    assert VI_COLLATION == "vi-VN-x-icu"
    rows = db.execute('SELECT name FROM t ORDER BY name COLLATE "vi-VN-x-icu"').fetchall()
    assert [r[0] for r in rows] == EXPECTED


@pytest.mark.django_db
def test_postgresql_order_of_agencies():
    for i, name in enumerate(SHUFFLED):
        Agency.objects.create(code=f"000.00.00.X{i:02d}", name_vi=name, kind=AgencyKind.PROVINCE,
                              valid_from=datetime.date(2008, 1, 1))
    assert list(Agency.objects.by_name().values_list("name_vi", flat=True)) == EXPECTED


@pytest.mark.django_db
def test_directory_lists_roots_in_vietnamese_order(client, django_user_model):
    from agencies.users import create_user

    for i, name in enumerate(SHUFFLED):
        Agency.objects.create(code=f"000.00.00.X{i:02d}", name_vi=name, kind=AgencyKind.PROVINCE,
                              valid_from=datetime.date(2008, 1, 1))
    client.force_login(create_user("nguoixem", "observer", None, False, password="Correct-horse-9")[0])
    page = client.get("/agencies/").content.decode()
    assert [page.index(name) for name in EXPECTED] == sorted(page.index(name) for name in EXPECTED)
