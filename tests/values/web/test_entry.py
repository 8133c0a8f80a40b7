"""Data entry per pillar: typed inputs saved as drafts all or nothing, optimistic versions, evidence
files checked by content, submission by leads only, closed periods read-only, scope as 404."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.catalog.periods import close_period
from assessments.values.models import Evidence, IndicatorValue, ValueStatus
from assessments.values.services import reject_value, save_value, submit_value

from .conftest import PDF, value_of


def url(w, pillar="HT", agency=None, **extra):
    agency = agency or w.province
    query = {"framework": "SAMPLE", "period": 2024, "agency": getattr(agency, "pk", agency), "pillar": pillar, **extra}
    return reverse("values-entry") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def ht_form(w, **overrides) -> dict:
    """The HT pillar's form as a browser posts it for a first entry (versions 0)."""
    i1, i2, i3 = (w.ind[c].pk for c in ("HT.01", "HT.02", "HT.03"))
    data = {
        "action": "save",
        f"i{i1}-version": "0", f"i{i1}-value": "90,5", f"i{i1}-note": "Kiểm kê 2024", f"i{i1}-evidence_url": "",
        f"i{i2}-version": "0", f"i{i2}-numerator": "45", f"i{i2}-denominator": "50", f"i{i2}-note": "",
        f"i{i2}-evidence_url": "https://hanoi.gov.vn/bao-cao",
        f"i{i3}-version": "0", f"i{i3}-value": "true", f"i{i3}-note": "", f"i{i3}-evidence_url": "",
    }
    return {**data, **overrides}


def test_staff_sees_the_pillar_form_with_typed_inputs(world, as_user):
    page = as_user(world.staff).get(reverse("values-entry")).content.decode()  # defaults: own agency, open period
    assert 'data-indicator="HT.01"' in page and 'data-indicator="HT.03"' in page
    assert f'name="i{world.ind["HT.02"].pk}-numerator"' in page  # ratio: numerator and denominator
    assert f'<select name="i{world.ind["HT.03"].pk}-value"' in page  # boolean: có / không
    assert 'data-testid="submit-why"' in page and 'data-testid="submit-pillar" disabled' not in page
    assert 'value="submit" class="values-secondary" disabled' in page  # staff: submit disabled, explained


def test_level_and_province_only_indicators_follow_the_agency_kind(world, as_user):
    client = as_user(world.wide)
    province = client.get(url(world, "AT")).content.decode()
    department = client.get(url(world, "AT", agency=world.department)).content.decode()
    assert 'data-indicator="AT.03"' in province and 'data-indicator="AT.03"' not in department
    assert '<option value="4">4</option>' in department  # level 1..4 as a choice


def test_save_draft_stores_every_row_with_decimal_comma(world, as_user):
    response = as_user(world.staff).post(url(world), ht_form(world))
    assert response.status_code == 302
    v1 = value_of(world.province, world.ind["HT.01"], world.period)
    v2 = value_of(world.province, world.ind["HT.02"], world.period)
    v3 = value_of(world.province, world.ind["HT.03"], world.period)
    assert (v1.value_decimal, v1.note, v1.status, v1.updated_by) == (Decimal("90.5"), "Kiểm kê 2024", "draft",
                                                                     world.staff)
    assert (v2.numerator, v2.denominator, v2.evidence_url) == (45, 50, "https://hanoi.gov.vn/bao-cao")
    assert v3.value_bool is True
    page = as_user(world.staff).get(url(world)).content.decode()
    assert 'value="90,5"' in page  # shown back with a decimal comma


def test_blank_rows_are_skipped_and_unchanged_rows_keep_their_version(world, as_user):
    client = as_user(world.staff)
    i1 = world.ind["HT.01"].pk
    form = {k: v for k, v in ht_form(world).items() if not k.startswith(f"i{world.ind['HT.02'].pk}-")}
    form |= {f"i{world.ind['HT.03'].pk}-value": ""}
    assert client.post(url(world), form).status_code == 302
    assert IndicatorValue.objects.count() == 1
    v1 = value_of(world.province, world.ind["HT.01"], world.period)
    again = ht_form(world, **{f"i{i1}-version": str(v1.version)})
    again = {k: v for k, v in again.items() if k.startswith(f"i{i1}-") or k == "action"}
    assert client.post(url(world), again).status_code == 302
    v1.refresh_from_db()
    assert v1.version == 1  # nothing changed: no new version


