"""A demo plan for `load_demo`: Hà Nội's 2026–2030 digital-transformation plan, drafted by its staff."""

from agencies.models import User

from . import sections as spec
from .models import Plan
from .services import NewPlan, create_plan, update_plan

DEMO_TEXT = {
    "current_state": "Hạ tầng số của thành phố đã kết nối mạng truyền số liệu chuyên dùng đến 100% xã, phường.",
    "objectives": "Đến năm 2030, 100% thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình.",
}


def ensure_demo_plans() -> list[str]:
    staff = User.objects.filter(username="hanoi.canbo").select_related("agency").first()
    if staff is None or Plan.objects.filter(agency=staff.agency).exists():
        return []
    plan = create_plan(staff, NewPlan(agency=staff.agency, kind="five_year", period_start=2026))
    keys = {s.key for s in spec.sections_for(plan.basis)}
    sections = [{"key": k, "body": v} for k, v in DEMO_TEXT.items() if k in keys]
    if sections:
        plan, _changed = update_plan(plan.pk, staff, {"sections": sections}, plan.version)
    return [f"plan {plan.pk}: {plan.title} ({plan.status})"]
