"""Value workflow (roles.md): who may edit, submit, verify, reject, mark N/A; versions and history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessments.catalog.periods import close_period
from assessments.values.models import IndicatorValue, ValueStatus
from assessments.values.selectors import visible_values
from assessments.values.services import (
    claim_not_applicable,
    mark_not_applicable,
    reject_value,
    save_value,
    submit_value,
    verify_value,
)
from govit.errors import Conflict, InputRejected

G12, H29, DEPT = "000.00.00.G12", "000.00.00.H29", "000.00.01.H29"


@pytest.fixture
def users(agencies, make_user):
    made = {
        "staff": make_user("staff", "agency_staff", G12),
        "lead": make_user("lead", "agency_lead", G12),
        "reviewer": make_user("reviewer", "reviewer"),
        "admin": make_user("admin", "admin"),
        "observer": make_user("observer", "observer"),
        "member_reviewer": make_user("member_reviewer", "reviewer", G12),
        "hcm_lead": make_user("hcm_lead", "agency_lead", H29, with_descendants=True),
    }
    made["hcm_lead"].agency = agencies[H29]  # the HCMC of 2024, parent of the department
    made["hcm_lead"].save()
    return made


@pytest.fixture
def draft(users, agencies, indicator, period):
    return save_value(users["staff"], agencies[G12], indicator("HT.01"), period, value="90,8")


@pytest.mark.django_db
def test_staff_saves_and_edits_a_draft_with_versions_and_history(users, agencies, indicator, period, draft):
    assert (draft.status, draft.version, draft.value_decimal, draft.updated_by) == (
        ValueStatus.DRAFT, 1, Decimal("90.8"), users["staff"])
    edited = save_value(users["staff"], agencies[G12], indicator("HT.01"), period, value="91%", expected_version=1)
    assert (edited.pk, edited.version, edited.value_decimal) == (draft.pk, 2, 91)
    same = save_value(users["staff"], agencies[G12], indicator("HT.01"), period, value="91", expected_version=2)
    assert same.version == 2  # nothing changed, nothing written
    history = list(edited.history.order_by("history_date"))
    assert [h.value_decimal for h in history] == [Decimal("90.8"), 91]
    assert {h.history_user for h in history} == {users["staff"]}


@pytest.mark.django_db
def test_stale_or_missing_version_is_a_conflict(users, agencies, indicator, period, draft):
    args = (users["staff"], agencies[G12], indicator("HT.01"), period)
    save_value(*args, value="50", expected_version=1)
    with pytest.raises(Conflict):
        save_value(*args, value="60", expected_version=1)
    with pytest.raises(Conflict):
        save_value(*args, value="60")
    assert IndicatorValue.objects.get().value_decimal == 50


@pytest.mark.django_db
def test_edit_rules_are_those_of_the_importer(users, agencies, indicator, period):
    with pytest.raises(InputRejected) as exc:
        save_value(users["staff"], agencies[G12], indicator("HT.01"), period, value="1.234,5")
    assert exc.value.errors[0].where == "value"
    with pytest.raises(InputRejected) as exc:
        save_value(users["staff"], agencies[G12], indicator("HT.02"), period, numerator=3, denominator=0)
    assert exc.value.errors[0].where == "denominator"
    with pytest.raises(InputRejected) as exc:
        save_value(users["staff"], agencies[G12], indicator("AT.03"), period, value=3)
    assert exc.value.errors[0].where == "indicator"  # AT.03 is for provinces
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reviewer", "admin", "observer", "hcm_lead"])
def test_only_agency_roles_in_scope_edit(users, agencies, indicator, period, who):
    with pytest.raises(PermissionDenied):
        save_value(users[who], agencies[G12], indicator("HT.01"), period, value="5")


@pytest.mark.django_db
def test_scope_with_descendants_covers_sub_units(users, agencies, indicator, period):
    value = save_value(users["hcm_lead"], agencies[DEPT], indicator("HT.01"), period, value="5")
    assert submit_value(users["hcm_lead"], value).status == ValueStatus.SUBMITTED


def assert_frozen(users, value) -> None:
    """Neither the staff's save at the value's current version nor the lead's submit goes through."""
    with pytest.raises(Conflict):
        save_value(users["staff"], value.agency, value.indicator, value.period, value="1",
                   expected_version=value.version)
    with pytest.raises(Conflict):
        submit_value(users["lead"], value)