def test_bad_rows_are_shown_next_to_their_fields_and_nothing_is_saved(world, as_user):
    i1, i2 = world.ind["HT.01"].pk, world.ind["HT.02"].pk
    form = ht_form(world, **{f"i{i1}-value": "120", f"i{i2}-numerator": "60",
                             f"i{i2}-evidence_url": "javascript:alert(1)"})
    response = as_user(world.staff).post(url(world), form)
    assert response.status_code == 400
    assert IndicatorValue.objects.count() == 0  # HT.03 was fine, but the form is all or nothing
    page = response.content.decode()
    rows = {row.split('data-indicator="')[1][:5]: row for row in page.split("<tr ")[1:] if "data-indicator" in row}
    assert "0 và 100" in rows["HT.01"] or "between 0 and 100" in rows["HT.01"]
    assert 'aria-invalid="true" data-testid="value"' in rows["HT.01"] and 'value="120"' in rows["HT.01"]
    assert "numerator cannot exceed" in rows["HT.02"] and "http:// or https://" in rows["HT.02"]
    assert 'data-testid="problems"' not in rows["HT.03"]


def test_a_stale_version_is_a_conflict_that_keeps_the_typed_text(world, as_user):
    client = as_user(world.staff)
    client.post(url(world), ht_form(world))
    v1 = value_of(world.province, world.ind["HT.01"], world.period)
    save_value(world.lead, world.province, world.ind["HT.01"], world.period, value="70", expected_version=1)
    i1 = world.ind["HT.01"].pk
    response = client.post(url(world), ht_form(world, **{f"i{i1}-version": "1", f"i{i1}-value": "95"}))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="conflict"' in page and 'value="95"' in page and "version 2" in page
    v1.refresh_from_db()
    assert (v1.value_decimal, v1.version, v1.updated_by) == (Decimal(70), 2, world.lead)


def test_evidence_file_is_uploaded_with_the_row_and_can_be_downloaded(world, as_user):
    client = as_user(world.staff)
    i1 = world.ind["HT.01"].pk
    form = ht_form(world, **{f"i{i1}-file": SimpleUploadedFile("Biên bản kiểm kê.pdf", PDF)})
    assert client.post(url(world), form).status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type, evidence.value.indicator.code) == (
        "Biên bản kiểm kê.pdf", "application/pdf", "HT.01")
    page = client.get(url(world)).content.decode()
    link = reverse("values-evidence-file", args=[evidence.pk])
    assert link in page and "Biên bản kiểm kê.pdf" in page
    download = client.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert as_user(world.staff_other).get(link).status_code == 404
    assert as_user(world.observer).get(link).status_code == 404


