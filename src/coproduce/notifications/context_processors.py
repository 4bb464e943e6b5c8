from .selectors import UnreadCount


def unread(request):
    """`notifications_unread.count` for the header (see `UnreadCount`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": UnreadCount(user)}
