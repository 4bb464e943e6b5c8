"""Who a request is for: Django's and allauth's sign-in, with the person read as the header needs them.

Every page a signed-in person sees shows how many of their notifications are unread. The count is read with
the person, in the same query (`unread_notifications`, through the reverse relation: `people` imports no
app above it), instead of a query of its own on every page. The notifications' header reads it
(`notifications.selectors.UnreadCount`). Its SQL is built once (`core.prepared`): building it cost five
times running it."""

from __future__ import annotations

from allauth.account import auth_backends
from django.contrib.auth import backends
from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from coproduce.core.prepared import Prepared

from .models import User

PERSON = Prepared(
    lambda pk: User._default_manager.annotate(
        unread_notifications=Count("notifications", filter=Q(notifications__read_at__isnull=True))
    ).filter(pk=pk),
    values=(int,),
)


class _PersonWithUnreadCount(backends.ModelBackend):
    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = PERSON.first(pk)  # read with the session when it was guessed right (people/sessions.py)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_PersonWithUnreadCount):
    """Django's: signing in by email and password (the person's own pages, tests)."""


class AuthenticationBackend(_PersonWithUnreadCount, auth_backends.AuthenticationBackend):
    """allauth's: signing in through its pages (rate limits, email verification)."""