@pytest.mark.django_db
def test_lead_submits_staff_may_not_and_submitted_is_frozen(users, draft):
    with pytest.raises(PermissionDenied):
        submit_value(users["staff"], draft)
    submitted = submit_value(users["lead"], draft, expected_version=1)
    assert (submitted.status, submitted.version) == (ValueStatus.SUBMITTED, 2)
    assert_frozen(users, submitted)


@pytest.mark.django_db
def test_reviewer_verifies_but_never_for_their_own_agency(users, draft):
    submitted = submit_value(users["lead"], draft)
    with pytest.raises(PermissionDenied):
        verify_value(users["member_reviewer"], submitted)
    with pytest.raises(PermissionDenied):
        verify_value(users["lead"], submitted)
    verified = verify_value(users["reviewer"], submitted, expected_version=2)
    assert verified.status == ValueStatus.VERIFIED and verified.updated_by == users["reviewer"]
    with pytest.raises(Conflict):  # a second reviewer acting on the same value
        verify_value(users["admin"], submitted)
    with pytest.raises(Conflict):
        reject_value(users["admin"], submitted, "too late")


@pytest.mark.django_db
def test_drafts_cannot_be_verified_or_rejected(users, draft):
    with pytest.raises(Conflict):
        verify_value(users["reviewer"], draft)
    with pytest.raises(Conflict):
        reject_value(users["reviewer"], draft, "no")


@pytest.mark.django_db
def test_reject_needs_a_reason_and_the_agency_can_fix_and_resubmit(users, agencies, indicator, period, draft):
    submitted = submit_value(users["lead"], draft)
    with pytest.raises(InputRejected) as exc:
        reject_value(users["reviewer"], submitted, "   ")
    assert exc.value.errors[0].where == "reason"
    rejected = reject_value(users["reviewer"], submitted, "Thiếu biên bản")
    assert (rejected.status, rejected.reject_reason) == (ValueStatus.REJECTED, "Thiếu biên bản")
    fixed = save_value(users["staff"], agencies[G12], indicator("HT.01"), period, value="80",
                       expected_version=rejected.version)
    assert fixed.status == ValueStatus.DRAFT
    again = submit_value(users["lead"], fixed)
    assert (again.status, again.reject_reason) == (ValueStatus.SUBMITTED, "")


@pytest.mark.django_db
def test_not_applicable_is_a_reviewers_decision_with_a_reason(users, agencies, indicator, period):
    args = (agencies[G12], indicator("HT.03"), period)
    with pytest.raises(PermissionDenied):
        mark_not_applicable(users["lead"], *args, reason="no portal")
    with pytest.raises(PermissionDenied):
        mark_not_applicable(users["member_reviewer"], *args, reason="no portal")
    with pytest.raises(InputRejected):
        mark_not_applicable(users["reviewer"], *args, reason="")
    value = mark_not_applicable(users["reviewer"], *args, reason="Dùng cổng của Chính phủ")
    assert (value.status, value.na_reason) == (ValueStatus.NOT_APPLICABLE, "Dùng cổng của Chính phủ")
    with pytest.raises(Conflict):
        save_value(users["staff"], *args, value="yes", expected_version=value.version)


@pytest.mark.django_db
def test_a_closed_period_freezes_values(users, period, draft):
    close_period(period)
    assert_frozen(users, draft)


@pytest.mark.django_db
def test_unverified_values_are_visible_to_scope_and_reviewers_only(users, draft):
    assert draft in visible_values(users["staff"]) and draft in visible_values(users["reviewer"])
    assert draft not in visible_values(users["observer"]) and draft not in visible_values(users["hcm_lead"])
    verify_value(users["reviewer"], submit_value(users["lead"], draft))
    assert visible_values(users["observer"]).count() == 1


