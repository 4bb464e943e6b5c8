"""The secret link to a person's own calendar feed: calendar apps cannot sign in, so the URL is the key."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import audit

from ..models import CalendarFeed


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, actor) -> str:
    """A new secret for the person's feed; any earlier link stops working. The token is returned once and
    only its hash is stored."""
    token = secrets.token_urlsafe(24)
    feed, created = CalendarFeed.objects.update_or_create(user=actor, defaults={"token_hash": _hash(token)})
    audit.record(
        actor=actor,
        action="meeting.calendar_link_created" if created else "meeting.calendar_link_replaced",
        target=feed,
        summary=_("Private calendar link made") if created else _("Private calendar link replaced"),
    )
    return token


def user_for_calendar_token(token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_hash(token or "")).first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user
