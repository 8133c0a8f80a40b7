"""Issue 15 item 4: normative targets, scoring by handling, size-free indicators and CDS weights, read as shipped."""

from pathlib import Path

import pytest

from assessments.catalog.schema import parse_catalog

FRAMEWORKS = Path(__file__).resolve().parents[2] / "assessments" / "catalog" / "frameworks"
CNTT = parse_catalog((FRAMEWORKS / "cntt-64.yaml").read_bytes())
CDS = parse_catalog((FRAMEWORKS / "cds.yaml").read_bytes())


def indicator(cat, code: str):
    return next(i for p in cat.pillars for i in p.indicators if i.code == code)


@pytest.mark.parametrize("code, average, target", [
    ("HT.04", 98, 100), ("DV.02", 60, 80), ("DV.03", 48.27, 80), ("UD.01", 90.8, 100), ("UD.02", 98, 100),
    ("NL.01", 90, 100), ("NL.02", 88, 100),
])
def test_targets_are_normative_not_the_national_average(code, average, target):
    normalization = indicator(CNTT, code).normalization
    assert normalization == {"method": "linear", "floor": 0, "target": target}
    notes = " ".join(b.note_en for b in indicator(CNTT, code).legal_basis)
    assert "reference value" in notes and f"target {average}" not in notes.replace("%", "")


@pytest.mark.parametrize("code", ["DV.02", "DV.03"])
def test_online_service_targets_cite_decision_942(code):
    basis = [b for b in indicator(CNTT, code).legal_basis if b.source == "QD-942-2021"]
    assert basis and "80%" in basis[0].note_en and "to be checked against the gazette" in basis[0].note_en


@pytest.mark.parametrize("cat, code", [(CNTT, "AT.07"), (CDS, "NT.04")], ids=["CNTT-64 AT.07", "CDS NT.04"])
def test_what_could_be_under_reported_is_scored_by_handling(cat, code):
    scored = indicator(cat, code)
    assert scored.type == "ratio"
    assert scored.normalization == {"method": "linear", "floor": 0, "target": 100}
    assert "in time" in scored.name_en
    assert "not applicable" in " ".join(b.note_en for b in scored.legal_basis)  # nothing to handle: an N/A claim


@pytest.mark.parametrize("cat, code, per", [
    (CNTT, "HT.05", "per 100 officials"), (CDS, "CPM.01", "per 100 administrative procedures"),
], ids=["CNTT-64 HT.05", "CDS CPM.01"])
def test_size_driven_indicators_are_normalized(cat, code, per):
    scored = indicator(cat, code)
    assert scored.type == "ratio" and per in scored.name_en


def test_cds_pillars_weigh_the_same():
    assert {p.weight for p in CDS.pillars} == {10}