@pytest.mark.django_db
def test_staff_claims_not_applicable_as_a_draft_and_edits_the_claim(users, agencies, indicator, period, draft):
    args = (users["staff"], agencies[G12], indicator("HT.01"), period)
    save_value(*args, value="50", note="Kiểm kê", evidence_url="https://mof.gov.vn/a", expected_version=1)
    claim = claim_not_applicable(*args, reason="Bộ không quản lý hạ tầng", expected_version=2)
    assert (claim.pk, claim.status, claim.version) == (draft.pk, "draft", 3)
    assert claim.na_reason == "Bộ không quản lý hạ tầng"
    assert (claim.value_decimal, claim.note, claim.evidence_url) == (None, "Kiểm kê", "https://mof.gov.vn/a")
    assert claim.claims_not_applicable
    same = claim_not_applicable(*args, reason="Bộ không quản lý hạ tầng", expected_version=3)
    assert same.version == 3  # nothing changed, nothing written
    edited = claim_not_applicable(*args, reason="Dùng hạ tầng chung", expected_version=3, note="")
    assert (edited.version, edited.na_reason, edited.note) == (4, "Dùng hạ tầng chung", "")
    assert [h.na_reason for h in edited.history.order_by("history_date")] == [
        "", "", "Bộ không quản lý hạ tầng", "Dùng hạ tầng chung"]
    fresh = claim_not_applicable(users["lead"], agencies[G12], indicator("HT.03"), period, reason="Không có cổng")
    assert (fresh.status, fresh.version, fresh.updated_by) == ("draft", 1, users["lead"])


@pytest.mark.django_db
def test_a_claim_follows_the_version_and_status_rules_of_save_value(users, agencies, indicator, period, draft):
    args = (users["staff"], agencies[G12], indicator("HT.01"), period)
    with pytest.raises(Conflict):
        claim_not_applicable(*args, reason="x")  # a value exists: the version is needed
    with pytest.raises(Conflict):
        claim_not_applicable(*args, reason="x", expected_version=0)
    with pytest.raises(InputRejected) as exc:
        claim_not_applicable(*args, reason="  ", expected_version=1)
    assert exc.value.errors[0].where == "na_reason"
    with pytest.raises(InputRejected) as exc:
        claim_not_applicable(*args, reason="x", expected_version=1, evidence_url="ftp://x")
    assert exc.value.errors[0].where == "evidence_url"
    with pytest.raises(InputRejected) as exc:
        claim_not_applicable(*args[:2], indicator("AT.03"), period, reason="x")
    assert exc.value.errors[0].where == "indicator"  # AT.03 is for provinces
    submitted = submit_value(users["lead"], draft)
    with pytest.raises(Conflict):
        claim_not_applicable(*args, reason="x", expected_version=submitted.version)
    assert IndicatorValue.objects.get().value_decimal == Decimal("90.8")
    close_period(period)
    with pytest.raises(Conflict):
        claim_not_applicable(users["staff"], agencies[G12], indicator("HT.02"), period, reason="x")


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reviewer", "admin", "observer", "hcm_lead"])
def test_only_agency_roles_in_scope_claim(users, agencies, indicator, period, who):
    with pytest.raises(PermissionDenied):
        claim_not_applicable(users[who], agencies[G12], indicator("HT.01"), period, reason="x")
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_a_number_clears_the_claim(users, agencies, indicator, period):
    args = (users["staff"], agencies[G12], indicator("HT.01"), period)
    claim = claim_not_applicable(*args, reason="Không áp dụng")
    value = save_value(*args, value="80", expected_version=claim.version)
    assert (value.na_reason, value.value_decimal, value.version) == ("", 80, 2)
    assert not value.claims_not_applicable


@pytest.mark.django_db
def test_verifying_a_submitted_claim_accepts_it_and_rejecting_returns_it(users, agencies, indicator, period):
    args = (users["staff"], agencies[G12], indicator("HT.03"), period)
    claim = submit_value(users["lead"], claim_not_applicable(*args, reason="Dùng cổng của Chính phủ"))
    assert (claim.status, claim.na_reason) == ("submitted", "Dùng cổng của Chính phủ")
    rejected = reject_value(users["reviewer"], claim, "Bộ vẫn phải có cổng riêng")
    assert (rejected.status, rejected.na_reason, rejected.claims_not_applicable) == (
        "rejected", "Dùng cổng của Chính phủ", True)
    again = submit_value(users["lead"], claim_not_applicable(*args, reason="Đã sáp nhập cổng",
                                                             expected_version=rejected.version))
    with pytest.raises(PermissionDenied):
        verify_value(users["member_reviewer"], again)
    accepted = verify_value(users["reviewer"], again, expected_version=again.version)
    assert (accepted.status, accepted.na_reason, accepted.updated_by) == (
        ValueStatus.NOT_APPLICABLE, "Đã sáp nhập cổng", users["reviewer"])
    assert not accepted.claims_not_applicable
    with pytest.raises(Conflict):  # accepted: no longer the agency's to change
        claim_not_applicable(*args, reason="x", expected_version=accepted.version)
