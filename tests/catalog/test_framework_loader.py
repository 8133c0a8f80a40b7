"""load_framework (formats.md §1): every error with its YAML path, nothing loaded on error, idempotent."""

import copy
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.catalog.loader import load_framework
from assessments.catalog.models import Framework, Indicator, LegalBasis, LegalSource, Pillar
from assessments.catalog.selectors import latest_framework
from govit.errors import InputRejected
from tests.values.conftest import FRAMEWORK_YAML, SAMPLES

CATALOGS = sorted((Path(__file__).resolve().parents[2] / "assessments" / "catalog" / "frameworks").glob("*.yaml"))


def sample() -> dict:
    return yaml.safe_load(FRAMEWORK_YAML)


def dump(tree: dict) -> bytes:
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode()


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(InputRejected) as exc:
        load_framework(data)
    return [e.where for e in exc.value.errors]


@pytest.mark.django_db
def test_sample_catalog_loads_with_its_tree():
    result = load_framework(FRAMEWORK_YAML)
    fw = result.framework
    assert result.created and (fw.code, fw.version) == ("SAMPLE", "2024.1")
    assert fw.name_en == "Sample catalog" and fw.levels[-1] == {"code": "leading"}
    assert list(fw.pillars.values_list("code", flat=True)) == ["HT", "AT"]
    assert list(fw.indicators.values_list("code", flat=True)) == ["HT.01", "HT.02", "HT.03", "AT.01", "AT.02", "AT.03"]
    ht01 = fw.indicators.get(code="HT.01")
    assert ht01.pillar.code == "HT" and ht01.type == "percent" and ht01.max_points == 10
    assert ht01.normalization == {"method": "linear", "floor": 0, "target": 90}
    assert ht01.evidence_en == "Equipment inventory report"
    basis = ht01.legal_basis.get()
    assert (basis.source.code, basis.article, basis.clause, basis.note_vi) == ("ND-64-2007", "10", "3", "Hạ tầng")
    assert str(basis.source.issued) == "2007-04-10"
    assert fw.indicators.get(code="HT.02").normalization["bands"] == [[0, 0], [50, 0.5], [90, 1]]
    level = fw.indicators.get(code="AT.02")
    assert (level.min_level, level.max_level) == (1, 4)
    assert fw.indicators.get(code="AT.03").applies_to == ["province"]
    assert LegalSource.objects.count() == 2 and LegalBasis.objects.count() == 2


@pytest.mark.django_db
def test_levels_default_to_scoring_section_6():
    tree = sample()
    del tree["levels"]
    assert [lvl["code"] for lvl in load_framework(dump(tree)).framework.levels] == [
        "starting", "developing", "advanced", "leading"]


@pytest.mark.django_db
def test_loading_the_same_content_twice_changes_nothing():
    first = load_framework(FRAMEWORK_YAML).framework
    # Same content written differently: no comments, other key order, 10.0 for 10.
    tree = sample()
    tree["pillars"][0]["indicators"][0]["max_points"] = 10.0
    reordered = dict(reversed(list(tree.items())))
    again = load_framework(dump(reordered))
    assert not again.created and again.framework.pk == first.pk
    assert Framework.objects.count() == 1 and Indicator.objects.count() == 6


@pytest.mark.django_db
def test_same_version_with_other_content_is_refused():
    load_framework(FRAMEWORK_YAML)
    tree = sample()
    tree["pillars"][0]["indicators"][0]["max_points"] = 12
    with pytest.raises(InputRejected) as exc:
        load_framework(dump(tree))
    assert exc.value.errors[0].where == "version"
    assert "new version" in exc.value.errors[0].as_dict()["message_en"]
    assert Indicator.objects.get(code="HT.01").max_points == 10


