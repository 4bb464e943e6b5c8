"""The secret link to a person's own calendar feed: calendar apps cannot sign in, so the URL is the key."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import User

from ..models import CalendarFeed
from ..selectors import token_hash


@transaction.atomic
def calendar_feed_create(*, actor: User) -> str:
    """A new secret for the person's feed; any earlier link stops working. The token is returned once and
    only its hash is stored."""
    token = secrets.token_urlsafe(24)
    feed, created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token_hash": token_hash(token)}
    )
    audit.record(
        actor=actor,
        action="meeting.calendar_link_created" if created else "meeting.calendar_link_replaced",
        target=feed,
        summary=_("Private calendar link made") if created else _("Private calendar link replaced"),
    )
    return token
