"""The reviewer queue: submitted values of other agencies, filters, verify / reject one by one and in
bulk, each row reported (a conflict names its row), separation of duties."""

from django.urls import reverse

from assessments.catalog.periods import close_period
from assessments.values.models import IndicatorValue, ValueStatus
from assessments.values.services import save_value, submit_value

QUEUE = reverse("values-review") + "?framework=SAMPLE&period=2024"


def lead_of(w, agency):
    from agencies.models import User
    from agencies.users import create_user

    if agency == w.province:
        return w.lead
    return User.objects.filter(username=f"lead-{agency.pk}").first() or create_user(
        f"lead-{agency.pk}", "agency_lead", agency.code, password="Correct-horse-9")[0]


def submitted(w, agency, code, raw="50", **kwargs):
    lead = lead_of(w, agency)
    value = save_value(lead, agency, w.ind[code], w.period, value=raw, **kwargs)
    return submit_value(lead, value, value.version)


def rows_of(page: str) -> list[tuple[str, str]]:
    return [(row.split('data-agency="')[1].split('"')[0], row.split('data-indicator="')[1].split('"')[0])
            for row in page.split('data-testid="queue-row"')[1:]]


def test_queue_lists_submitted_values_with_filters_and_evidence(world, as_user):
    submitted(world, world.province, "HT.01", evidence_url="https://hanoi.gov.vn/kiem-ke")
    submitted(world, world.province, "AT.01", "3")
    submitted(world, world.other, "HT.01")
    save_value(world.lead, world.province, world.ind["HT.03"], world.period, value="có")  # a draft: not queued
    client = as_user(world.reviewer)
    page = client.get(QUEUE).content.decode()
    assert rows_of(page) == [("000.00.00.H26", "HT.01"), ("000.00.00.H26", "AT.01"), ("000.00.00.H29", "HT.01")]
    assert 'href="https://hanoi.gov.vn/kiem-ke"' in page and "50 %" in page
    assert rows_of(client.get(QUEUE + "&pillar=HT").content.decode()) == [("000.00.00.H26", "HT.01"),
                                                                          ("000.00.00.H29", "HT.01")]
    assert rows_of(client.get(QUEUE + "&agency=H29").content.decode()) == [("000.00.00.H29", "HT.01")]
    # A reviewer who is a member of Hà Nội never sees (nor decides on) its values.
    assert rows_of(as_user(world.reviewer_member).get(QUEUE).content.decode()) == [("000.00.00.H29", "HT.01")]


def test_only_reviewers_and_admins_have_a_queue(world, as_user):
    for user in (world.staff, world.lead, world.observer):
        assert as_user(user).get(QUEUE).status_code == 403
        assert as_user(user).post(QUEUE, {"action": "verify", "ids": ["1"]}).status_code == 403
    assert as_user(world.admin).get(QUEUE).status_code == 200


def test_verify_one_and_reject_one_with_its_reason(world, as_user):
    a = submitted(world, world.province, "HT.01")
    b = submitted(world, world.province, "AT.01", "3")
    client = as_user(world.reviewer)
    done = client.post(QUEUE, {"one": f"verify:{a.pk}", f"version-{a.pk}": a.version,
                               f"reason-{b.pk}": "ignored", f"version-{b.pk}": b.version})
    assert done.status_code == 200 and 'data-ok="true"' in done.content.decode()
    no_reason = client.post(QUEUE, {"one": f"reject:{b.pk}", f"version-{b.pk}": b.version, f"reason-{b.pk}": ""})
    assert no_reason.status_code == 400 and 'data-ok="false"' in no_reason.content.decode()
    assert IndicatorValue.objects.get(pk=b.pk).status == ValueStatus.SUBMITTED
    client.post(QUEUE, {"one": f"reject:{b.pk}", f"version-{b.pk}": b.version, f"reason-{b.pk}": "Thiếu số liệu"})
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.updated_by) == (ValueStatus.VERIFIED, world.reviewer)
    assert (b.status, b.reject_reason) == (ValueStatus.REJECTED, "Thiếu số liệu")


def test_bulk_verify_reports_the_row_that_changed_meanwhile(world, as_user):
    values = [submitted(world, world.province, c) for c in ("HT.01", "AT.01")] + [
        submitted(world, world.other, "HT.01")]
    stale = values[1]
    post = {"action": "verify", "ids": [str(v.pk) for v in values]} | {f"version-{v.pk}": v.version for v in values}
    post[f"version-{stale.pk}"] = stale.version - 1
    response = as_user(world.reviewer).post(QUEUE, post)
    assert response.status_code == 200
    page = response.content.decode()
    outcomes = page.split('data-testid="outcomes"')[1].split("</section>")[0]
    failed = outcomes.split('data-ok="false"')[1].split("</li>")[0]
    assert "AT.01" in failed and "000.00.00.H26" in failed and ("version" in failed or "phiên bản" in failed)
    assert outcomes.count('data-ok="true"') == 2
    assert dict(IndicatorValue.objects.values_list("pk", "status")) == {
        values[0].pk: "verified", stale.pk: "submitted", values[2].pk: "verified"}


