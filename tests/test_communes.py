"""The commune level (issue 14 item 3): `load_registry --level commune` from the vietnam-provinces package."""

import datetime
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from vietnam_provinces import Province, Ward

from agencies.codes import FULL_CODE
from agencies.communes import load_communes, provisional_code
from agencies.models import Agency, AgencyKind, CodeStatus
from govit.errors import InputRejected
from tests.conftest import ROOT

FROM = datetime.date(2025, 7, 1)
HANOI = "000.00.00.H26"
PACKAGE_COMMUNES = len(list(Ward.iter_all()))
PACKAGE_PROVINCES = len(list(Province.iter_all()))
HANOI_COMMUNES = sum(1 for w in Ward.iter_all() if int(w.province_code) == 1)


def communes():
    return Agency.objects.filter(kind=AgencyKind.COMMUNE)


@pytest.fixture
def loaded(db):
    call_command("load_registry", "--level", "commune", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_the_package_is_the_two_level_map_of_1_7_2025():
    assert (PACKAGE_PROVINCES, PACKAGE_COMMUNES) == (34, 3321)


def test_load_registry_level_commune_loads_3321_communes_under_the_34_provinces(loaded):
    assert communes().count() == PACKAGE_COMMUNES == 3321
    provinces = Agency.objects.filter(kind=AgencyKind.PROVINCE).active_on(FROM)
    per_province = Counter(communes().values_list("parent_id", flat=True))
    assert set(per_province) == set(provinces.values_list("pk", flat=True)) and len(per_province) == 34
    assert communes().filter(parent__code=HANOI).count() == HANOI_COMMUNES
    assert not communes().exclude(valid_from=FROM).exists() and not communes().exclude(valid_to=None).exists()
    assert not communes().exclude(code_status=CodeStatus.PROVISIONAL).exists()
    ba_dinh = communes().select_related("parent").get(gso_code="00004")
    assert (ba_dinh.name_vi, ba_dinh.name_en, ba_dinh.parent.code) == ("Phường Ba Đình", "Ba Đình Ward", HANOI)
    assert (ba_dinh.path, ba_dinh.depth) == (f"/{ba_dinh.parent.pk}/", 1)
    assert Agency.objects.active_on(FROM).search("phuong ba dinh").filter(pk=ba_dinh.pk).exists()
    # Wards and special zones are communes too; the package's type stays in the name.
    assert communes().filter(name_vi__startswith="Đặc khu ").count() == 13
    assert provinces.get(code=HANOI).gso_code == "01"


def test_provisional_code_rule_and_gso_code_stored(loaded):
    assert provisional_code("00004", HANOI) == "000.04.99.H26"
    assert provisional_code("32248", "000.00.00.H12") == "322.48.99.H12"
    assert communes().get(gso_code="00004").code == "000.04.99.H26"
    codes = list(communes().values_list("code", "gso_code"))
    assert all(FULL_CODE.match(code) and code.replace(".", "")[:5] == gso for code, gso in codes)
    assert len({code for code, _gso in codes}) == 3321
    # Level-2 group 99 with a non-zero GSO part: no Decision 20/2020 code of the registry is reused.
    assert not Agency.objects.exclude(kind=AgencyKind.COMMUNE).filter(code__in=[c for c, _g in codes]).exists()
    with pytest.raises(ValueError):
        provisional_code("00000", HANOI)


def test_second_run_changes_nothing_in_a_few_queries(loaded, django_assert_max_num_queries):
    history = Agency.history.count()
    with django_assert_max_num_queries(6):
        counts = load_communes()
    assert (counts.created, counts.updated, counts.unchanged, counts.provinces) == (0, 0, 3321, 34)
    assert Agency.history.count() == history and communes().count() == 3321


def test_first_load_is_bulk(registry, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        counts = load_communes()
    assert (counts.created, counts.updated, counts.unchanged) == (3321, 0, 0)


def test_a_changed_name_is_updated(loaded):
    communes().filter(gso_code="00004").update(name_vi="Phường Cũ", name_en="Old Ward", search_text="phuong cu")
    counts = load_communes()
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 3320)
    ba_dinh = communes().get(gso_code="00004")
    assert (ba_dinh.name_vi, ba_dinh.name_en) == ("Phường Ba Đình", "Ba Đình Ward")
    assert "phuong ba dinh" in ba_dinh.search_text
    assert ba_dinh.history.first().name_vi == "Phường Ba Đình"


def test_a_renamed_province_is_still_matched_by_its_gso_code(loaded):
    Agency.objects.filter(code=HANOI).update(name_vi="Thủ đô Hà Nội")
    assert load_communes().unchanged == 3321


def test_a_province_that_matches_nothing_fails_loudly_and_saves_nothing(registry):
    Agency.objects.filter(name_vi="Tỉnh Cao Bằng").update(name_vi="Tỉnh Cao Nguyên")
    with pytest.raises(InputRejected) as caught:
        load_communes()
    messages = " ".join(e.bilingual() for e in caught.value.errors)
    assert "Cao Bằng" in messages and "000.00.00.H14" in messages
    assert "khớp" in messages  # Vietnamese first
    with pytest.raises(CommandError, match="Cao Bằng"):
        call_command("load_registry", "--level", "commune")
    assert not communes().exists() and not Agency.objects.exclude(gso_code="").exists()


def test_communes_of_a_province_are_one_peer_group(loaded):
    # The key a score of a sub-unit carries (scoring.md §5: same kind, same parent).
    key = f"commune:{HANOI}"
    group = Agency.objects.active_on(FROM).in_group(key)
    assert group.count() == HANOI_COMMUNES and not group.exclude(parent__code=HANOI).exists()
    assert Agency.objects.in_group("provincial").filter(kind=AgencyKind.COMMUNE).count() == 0


def test_directory_shows_communes_under_their_province(loaded, client, make_user):
    client.force_login(make_user("web", "observer"))
    tree = client.get("/agencies/", {"as_of": "2025-07-01"}).content.decode()
    assert "Phường Ba Đình" not in tree  # children load lazily
    kids = client.get(f"/agencies/{HANOI}/children/", {"as_of": "2025-07-01"}).content.decode()
    assert kids.count("<li>") == HANOI_COMMUNES and "Phường Ba Đình" in kids
    detail = client.get(f"/agencies/{HANOI}/").content.decode()
    assert re.search(rf"<dd>{HANOI_COMMUNES}</dd>", detail)


def test_command_on_a_fresh_sqlite_database(tmp_path):
    database = tmp_path / "communes.sqlite3"
    own = ("DJANGO_", "DATABASE_URL", "REDIS_URL", "SQLITE_")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(own)},
           "DJANGO_SETTINGS_MODULE": "govit.settings.dev", "DATABASE_URL": f"sqlite:///{database}"}
    for command in (["migrate", "-v0"], ["load_registry", "--level", "commune"]):
        done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert "communes_created=3321" in done.stdout
    with sqlite3.connect(database) as db:
        (count, parents), = db.execute(
            "SELECT count(*), count(DISTINCT parent_id) FROM agencies_agency WHERE kind = 'commune'").fetchall()
    assert (count, parents) == (3321, 34)
