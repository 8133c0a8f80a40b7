from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "text", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "event_key")
    readonly_fields = ("recipient", "kind", "event_key", "msgid", "params", "url", "created_at", "read_at")