def test_bulk_reject_gives_every_row_the_one_reason(world, as_user):
    values = [submitted(world, world.province, c) for c in ("HT.01", "AT.01")]
    post = {"action": "reject", "ids": [str(v.pk) for v in values], "reason": "Chưa có minh chứng"}
    post |= {f"version-{v.pk}": v.version for v in values}
    assert as_user(world.reviewer).post(QUEUE, post).status_code == 200
    assert set(IndicatorValue.objects.values_list("status", "reject_reason")) == {("rejected", "Chưa có minh chứng")}


def test_nothing_ticked_and_values_outside_the_queue_are_reported(world, as_user):
    value = submitted(world, world.province, "HT.01")
    assert as_user(world.reviewer).post(QUEUE, {"action": "verify"}).status_code == 400
    response = as_user(world.reviewer_member).post(QUEUE, {"action": "verify", "ids": [str(value.pk)]})
    assert response.status_code == 400 and 'data-ok="false"' in response.content.decode()
    value.refresh_from_db()
    assert value.status == ValueStatus.SUBMITTED


def test_closed_period_refuses_decisions(world, as_user):
    value = submitted(world, world.province, "HT.01")
    close_period(world.period)
    response = as_user(world.reviewer).post(QUEUE, {"one": f"verify:{value.pk}", f"version-{value.pk}": value.version})
    assert response.status_code == 409 and 'data-testid="period-closed"' in response.content.decode()
    value.refresh_from_db()
    assert value.status == ValueStatus.SUBMITTED


def test_queue_query_count_does_not_grow_with_the_rows(world, as_user, django_assert_max_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.values.evidence import upload_evidence

    from .conftest import PDF

    client = as_user(world.reviewer)
    for code in ("HT.01", "HT.02"):
        value = save_value(world.lead, world.province, world.ind[code], world.period,
                           **({"value": "50"} if code == "HT.01" else {"numerator": 1, "denominator": 2}))
        upload_evidence(world.lead, value, SimpleUploadedFile(f"{code}.pdf", PDF), f"{code}.pdf")
        submit_value(world.lead, value, value.version)
    client.get(QUEUE)
    # session, user, periods, framework, count, values, their evidence, pillars (+ indicators), the header's agency
    with django_assert_max_num_queries(11) as few:
        client.get(QUEUE)
    for code in ("AT.01", "AT.02", "HT.03"):
        submitted(world, world.other, code, "1" if code != "HT.03" else "có")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(QUEUE).content.decode()
    assert page.count('data-testid="queue-row"') == 5
    assert page.count(".pdf</a>") == 2


def claimed(w, agency, code, reason):
    from assessments.values.services import claim_not_applicable

    lead = lead_of(w, agency)
    value = claim_not_applicable(lead, agency, w.ind[code], w.period, reason)
    return submit_value(lead, value, value.version)


def test_a_submitted_claim_shows_its_reason_and_is_accepted(world, as_user):
    claim = claimed(world, world.province, "HT.03", "Dùng cổng của Chính phủ")
    number = submitted(world, world.province, "HT.01")
    client = as_user(world.reviewer)
    page = client.get(QUEUE).content.decode()
    rows = {r.split('data-indicator="')[1][:5]: r for r in page.split('data-testid="queue-row"')[1:]}
    assert 'data-testid="queue-claim"' in rows["HT.03"] and "Dùng cổng của Chính phủ" in rows["HT.03"]
    assert 'data-testid="accept-na"' in rows["HT.03"] and 'data-testid="verify"' not in rows["HT.03"]
    assert 'data-testid="verify"' in rows["HT.01"] and 'data-testid="accept-na"' not in rows["HT.01"]
    assert 'data-testid="queue-claim"' not in rows["HT.01"]
    done = client.post(QUEUE, {"one": f"verify:{claim.pk}", f"version-{claim.pk}": claim.version})
    assert done.status_code == 200
    outcome = done.content.decode().split('data-testid="outcome"')[1].split("</li>")[0]
    assert 'data-ok="true" data-status="not_applicable"' in outcome
    claim.refresh_from_db()
    number.refresh_from_db()
    assert (claim.status, claim.na_reason, claim.updated_by) == (
        ValueStatus.NOT_APPLICABLE, "Dùng cổng của Chính phủ", world.reviewer)
    assert number.status == ValueStatus.SUBMITTED


def test_bulk_verify_accepts_claims_and_reports_each_row(world, as_user):
    claim = claimed(world, world.other, "AT.01", "Chưa có hệ thống")
    number = submitted(world, world.province, "HT.01")
    post = {"action": "verify", "ids": [str(claim.pk), str(number.pk)], f"version-{claim.pk}": claim.version,
            f"version-{number.pk}": number.version}
    page = as_user(world.reviewer).post(QUEUE, post).content.decode()
    outcomes = page.split('data-testid="outcomes"')[1].split("</section>")[0]
    assert outcomes.count('data-ok="true" data-status="not_applicable"') == 1
    assert outcomes.count('data-ok="true" data-status="verified"') == 1
    assert dict(IndicatorValue.objects.values_list("pk", "status")) == {
        claim.pk: ValueStatus.NOT_APPLICABLE, number.pk: ValueStatus.VERIFIED}
