from .selectors import unread_count


def unread_notifications(request) -> dict:
    """The header's badge: unread notifications of the signed-in user (lazy: one COUNT only where shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
