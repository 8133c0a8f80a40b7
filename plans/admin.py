from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Plan, PlanComment, PlanDeadline, PlanEvent, PlanReminder


@admin.register(PlanDeadline)
class PlanDeadlineAdmin(admin.ModelAdmin):
    """Administrators configure due dates here; without a row the default of plans.deadlines applies."""

    list_display = ("kind", "year", "due_date", "note")
    list_filter = ("kind",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Plans change only through the workflow (web pages and API), never here."""

    list_display = ("id", "title", "agency", "kind", "period_start", "year", "status", "version")
    list_filter = ("status", "kind", "period_start")
    search_fields = ("title", "agency__code", "agency__name_vi")
    raw_id_fields = ("agency", "amends", "five_year_plan")


@admin.register(PlanEvent)
class PlanEventAdmin(ReadOnlyAdmin):
    list_display = ("plan", "version", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action",)
    exclude = ("snapshot",)


admin.site.register(PlanComment, ReadOnlyAdmin)


@admin.register(PlanReminder)
class PlanReminderAdmin(ReadOnlyAdmin):
    list_display = ("agency", "kind", "year", "due_date", "reminder", "recipient", "sent_at")
    list_filter = ("reminder", "kind", "year")