def test_a_file_that_is_not_what_its_name_says_refuses_the_whole_form(world, as_user, tmp_path):
    i1 = world.ind["HT.01"].pk
    form = ht_form(world, **{f"i{i1}-file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 64)})
    response = as_user(world.staff).post(url(world), form)
    assert response.status_code == 400
    assert "PDF, PNG, JPEG" in response.content.decode()
    assert IndicatorValue.objects.count() == 0 and Evidence.objects.count() == 0
    good = ht_form(world, **{f"i{i1}-file": SimpleUploadedFile("a.pdf", PDF),
                             f"i{world.ind['HT.02'].pk}-denominator": "0"})
    assert as_user(world.staff).post(url(world), good).status_code == 400
    assert Evidence.objects.count() == 0 and not [p for p in tmp_path.rglob("*") if p.is_file()]  # file removed


def test_another_agency_is_not_found(world, as_user):
    client = as_user(world.staff)
    assert client.get(url(world, agency=world.other)).status_code == 404
    assert client.post(url(world, agency=world.other), ht_form(world)).status_code == 404
    assert client.get(url(world, agency=world.department)).status_code == 404  # no descendants in scope
    assert client.get(url(world, agency="x")).status_code == 404
    assert as_user(world.wide).get(url(world, agency=world.department)).status_code == 200
    assert IndicatorValue.objects.count() == 0


def test_observers_have_no_entry_page(world, as_user):
    assert as_user(world.observer).get(reverse("values-entry")).status_code == 403


def test_staff_may_not_submit_and_nothing_is_saved(world, as_user):
    response = as_user(world.staff).post(url(world), ht_form(world, action="submit"))
    assert response.status_code == 403
    assert IndicatorValue.objects.count() == 0


def test_lead_saves_and_submits_the_pillar_then_every_pillar(world, as_user):
    save_value(world.staff, world.province, world.ind["AT.01"], world.period, value="2")
    client = as_user(world.lead)
    assert client.post(url(world), ht_form(world, action="submit")).status_code == 302
    statuses = dict(IndicatorValue.objects.values_list("indicator__code", "status"))
    assert statuses == {"HT.01": "submitted", "HT.02": "submitted", "HT.03": "submitted", "AT.01": "draft"}
    assert client.post(url(world, "AT"), {"action": "submit_all"}).status_code == 302
    assert value_of(world.province, world.ind["AT.01"], world.period).status == "submitted"


def test_submitting_a_pillar_changed_meanwhile_is_a_conflict(world, as_user):
    value = save_value(world.staff, world.province, world.ind["HT.01"], world.period, value="50")
    i1 = world.ind["HT.01"].pk
    form = {"action": "submit", f"i{i1}-version": "1", f"i{i1}-value": "50", f"i{i1}-note": "",
            f"i{i1}-evidence_url": ""}
    save_value(world.staff, world.province, world.ind["HT.01"], world.period, value="55", expected_version=1)
    response = as_user(world.lead).post(url(world), form)
    assert response.status_code == 409
    value.refresh_from_db()
    assert (value.status, value.value_decimal) == ("draft", Decimal(55))


def test_rejected_value_shows_its_reason_and_goes_back_to_draft_when_edited(world, as_user):
    value = save_value(world.staff, world.province, world.ind["HT.01"], world.period, value="50")
    value = submit_value(world.lead, value, 1)
    value = reject_value(world.reviewer, value, "Thiếu biên bản kiểm kê", 2)
    client = as_user(world.staff)
    page = client.get(url(world)).content.decode()
    assert 'data-testid="reject-reason"' in page and "Thiếu biên bản kiểm kê" in page
    i1 = world.ind["HT.01"].pk
    form = {"action": "save", f"i{i1}-version": "3", f"i{i1}-value": "60", f"i{i1}-note": "Đã bổ sung",
            f"i{i1}-evidence_url": ""}
    assert client.post(url(world), form).status_code == 302
    value.refresh_from_db()
    assert (value.status, value.value_decimal, value.version) == ("draft", Decimal(60), 4)


def test_closed_period_is_read_only(world, as_user):
    save_value(world.staff, world.province, world.ind["HT.01"], world.period, value="50")
    close_period(world.period)
    client = as_user(world.staff)
    page = client.get(url(world)).content.decode()
    assert 'data-testid="period-closed"' in page and 'data-testid="save"' not in page
    assert f'name="i{world.ind["HT.01"].pk}-value"' not in page and 'data-testid="shown-value">50 %<' in page
    response = client.post(url(world), ht_form(world, **{f"i{world.ind['HT.01'].pk}-version": "1"}))
    assert response.status_code == 409
    assert value_of(world.province, world.ind["HT.01"], world.period).value_decimal == Decimal(50)


def test_reviewer_marks_not_applicable_with_a_reason(world, as_user):
    i3 = world.ind["HT.03"]
    client = as_user(world.reviewer)
    page = client.get(url(world)).content.decode()
    assert 'data-testid="mark-na"' in page and 'data-testid="save"' not in page  # reviewers do not enter values
    missing = client.post(url(world), {"action": "not_applicable", "indicator": i3.pk, "reason": " "})
    assert missing.status_code == 400 and value_of(world.province, i3, world.period) is None
    assert client.post(url(world), {"action": "not_applicable", "indicator": i3.pk,
                                     "reason": "Đơn vị không có cổng riêng"}).status_code == 302
    value = value_of(world.province, i3, world.period)
    assert (value.status, value.na_reason) == (ValueStatus.NOT_APPLICABLE, "Đơn vị không có cổng riêng")
    for user in (world.staff, world.reviewer_member):  # not a reviewer / reviewing their own agency
        response = as_user(user).post(url(world), {"action": "not_applicable", "indicator": world.ind["HT.01"].pk,
                                                  "reason": "x"})
        assert response.status_code == 403


def test_default_is_the_latest_open_period(world, as_user):
    from assessments.catalog.periods import create_period

    newer = create_period("SAMPLE", 2025, deadline=datetime.date(2026, 3, 31)).period
    close_period(newer)
    page = as_user(world.staff).get(reverse("values-entry")).content.decode()
    assert '<option value="2024" selected>' in page



def test_the_values_link_leads_each_role_to_its_page(world, as_user):
    home = reverse("values-home")
    assert 'data-testid="nav-values"' in as_user(world.staff).get(reverse("home")).content.decode()
    assert as_user(world.lead).get(home).url == reverse("values-entry")
    assert as_user(world.reviewer).get(home).url == reverse("values-review")
    assert as_user(world.observer).get(home).url == reverse("values-completeness")


def rows_by_code(page: str) -> dict[str, str]:
    return {row.split('data-indicator="')[1][:5]: row for row in page.split("<tr ")[1:] if "data-indicator" in row}


def test_staff_claims_not_applicable_with_the_pillar_form(world, as_user):
    i3 = world.ind["HT.03"].pk
    client = as_user(world.staff)
    assert f'name="i{i3}-na"' in client.get(url(world)).content.decode()
    form = ht_form(world, **{f"i{i3}-value": "", f"i{i3}-na": "1", f"i{i3}-na_reason": "Dùng cổng của Chính phủ",
                             f"i{i3}-note": "Công văn 12/UBND"})
    assert client.post(url(world), form).status_code == 302
    claim = value_of(world.province, world.ind["HT.03"], world.period)
    assert (claim.status, claim.na_reason, claim.value_bool, claim.note) == (
        ValueStatus.DRAFT, "Dùng cổng của Chính phủ", None, "Công văn 12/UBND")
    assert value_of(world.province, world.ind["HT.01"], world.period).value_decimal == Decimal("90.5")
    row = rows_by_code(client.get(url(world)).content.decode())["HT.03"]
    assert 'value="1" checked data-testid="na-claim-box"' in row and 'data-status="draft"' in row
    assert 'data-testid="na-claim"' in row and "Dùng cổng của Chính phủ" in row
    # The lead submits the pillar: the claim goes with it, and the row reads it back without inputs.
    i1, i2 = world.ind["HT.01"].pk, world.ind["HT.02"].pk
    submit = ht_form(world, action="submit", **{f"i{i}-version": "1" for i in (i1, i2, i3)},
                     **{f"i{i3}-value": "", f"i{i3}-na": "1", f"i{i3}-na_reason": "Dùng cổng của Chính phủ",
                        f"i{i3}-note": "Công văn 12/UBND"})
    assert as_user(world.lead).post(url(world), submit).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.version) == (ValueStatus.SUBMITTED, 2)  # unchanged claim: submitted only
    row = rows_by_code(client.get(url(world)).content.decode())["HT.03"]
    assert f'name="i{i3}-na"' not in row and 'data-status="submitted"' in row
    assert 'data-testid="na-claim"' in row and "Dùng cổng của Chính phủ" in row


def test_a_claim_needs_a_reason_and_no_value(world, as_user):
    i1, i3 = world.ind["HT.01"].pk, world.ind["HT.03"].pk
    client = as_user(world.staff)
    response = client.post(url(world), ht_form(world, **{f"i{i3}-value": "", f"i{i3}-na": "1",
                                                         f"i{i3}-na_reason": "  "}))
    assert response.status_code == 400 and IndicatorValue.objects.count() == 0  # all or nothing
    row = rows_by_code(response.content.decode())["HT.03"]
    assert 'aria-invalid="true" data-testid="na-claim-reason"' in row
    assert "reason is required" in row and 'checked data-testid="na-claim-box"' in row
    both = client.post(url(world), ht_form(world, **{f"i{i1}-na": "1", f"i{i1}-na_reason": "Không áp dụng"}))
    assert both.status_code == 400 and IndicatorValue.objects.count() == 0
    assert "not both" in rows_by_code(both.content.decode())["HT.01"]
    # A reason typed without ticking the box is not a claim: the value is saved as typed.
    assert client.post(url(world), ht_form(world, **{f"i{i1}-na_reason": "?"})).status_code == 302
    assert value_of(world.province, world.ind["HT.01"], world.period).na_reason == ""


def test_a_value_typed_over_a_claim_replaces_it(world, as_user):
    from assessments.values.services import claim_not_applicable

    claim = claim_not_applicable(world.staff, world.province, world.ind["HT.01"], world.period, "Không áp dụng")
    i1 = world.ind["HT.01"].pk
    form = {"action": "save", f"i{i1}-version": "1", f"i{i1}-value": "70", f"i{i1}-note": "",
            f"i{i1}-evidence_url": "", f"i{i1}-na_reason": "Không áp dụng"}  # box unticked
    assert as_user(world.staff).post(url(world), form).status_code == 302
    claim.refresh_from_db()
    assert (claim.value_decimal, claim.na_reason, claim.version) == (Decimal(70), "", 2)
