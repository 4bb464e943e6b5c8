from .selectors import UnreadCount


def unread(request):
    """`notifications_unread.count` for the header: counted (one query) only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": UnreadCount(user)}
