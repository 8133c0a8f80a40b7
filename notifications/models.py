"""In-app notifications: one row per event and recipient, rendered in the reader's language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    PLAN_RETURNED = "plan_returned", _("Plan returned for changes")
    VALUE_REJECTED = "value_rejected", _("Value rejected")
    RUN_FINISHED = "run_finished", _("Score run finished")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    # What happened, e.g. "plan:12:v7": with the recipient unique, so an event notifies each person once.
    event_key = models.CharField(_("event"), max_length=200)
    # The English msgid and its %-parameters: the text is translated when it is read, not when it is written.
    msgid = models.TextField(_("message"))
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        translated = gettext(self.msgid)
        return translated % self.params if self.params else translated

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
