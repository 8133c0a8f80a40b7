from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, AgencyLineage, ReviewingAuthority, User


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_vi", "kind", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name_vi", "name_en")
    raw_id_fields = ("parent",)
    readonly_fields = ("path", "depth")


admin.site.register(AgencyLineage)
admin.site.register(ReviewingAuthority)


@admin.register(User)
class GovitUserAdmin(UserAdmin, SimpleHistoryAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("GovIT", {"fields": ("role", "agency", "with_descendants")}))
    list_display = ("username", "role", "agency", "is_active")
    raw_id_fields = ("agency",)
