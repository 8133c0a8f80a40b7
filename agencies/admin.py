from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy
from knox.admin import AuthTokenAdmin
from knox.models import AuthToken
from knox.settings import knox_settings
from simple_history.admin import SimpleHistoryAdmin

from govit.i18n import _

from .models import Agency, AgencyLineage, ReviewingAuthority, User

# The admin of the whole project is titled here, by the app that comes first (roles.md: administrators).
admin.site.site_header = admin.site.site_title = "GovIT"
admin.site.index_title = gettext_lazy("Administration")


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


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(AuthTokenAdmin):
    """Only a key's first characters and its digest are stored: the full key is shown once, when it is made."""

    list_display = ("token_key", "user", "created", "expiry")

    def get_readonly_fields(self, request, obj=None):
        return ("digest", "token_key", "user", "created", "expiry") if obj else ()

    def save_model(self, request, obj, form, change) -> None:
        if obj.expiry is None:  # a token always expires
            obj.expiry = timezone.now() + knox_settings.TOKEN_TTL
        admin.ModelAdmin.save_model(self, request, obj, form, change)  # not knox's: its message is English only
        if not change:
            message = _("The new token, shown only this once: %(key)s") % {"key": form.token}
            self.message_user(request, str(message), messages.WARNING)
