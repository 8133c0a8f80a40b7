"""The shipped national registry, read through the API as a client would."""

import datetime
import unicodedata
from pathlib import Path

import pytest

from agencies.models import Agency, AgencyLineage
from agencies.registry import load_registry
from agencies.selectors import reviewing_authority_on


def count(client, **params) -> int:
    response = client.get("/api/v1/agencies/", params)
    assert response.status_code == 200, response.content
    return response.json()["count"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, expected",
    [
        ({"group": "provincial", "active_on": "2025-06-30"}, 63),
        ({"group": "provincial", "active_on": "2025-07-01"}, 34),
        ({"kind": "province", "active_on": "2024-01-01"}, 63),
        ({"kind": "ministry,ministerial_agency", "active_on": "2025-02-28"}, 22),
        ({"kind": "ministry,ministerial_agency", "active_on": "2025-03-01"}, 17),
        ({"kind": "ministry", "active_on": "2025-02-28"}, 18),
        ({"kind": "ministry", "active_on": "2025-03-01"}, 14),
        ({"kind": "government_agency", "active_on": "2025-02-28"}, 8),
        ({"kind": "government_agency", "active_on": "2025-03-01"}, 5),
    ],
)
def test_active_counts_on_dates(registry, api, params, expected):
    assert count(api("observer"), **params) == expected


@pytest.mark.django_db
def test_loading_twice_changes_nothing(registry):
    before = list(Agency.objects.order_by("pk").values())
    counts = load_registry()
    assert counts["created"] == 0 and counts["updated"] == 0
    assert list(Agency.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_names_are_nfc_with_diacritics(registry):
    names = list(Agency.objects.values_list("name_vi", flat=True))
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert "Thành phố Hồ Chí Minh" in names and "Bộ Khoa học và Công nghệ" in names


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["ha noi", "HÀ NỘI", "Hà Nội", "hà nội", "HA NOI"])
def test_search_ignores_accents_and_case(registry, api, term):
    response = api("observer").get("/api/v1/agencies/", {"search": term})
    names = [a["name_vi"] for a in response.json()["results"]]
    assert "Thành phố Hà Nội" in names


@pytest.mark.django_db
def test_search_folds_d_with_stroke(registry, api):
    names = [a["name_vi"] for a in api("observer").get("/api/v1/agencies/", {"search": "dak lak"}).json()["results"]]
    assert any("Đắk Lắk" in n for n in names)


@pytest.mark.django_db
def test_ninh_binh_predecessors(registry, api):
    client = api("observer")
    found = client.get("/api/v1/agencies/", {"search": "ninh binh", "active_on": "2025-07-01"}).json()["results"]
    assert len(found) == 1
    detail = client.get(f"/api/v1/agencies/{found[0]['code']}/").json()
    assert detail["valid_from"] == "2025-07-01"
    predecessors = sorted(p["agency"]["name_vi"] for p in detail["predecessors"])
    assert predecessors == ["Tỉnh Hà Nam", "Tỉnh Nam Định", "Tỉnh Ninh Bình"]
    assert {p["date"] for p in detail["predecessors"]} == {"2025-07-01"}
    assert all("202/2025/QH15" in p["legal_act"] for p in detail["predecessors"])


@pytest.mark.django_db
def test_old_province_lists_its_successor(registry, api):
    client = api("observer")
    ha_nam = client.get("/api/v1/agencies/", {"search": "ha nam"}).json()["results"]
    assert len(ha_nam) == 1 and ha_nam[0]["valid_to"] == "2025-06-30"
    detail = client.get(f"/api/v1/agencies/{ha_nam[0]['code']}/").json()
    assert [s["agency"]["name_vi"] for s in detail["successors"]] == ["Tỉnh Ninh Bình"]


@pytest.mark.django_db
def test_ministry_mergers_of_2025(registry, api):
    client = api("observer")
    mic = client.get("/api/v1/agencies/G14/").json()
    assert mic["valid_to"] == "2025-02-28"
    assert [s["agency"]["code"] for s in mic["successors"]] == ["000.00.00.G06"]


@pytest.mark.django_db
def test_reviewing_authority_is_data(registry):
    assert reviewing_authority_on(datetime.date(2025, 2, 28)).code == "000.00.00.G14"
    assert reviewing_authority_on(datetime.date(2025, 3, 1)).code == "000.00.00.G06"


@pytest.mark.django_db
def test_g91_english_name(registry):
    assert Agency.objects.get(code="000.00.00.G91").name_en == "Ministry of Ethnic and Religious Affairs"


# Merged provinces whose administrative centre is in the predecessor whose name was not kept (issue 15).
CENTRE_ELSEWHERE = {"Lào Cai": "Yên Bái", "Bắc Ninh": "Bắc Giang", "Quảng Trị": "Quảng Bình", "Gia Lai": "Bình Định",
                    "Tây Ninh": "Long An", "Đồng Tháp": "Tiền Giang", "An Giang": "Kiên Giang"}


@pytest.mark.django_db
def test_every_merged_province_records_its_administrative_centre(registry):
    merged = Agency.objects.filter(kind="province", valid_from=datetime.date(2025, 7, 1))
    assert merged.count() == 23
    for province in merged:
        predecessors = {link.predecessor.code: link.predecessor.name_vi.split(" ", 1)[1]
                        for link in AgencyLineage.objects.filter(successor=province).select_related("predecessor")}
        name = province.name_vi.split(" ", 1)[1]
        assert predecessors[province.admin_centre] == CENTRE_ELSEWHERE.get(name, name), province.name_vi


def test_sources_cite_only_repository_paths_or_public_acts():
    directory = Path(__file__).resolve().parents[1] / "agencies" / "data" / "registry"
    text = "\n".join(p.read_text(encoding="utf-8") for p in directory.iterdir())
    for outside in ("agencies.md", "legal-basis.md", "/work/", "search-index", "brief"):
        assert outside not in text