@pytest.mark.django_db
def test_a_new_version_is_created_beside_the_old_one():
    old = load_framework(FRAMEWORK_YAML).framework
    tree = sample()
    tree["version"] = "2024.10"
    tree["pillars"][0]["indicators"][0]["max_points"] = 12
    new = load_framework(dump(tree)).framework
    assert new.pk != old.pk and Framework.objects.filter(code="SAMPLE").count() == 2
    assert old.indicators.get(code="HT.01").max_points == 10 and new.indicators.get(code="HT.01").max_points == 12
    tree["version"] = "2024.9"  # loaded later, but an older version number
    load_framework(dump(tree))
    assert latest_framework("SAMPLE").version == "2024.10"


def _set(path):
    """Build a mutation that sets a value at a path of keys and indexes ("DELETE" removes the key)."""
    def mutate(tree, value):
        node = tree
        for key in path[:-1]:
            node = node[key]
        if value == "DELETE":
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return mutate


IND0 = ("pillars", 0, "indicators", 0)
CASES = [
    # (id, path to change, new value, expected YAML path of the error)
    ("unknown-method", (*IND0, "normalization"), {"method": "sigmoid"},
     "pillars[0].indicators[0].normalization.method"),
    ("missing-param", (*IND0, "normalization"), {"method": "linear", "floor": 0},
     "pillars[0].indicators[0].normalization.target"),
    ("extra-param", (*IND0, "normalization"), {"method": "linear", "floor": 0, "target": 9, "bands": []},
     "pillars[0].indicators[0].normalization.bands"),
    ("boolean-with-param", ("pillars", 0, "indicators", 2, "normalization"), {"method": "boolean", "floor": 0},
     "pillars[0].indicators[2].normalization.floor"),
    ("boolean-method-wrong-type", (*IND0, "normalization"), {"method": "boolean"},
     "pillars[0].indicators[0].normalization.method"),
    ("floor-equals-target", (*IND0, "normalization"), {"method": "linear", "floor": 5, "target": 5},
     "pillars[0].indicators[0].normalization.target"),
    ("target-not-number", (*IND0, "normalization"), {"method": "linear", "floor": 0, "target": "ninety"},
     "pillars[0].indicators[0].normalization.target"),
    ("bands-not-ascending", ("pillars", 0, "indicators", 1, "normalization", "bands"), [[0, 0], [90, 1], [50, 0.5]],
     "pillars[0].indicators[1].normalization.bands[2][0]"),
    ("band-score-above-1", ("pillars", 0, "indicators", 1, "normalization", "bands"), [[0, 1.5]],
     "pillars[0].indicators[1].normalization.bands[0][1]"),
    ("band-not-a-pair", ("pillars", 0, "indicators", 1, "normalization", "bands"), [[0, 0, 1]],
     "pillars[0].indicators[1].normalization.bands[0]"),
    ("bands-empty", ("pillars", 0, "indicators", 1, "normalization", "bands"), [],
     "pillars[0].indicators[1].normalization.bands"),
    ("level-min-not-below-max", ("pillars", 1, "indicators", 1, "min_level"), 4, "pillars[1].indicators[1].max_level"),
    ("level-min-missing", ("pillars", 1, "indicators", 1, "min_level"), "DELETE", "pillars[1].indicators[1].min_level"),
    ("level-bounds-on-percent", (*IND0, "min_level"), 1, "pillars[0].indicators[0].min_level"),
    ("duplicate-pillar", ("pillars", 1, "code"), "HT", "pillars[1].code"),
    ("duplicate-indicator", ("pillars", 1, "indicators", 0, "code"), "HT.01", "pillars[1].indicators[0].code"),
    ("undeclared-source", (*IND0, "legal_basis", 0, "source"), "ND-99-2099",
     "pillars[0].indicators[0].legal_basis[0].source"),
    ("weights-mixed", ("pillars", 0, "weight"), 2, "pillars[1].weight"),
    ("weight-zero", ("pillars", 0, "weight"), 0, "pillars[0].weight"),
    ("levels-not-ascending", ("levels", 1, "below"), 0.2, "levels[1].below"),
    ("last-level-with-below", ("levels", 3), {"code": "leading", "below": 1}, "levels[3].below"),
    ("level-without-below", ("levels", 0), {"code": "starting"}, "levels[0].below"),
    ("applies-to-unknown-kind", ("pillars", 1, "indicators", 2, "applies_to"), ["planet"],
     "pillars[1].indicators[2].applies_to[0]"),
    ("negative-max-points", (*IND0, "max_points"), -1, "pillars[0].indicators[0].max_points"),
    ("max-points-not-number", (*IND0, "max_points"), True, "pillars[0].indicators[0].max_points"),
    ("missing-type", (*IND0, "type"), "DELETE", "pillars[0].indicators[0].type"),
    ("unknown-type", (*IND0, "type"), "money", "pillars[0].indicators[0].type"),
    ("misspelt-key", (*IND0, "normalisation"), {"method": "minmax"}, "pillars[0].indicators[0].normalisation"),
    ("version-not-text", ("version",), 2024.1, "version"),
    ("missing-name-vi", ("name",), {"en": "x"}, "name.vi"),
    ("duplicate-source", ("legal_sources", 1, "code"), "ND-64-2007", "legal_sources[1].code"),
    ("issued-not-date", ("legal_sources", 0, "issued"), "10/04/2007", "legal_sources[0].issued"),
    ("no-pillars", ("pillars",), [], "pillars"),
    ("no-indicators", ("pillars", 1, "indicators"), [], "pillars[1].indicators"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("path, value, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_error_is_reported_with_its_yaml_path_and_nothing_is_loaded(path, value, expected):
    tree = copy.deepcopy(sample())
    _set(path)(tree, value)
    assert expected in errors_of(dump(tree))
    assert not Framework.objects.exists() and not Pillar.objects.exists()


@pytest.mark.django_db
def test_every_error_is_listed_at_once():
    tree = sample()
    tree["pillars"][0]["indicators"][0]["normalization"] = {"method": "linear", "floor": 0}
    tree["pillars"][1]["code"] = "HT"
    assert errors_of(dump(tree)) == ["pillars[0].indicators[0].normalization.target", "pillars[1].code"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, where",
    [
        (b"code: X\nversion: '1'\nname: {vi: a\n", "line 4, column 1"),
        (b"code: X\ncode: Y\n", "line 2, column 1"),
        (b"a: &x [1]\nb: *x\n", "line 2, column 4"),
    ],
    ids=["syntax", "duplicate-key", "alias"],
)
def test_yaml_problems_give_line_and_column(data, where):
    assert errors_of(data) == [where]
    assert not Framework.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [b"", b"- a list\n", b"\xff\xfe"], ids=["empty", "not-a-mapping", "not-utf8"])
def test_unusable_catalogs_are_refused(data):
    with pytest.raises(InputRejected):
        load_framework(data)


@pytest.mark.django_db
def test_command_loads_and_reports_unchanged(capsys):
    call_command("load_framework", str(SAMPLES / "framework.yaml"))
    call_command("load_framework", str(SAMPLES / "framework.yaml"))
    out = capsys.readouterr().out
    assert "Loaded: SAMPLE 2024.1 (6 indicators)" in out and "Unchanged: SAMPLE 2024.1" in out


@pytest.mark.django_db
def test_command_prints_errors_with_their_path_and_fails(tmp_path):
    tree = sample()
    tree["pillars"][0]["indicators"][0]["normalization"] = {"method": "sigmoid"}
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(dump(tree))
    with pytest.raises(CommandError) as exc:
        call_command("load_framework", str(bad))
    assert "pillars[0].indicators[0].normalization.method" in str(exc.value)
    assert "Unknown normalization method “sigmoid”" in str(exc.value)
    assert not Framework.objects.exists()


@pytest.mark.django_db
@pytest.mark.skipif(not CATALOGS, reason="no catalog shipped in assessments/catalog/frameworks yet")
@pytest.mark.parametrize("path", CATALOGS, ids=[p.name for p in CATALOGS])
def test_shipped_catalogs_load_and_reload_as_unchanged(path):
    first = load_framework(path.read_bytes())
    assert first.created and first.framework.indicators.exists()
    assert not load_framework(path.read_bytes()).created
