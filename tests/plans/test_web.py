"""Browser pages: list with scope, editor with autosave and conflicts, checklist, queue, review, history."""

import re

import pytest

from plans import workflow
from plans.models import Plan, PlanComment, PlanStatus

from .conftest import approved_plan, new_plan

pytestmark = pytest.mark.django_db


def editor_post(plan, **over) -> dict:
    """The editor form as the browser posts it for the plan as it stands."""
    data = {"version": str(plan.version), "title": plan.title}
    for s in plan.sections.all():
        data[f"section-{s.key}"] = s.body
    for n, task in enumerate(plan.tasks.order_by("order")):
        data.update({f"task-{n}-id": str(task.pk), f"task-{n}-owner_unit": task.owner_unit,
                     f"task-{n}-name": task.name, f"task-{n}-start_date": task.start_date.strftime("%d/%m/%Y"),
                     f"task-{n}-end_date": task.end_date.strftime("%d/%m/%Y"), f"task-{n}-category": task.category})
        for line in task.budget_lines.all():
            data[f"task-{n}-{line.source}"] = f"{line.amount:,}".replace(",", ".")
    data.update(over)
    return data


def test_list_shows_scope_and_public_plans(world, as_user):
    mine = new_plan(world)
    theirs = new_plan(world, agency=world.other, user=world.other_staff)
    public = approved_plan(world, agency=world.other, user=world.other_staff, period_start=2016)
    html = as_user(world.staff).get("/plans/").content.decode()
    assert f"/plans/{mine.pk}/" in html and f"/plans/{public.pk}/" in html and f"/plans/{theirs.pk}/" not in html
    assert "2.000.000.000" in html  # Vietnamese grouping of the budget total
    assert 'data-testid="new-plan"' in html
    observer = as_user(world.observer).get("/plans/").content.decode()
    assert 'data-testid="new-plan"' not in observer


def test_pages_of_a_plan_outside_scope_are_404(world, as_user):
    plan = new_plan(world)
    client = as_user(world.other_staff)
    for path in ("", "edit/", "history/", "diff/", "review/", "submit/", "plan.pdf", "plan.docx", "tasks.xlsx"):
        assert client.get(f"/plans/{plan.pk}/{path}").status_code == 404, path
    assert client.post(f"/plans/{plan.pk}/autosave/", editor_post(plan)).status_code == 404


def test_create_from_the_list_page(world, as_user):
    client = as_user(world.staff)
    response = client.post("/plans/new/", {"agency": world.province.pk, "kind": "annual", "year": "2027",
                                           "period_start": "2026", "title": ""})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/edit/"
    assert (plan.kind, plan.year, plan.period_start) == ("annual", 2027, 2026)
    bad = client.post("/plans/new/", {"agency": world.province.pk, "kind": "five_year", "period_start": "2024"},
                      follow=True)
    assert "2024" in bad.content.decode() and Plan.objects.count() == 1
    outside = client.post("/plans/new/", {"agency": world.other.pk, "kind": "annual", "year": "2027"}, follow=True)
    assert Plan.objects.count() == 1 and outside.status_code == 200


