"""Reading notifications: a user only ever reads their own."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from agencies.models import User

from .models import Notification


def notifications_of(user: User) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()


def own_notification(user: User, pk: int) -> Notification:
    """The user's notification, else 404: another person's notification does not exist for them."""
    return get_object_or_404(notifications_of(user), pk=pk)
