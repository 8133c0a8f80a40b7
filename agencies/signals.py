"""A user's API tokens are revoked when the password changes or the user is deactivated.

On the model's save, so every path is covered: the admin, the self-service change and reset pages,
the management command, or `set_password()` + `save()` in code.
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from knox.models import AuthToken

from .models import User

_WATCHED = {"password", "is_active"}


@receiver(pre_save, sender=User, dispatch_uid="tokens-revoke-check")
def _note_credential_change(sender, instance: User, update_fields=None, **kwargs) -> None:
    instance._revoke_tokens = False
    if instance._state.adding or (update_fields is not None and not _WATCHED & set(update_fields)):
        return  # e.g. last_login at each sign-in: no query
    stored = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    instance._revoke_tokens = stored is not None and (
        stored["password"] != instance.password or (stored["is_active"] and not instance.is_active))


@receiver(post_save, sender=User, dispatch_uid="tokens-revoke")
def _revoke_tokens(sender, instance: User, **kwargs) -> None:
    if getattr(instance, "_revoke_tokens", False):
        AuthToken.objects.filter(user=instance).delete()
        instance._revoke_tokens = False
