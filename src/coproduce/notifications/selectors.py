"""Reads: the inbox, the sentence of a notification in the reader's language, each person's choices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from coproduce.core.registry import NetworkAdminSection
from coproduce.people.access import can_admin_network
from coproduce.spaces import access as space_access

from . import kinds
from .kinds import Delivery
from .models import Notification, Preference


def language_for(user) -> str:
    """The language to write to a person in: theirs when the account has one, else the site's."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


# --- Choices ------------------------------------------------------------------------------------


def deliveries_for(user) -> dict[str, str]:
    """Every kind's delivery for one person: their choice, or the kind's default."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind.code: chosen.get(kind.code, kind.default_delivery) for kind in kinds.KINDS}


def deliveries_for_many(user_ids, kind_code: str) -> dict[int, str]:
    """One kind's delivery for many people, in one query."""
    kind = kinds.BY_CODE[kind_code]
    chosen = dict(
        Preference.objects.filter(user_id__in=list(user_ids), kind=kind_code).values_list(
            "user_id", "delivery"
        )
    )
    return {user_id: chosen.get(user_id, kind.default_delivery) for user_id in user_ids}


def delivery_for(user, kind_code: str) -> str:
    kind = kinds.get(kind_code)
    chosen = Preference.objects.filter(user=user, kind=kind_code).values_list("delivery", flat=True).first()
    return chosen or (kind.default_delivery if kind else Delivery.NEVER)


# --- Lists --------------------------------------------------------------------------------------


def inbox(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("space", "actor")


class UnreadCount:
    """The header's unread count: read with the signed-in person (people/backends.py), or counted (one query)
    when a page shows it for someone read otherwise, or after a change to it in the same request."""

    def __init__(self, user) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        # Read with the person (people/backends.py), unless something changed it since.
        counted = getattr(self.user, "unread_notifications", None)
        if counted is not None:
            return counted
        return Notification.objects.filter(recipient=self.user, read_at__isnull=True).count()


# --- What a notification says --------------------------------------------------------------------


class _Values(dict):
    """A missing value shows as an ellipsis instead of breaking the page (e.g. a kind changed later)."""

    def __missing__(self, key: str) -> str:
        return "…"


def _value(kind: kinds.Kind, name: str, value: Any) -> str:
    if name in kind.choices:
        try:
            return str(kind.choices[name](value).label)
        except ValueError:
            return str(value)
    if name.endswith("_at") and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "DATETIME_FORMAT")
    if name.endswith("_on") and isinstance(value, str):
        try:
            return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return str(value)


def sentence(notification: Notification) -> str:
    """The notification's title, written now in the active language. Call `visible_to` first."""
    kind = kinds.get(notification.kind)
    if kind is None:
        return _("You have a notification")
    values = _Values({name: _value(kind, name, v) for name, v in (notification.params or {}).items()})
    if notification.space is not None:
        values["space"] = notification.space.title
    if "actor" not in values:
        values["actor"] = notification.actor.display_name if notification.actor is not None else _("Someone")
    return str(kind.sentence) % values


def visible_to(notification: Notification, reader) -> bool:
    """Whether the reader may still see what the notification is about. A notification about a private
    space the reader was removed from must not show the space's title, the words written or the link."""
    return notification.space is None or space_access.can_view(reader, notification.space)


@dataclass
class Shown:
    """A notification as a page or an email shows it to one reader."""

    id: int
    title: str
    text: str
    url: str  # the object's path on this site; empty when it must not be followed
    space_title: str
    kind_label: str
    created_at: dt.datetime
    unread: bool
    recipient_name: str = ""


def present(notifications, reader) -> list[Shown]:
    """Render notifications for `reader` (their recipient, or the facilitator passing them on) in the
    active language. Visibility is the recipient's: what the recipient may no longer see is neutral."""
    rows = list(notifications)
    by_recipient: dict[int, list[Notification]] = {}
    for n in rows:
        by_recipient.setdefault(n.recipient_id, []).append(n)
    for recipient_rows in by_recipient.values():
        recipient = reader if recipient_rows[0].recipient_id == reader.pk else recipient_rows[0].recipient
        space_access.prefetch_memberships(recipient, [n.space for n in recipient_rows if n.space_id])
    shown = []
    for n in rows:
        recipient = reader if n.recipient_id == reader.pk else n.recipient
        kind = kinds.get(n.kind)
        if visible_to(n, recipient):
            title, text, url = sentence(n), n.text, n.url
            space_title = n.space.title if n.space_id else ""
        else:
            title = _("Something changed in a space you can no longer see")
            text, url, space_title = "", "", ""
        shown.append(
            Shown(
                id=n.pk,
                title=title,
                text=text,
                url=url,
                space_title=space_title,
                kind_label=str(kind.label) if kind else "",
                created_at=n.created_at,
                unread=n.read_at is None,
                recipient_name=recipient.display_name,
            )
        )
    return shown


NETWORK_DAYS = 30


def network_section(user: Any) -> NetworkAdminSection | None:
    """Notifications' numbers for the network admin screen: how many were made and emailed in the last
    30 days, and how many of those are still unread. One query."""
    if not can_admin_network(user):
        return None
    since = timezone.now() - dt.timedelta(days=NETWORK_DAYS)
    counts = Notification.objects.filter(created_at__gte=since).aggregate(
        made=Count("pk"),
        emailed=Count("pk", filter=Q(emailed_at__isnull=False)),
        unread=Count("pk", filter=Q(read_at__isnull=True)),
    )
    return NetworkAdminSection(
        module="notifications",
        title=_("Notifications in the last %(days)s days") % {"days": NETWORK_DAYS},
        url="",
        rows=(
            (_("Sent: %(n)s") % {"n": counts["made"]}, ""),
            (_("Also emailed: %(n)s") % {"n": counts["emailed"]}, ""),
            (_("Not read yet: %(n)s") % {"n": counts["unread"]}, ""),
        ),
    )