def test_editor_saves_sections_tasks_and_sums(world, as_user):
    plan = new_plan(world, fill=False)
    client = as_user(world.staff)
    page = client.get(f"/plans/{plan.pk}/edit/").content.decode()
    assert f'hx-post="/plans/{plan.pk}/autosave/"' in page and 'name="version"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) and "style=" not in page
    data = editor_post(plan, **{"section-current_state": "Hiện trạng: 90% cán bộ có máy tính.\r\nDòng hai.",
                                "task-5-owner_unit": "Văn phòng UBND", "task-5-name": "Cổng dịch vụ công",
                                "task-5-start_date": "01/03/2022", "task-5-end_date": "31/12/2023",
                                "task-5-category": "online_services", "task-5-state_budget_local": "1.200.000.000",
                                "task-5-oda": "300000000", "task-9-name": "", "task-9-owner_unit": ""})
    response = client.post(f"/plans/{plan.pk}/edit/", data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan.sections.get(key="current_state").body == "Hiện trạng: 90% cán bộ có máy tính.\nDòng hai."
    task = plan.tasks.get()
    assert {b.source: b.amount for b in task.budget_lines.all()} == {"state_budget_local": 1_200_000_000,
                                                                     "oda": 300_000_000}
    detail = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'data-testid="plan-total">1.500.000.000<' in detail and "01/03/2022 – 31/12/2023" in detail


def test_editor_rejects_bad_input_and_keeps_the_users_text(world, as_user):
    plan = new_plan(world, fill=False)
    client = as_user(world.staff)
    data = editor_post(plan, **{"section-objectives": "Mục tiêu rất dài mà người dùng đã gõ",
                                "task-0-owner_unit": "Sở", "task-0-name": "Việc", "task-0-start_date": "01/01/2030",
                                "task-0-end_date": "02/01/2030", "task-0-category": "software",
                                "task-0-oda": "-5"})
    response = client.post(f"/plans/{plan.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Mục tiêu rất dài mà người dùng đã gõ" in html and 'value="-5"' in html
    assert 'aria-invalid="true"' in html
    plan.refresh_from_db()
    assert plan.version == 1 and plan.sections.get(key="objectives").body == ""


def test_stale_save_shows_a_conflict_and_keeps_the_text(world, as_user):
    plan = new_plan(world)
    staff_data = editor_post(plan, **{"section-objectives": "Văn bản của cán bộ, chưa lưu"})
    as_user(world.lead).post(f"/plans/{plan.pk}/edit/", editor_post(plan, title="Lãnh đạo đã sửa"))
    response = as_user(world.staff).post(f"/plans/{plan.pk}/edit/", staff_data)
    html = response.content.decode()
    assert response.status_code == 409 and 'data-testid="conflict"' in html
    assert "Văn bản của cán bộ, chưa lưu" in html and "lanhdao" in html
    assert Plan.objects.get(pk=plan.pk).title == "Lãnh đạo đã sửa"


def test_autosave_carries_the_version_and_task_ids(world, as_user):
    plan = new_plan(world, fill=False)
    client = as_user(world.staff)
    data = editor_post(plan, **{"section-current_state": "Bản nháp", "task-3-owner_unit": "Sở",
                                "task-3-name": "Việc mới", "task-3-start_date": "01/02/2021",
                                "task-3-end_date": "01/03/2021", "task-3-category": "training"})
    response = client.post(f"/plans/{plan.pk}/autosave/", data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    task = Plan.objects.get(pk=plan.pk).tasks.get()
    assert response.status_code == 200
    assert 'id="plan-version" value="2" hx-swap-oob="true"' in html
    assert f'name="task-3-id" id="task-3-id" value="{task.pk}" hx-swap-oob="true"' in html
    # The next autosave carries the new version and the task id: the task is kept, not re-created.
    again = client.post(f"/plans/{plan.pk}/autosave/", {**data, "version": "2", "task-3-id": str(task.pk),
                                                        "task-3-name": "Việc mới (sửa)"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert Plan.objects.get(pk=plan.pk).tasks.get().pk == task.pk
    stale = client.post(f"/plans/{plan.pk}/autosave/", {**data, "version": "2"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and 'data-conflict="1"' in stale.content.decode()
    invalid = client.post(f"/plans/{plan.pk}/autosave/", {**data, "version": "3", "task-3-oda": "abc"},
                          HTTP_HX_REQUEST="true")
    assert invalid.status_code == 400 and Plan.objects.get(pk=plan.pk).version == 3


def test_submission_checklist_and_submit(world, as_user):
    plan = new_plan(world, fill=False)
    lead = as_user(world.lead)
    page = lead.get(f"/plans/{plan.pk}/submit/").content.decode()
    assert 'data-testid="missing"' in page and "✗" in page
    assert lead.post(f"/plans/{plan.pk}/submit/", {"version": plan.version}).status_code == 400
    plan = new_plan(world, agency=world.other, user=world.other_staff)
    other = as_user(world.other_lead)
    assert 'data-testid="submit-plan"' in other.get(f"/plans/{plan.pk}/submit/").content.decode()
    assert other.post(f"/plans/{plan.pk}/submit/", {"version": plan.version}).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_staff_cannot_submit_from_the_browser(world, as_user):
    plan = new_plan(world)
    response = as_user(world.staff).post(f"/plans/{plan.pk}/submit/", {"version": plan.version})
    assert response.status_code == 403 and Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_queue_review_comment_return_and_approve(world, as_user):
    plan = new_plan(world)
    plan = workflow.perform(plan.pk, "submit", world.lead)
    reviewer = as_user(world.reviewer)
    queue = reviewer.get("/plans/review/").content.decode()
    assert f"/plans/{plan.pk}/review/" in queue and "30/06/2021" in queue  # five-year default due date
    assert reviewer.post(f"/plans/{plan.pk}/act/start_review/", {"version": plan.version}).status_code == 302
    comment = reviewer.post(f"/plans/{plan.pk}/comments/", {"section": "objectives", "body": "Cần định lượng."},
                            HTTP_HX_REQUEST="true")
    assert comment.status_code == 200 and "Cần định lượng." in comment.content.decode()
    assert PlanComment.objects.get().section_key == "objectives"
    empty = reviewer.post(f"/plans/{plan.pk}/act/return/", {"comment": " "})
    assert empty.status_code == 400 and 'data-testid="form-errors"' in empty.content.decode()
    assert reviewer.post(f"/plans/{plan.pk}/act/return/", {"comment": "Định lượng mục tiêu."}).status_code == 302
    staff = as_user(world.staff)
    plan.refresh_from_db()
    staff.post(f"/plans/{plan.pk}/edit/", editor_post(plan, **{"section-objectives": "Mục tiêu: 100% hồ sơ."}))
    workflow.perform(plan.pk, "submit", world.lead)
    workflow.perform(plan.pk, "start_review", world.reviewer)
    reviewer = as_user(world.reviewer)
    review = reviewer.get(f"/plans/{plan.pk}/review/").content.decode()
    assert 'data-testid="diff-objectives"' in review and "<ins>+ Mục tiêu: 100% hồ sơ.</ins>" in review
    assert "Cần định lượng." in review
    bad_date = reviewer.post(f"/plans/{plan.pk}/act/approve/",
                             {"decision_number": "12/QĐ", "decision_date": "31/13/2021"})
    assert bad_date.status_code == 400 and 'value="12/QĐ"' in bad_date.content.decode()
    ok = reviewer.post(f"/plans/{plan.pk}/act/approve/", {"decision_number": "12/QĐ", "decision_date": "30/06/2021"})
    assert ok.status_code == 302 and Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    again = reviewer.post(f"/plans/{plan.pk}/act/approve/", {"decision_number": "12/QĐ", "decision_date": "30/06/2021"})
    assert again.status_code == 409


def test_member_reviewer_gets_403_and_no_queue_entry(world, as_user):
    plan = new_plan(world)
    workflow.perform(plan.pk, "submit", world.lead)
    member = as_user(world.member_reviewer)
    assert f"/plans/{plan.pk}/" not in member.get("/plans/review/").content.decode()
    assert member.post(f"/plans/{plan.pk}/act/start_review/").status_code == 403
    assert as_user(world.staff).get("/plans/review/").status_code == 403


def test_history_and_diff_pages(world, as_user):
    plan = new_plan(world)
    client = as_user(world.staff)
    history = client.get(f"/plans/{plan.pk}/history/").content.decode()
    assert history.count("<tr>") == 3 and "canbo" in history  # header + create + edit
    diff = client.get(f"/plans/{plan.pk}/diff/", {"from": 1, "to": 2}).content.decode()
    assert "<ins>+ Nội dung mục current_state: ứng dụng công nghệ thông tin.</ins>" in diff
    assert client.get(f"/plans/{plan.pk}/diff/", {"from": 1, "to": 99}).status_code == 404


def test_pages_in_english(world, as_user):
    plan = new_plan(world)
    client = as_user(world.staff)
    client.post("/i18n/setlang/", {"language": "en", "next": "/plans/"})
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Tasks and budget (VND)" in html and "2,000,000,000" in html
    client.post("/i18n/setlang/", {"language": "vi", "next": "/plans/"})
    assert "Tasks and budget (VND)" not in client.get(f"/plans/{plan.pk}/").content.decode()


def test_admin_pages(world, as_user):
    plan = new_plan(world)
    client = as_user(world.admin)
    for path in ("/admin/plans/plan/", f"/admin/plans/plan/{plan.pk}/change/", f"/admin/plans/plan/{plan.pk}/history/",
                 "/admin/plans/planevent/", "/admin/plans/plandeadline/", "/admin/plans/plandeadline/add/",
                 "/admin/plans/planreminder/", "/admin/plans/plancomment/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/admin/plans/plan/add/").status_code == 403  # plans change only through the workflow
    response = client.post("/admin/plans/plandeadline/add/", {"kind": "annual", "year": 2028, "due_date": "15/11/2027"})
    assert response.status_code == 302
    from plans.deadlines import due_date

    assert due_date("annual", 2028).isoformat() == "2027-11-15"


def test_plan_pages_say_giai_doan_not_ky_danh_gia(world, as_user):
    """"Kỳ đánh giá" is an assessment period; a plan has a "giai đoạn" and its tasks a "thời gian thực hiện"."""
    plan = new_plan(world)
    staff = as_user(world.staff)
    pages = [staff.get(path).content.decode() for path in ("/plans/", f"/plans/{plan.pk}/", f"/plans/{plan.pk}/edit/")]
    assert all("Kỳ đánh giá" not in page for page in pages)
    assert "Giai đoạn" in pages[0] and "Thời gian thực hiện" in pages[1] and "Nguồn vốn (đồng)" in pages[2]
    assert "Thời gian thực hiện" in _pdf_text(staff.get(f"/plans/{plan.pk}/plan.pdf").content)


def test_review_page_shows_the_targets(world, as_user, indicator):
    plan = new_plan(world, period_start=2026)
    workflow.perform(plan.pk, "submit", world.lead)
    review = as_user(world.reviewer).get(f"/plans/{plan.pk}/review/").content.decode()
    targets = review[review.index('data-testid="targets-table"'):]
    assert indicator.code in targets and indicator.name_vi in targets and "2030" in targets


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())
