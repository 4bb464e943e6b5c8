"""Writes: `notify` (the one way the product tells people about things), reading, and choices."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.people.models import User
from coproduce.spaces.models import Space

from . import access, kinds, selectors
from .kinds import Delivery
from .models import Notification, Preference

MAX_TEXT = 2000


def _check(*, kind: str, params: Mapping[str, Any], url: str, key: str, space: Space | None) -> kinds.Kind:
    """Mistakes in the calling code, caught before anything is written (not messages for people)."""
    found = kinds.get(kind)
    if found is None:
        raise ValueError(f"unknown notification kind {kind!r}; add it to notifications/kinds.py")
    if not key or len(key) > 200:
        raise ValueError("key must name the event in 1 to 200 characters, e.g. 'join_request_approved:42'")
    if url and (not url.startswith("/") or url.startswith("//") or any(c.isspace() for c in url)):
        raise ValueError(f"url must be a path on this site such as '/spaces/x/', not {url!r}")
    if len(url) > 300:
        raise ValueError("url is longer than 300 characters")
    missing = found.placeholders - set(params) - kinds.FILLED_AT_READ_TIME
    if "space" in found.placeholders and space is None and "space" not in params:
        missing.add("space")
    if missing:
        raise ValueError(f"{kind} needs params {sorted(missing)}")
    json.dumps(dict(params))  # raises TypeError now rather than in the database
    return found


@transaction.atomic
def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    params: Mapping[str, Any],
    url: str,
    key: str,
    space: Space | None = None,
    actor: User | None = None,
    text: str = "",
) -> list[Notification]:
    """Tell `recipients` that something happened, in the caller's transaction. Returns their rows.

    - `key` names the event (e.g. f"join_request_approved:{request.pk}"): calling again with the same key
      (a retried task, a double submit) makes no second row for anyone already told.
    - `params` fill the kind's sentence; `space` and `actor` are filled when read.
    - `text` is words a person wrote (a reason, the start of a comment), shown as written.
    - The actor is never told about their own act; inactive people are never told.
    - Email for people who chose "straight away" is queued when the transaction commits.
    """
    _check(kind=kind, params=params, url=url, key=key, space=space)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1] + "…"
    wanted = {user.pk for user in recipients} - ({actor.pk} if actor is not None else set())
    people = list(User.objects.filter(pk__in=wanted, is_active=True))
    if not people:
        return []
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                kind=kind,
                params=dict(params),
                text=text,
                url=url,
                space=space,
                actor=actor,
                key=key,
                created_at=now,
            )
            for person in people
        ],
        # The unique (recipient, key) constraint makes a second call for the same event a no-op.
        ignore_conflicts=True,
    )
    rows = list(
        Notification.objects.filter(key=key, recipient__in=people).select_related("recipient").order_by("pk")
    )
    deliveries = selectors.deliveries_for_many([p.pk for p in people], kind)
    to_email = [
        row.pk
        for row in rows
        if row.emailed_at is None
        and access.may_email(row.recipient)
        and deliveries[row.recipient_id] == Delivery.IMMEDIATELY
    ]
    if to_email:
        from .tasks import send_notification_email

        # A second call for the same event may queue the same row again; the task sends it once.
        transaction.on_commit(lambda: [send_notification_email(pk) for pk in to_email])
    return rows


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        now = timezone.now()
        # Conditional: opening the page twice at once keeps the first time it was read.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
        _forget_unread_count(actor)
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    marked = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    _forget_unread_count(actor)
    return marked


def _forget_unread_count(person: User) -> None:
    """The count read with the person at the start of the request (people/backends.py) is out of date: the
    header counts again."""
    if hasattr(person, "unread_notifications"):
        del person.unread_notifications


@transaction.atomic
def preferences_set(
    *, actor: User, user: User, choices: Mapping[str, str], action: str = "notifications.preferences_changed"
) -> dict[str, list[str]]:
    """Save a person's delivery per kind. Returns what changed as {kind: [old, new]}.

    `actor` is the person themselves (pages, API) or, for a one-click unsubscribe link, the person the
    signed link names.
    """
    if actor.pk != user.pk:
        raise PermissionDenied(_("Only you can change how you hear about things."))
    errors = {}
    for code, delivery in choices.items():
        if code not in kinds.BY_CODE:
            errors[code] = [_("There is no kind of notification called “%(code)s”.") % {"code": code}]
        elif delivery not in Delivery.values:
            errors[code] = [_("Choose how you want to hear about this.")]
    if errors:
        raise ValidationError(errors)
    current = selectors.deliveries_for(user)
    changes = {
        code: [current[code], delivery] for code, delivery in choices.items() if current[code] != delivery
    }
    for code, (_old, new) in changes.items():
        Preference.objects.update_or_create(user=user, kind=code, defaults={"delivery": new})
    if changes:
        audit.record(
            actor=actor,
            action=action,
            target=user,
            summary=_("%(person)s changed how they hear about %(n)s kinds of notification")
            % {"person": user, "n": len(changes)},
            changes=changes,
        )
    return changes


def unsubscribe(*, user: User, kind_codes: Iterable[str]) -> dict[str, list[str]]:
    """Stop emails of these kinds (the one-click link in every email). The in-app inbox keeps them."""
    known = [code for code in kind_codes if code in kinds.BY_CODE]
    return preferences_set(
        actor=user,
        user=user,
        choices=dict.fromkeys(known, Delivery.NEVER),
        action="notifications.unsubscribed",
    )


def acted_on_behalf(
    *,
    actor: User,
    person: User | None,
    act: str,
    url: str,
    key: str,
    space: Space | None = None,
) -> list[Notification]:
    """Tell `person` that `actor` did something for them (`act`: a `kinds.OnBehalfAct`), so that acting
    for someone is never done behind their back. People with no email are never emailed: the facilitators
    of the space see it on their list of people they help. `key` names the act, e.g. the audit event's id.
    Nothing is sent when the actor acted for themself (or for nobody)."""
    if person is None or person.pk == actor.pk:
        return []
    if act not in kinds.OnBehalfAct.values:
        raise ValueError(f"unknown act {act!r}; add it to notifications.kinds.OnBehalfAct")
    return notify(
        kind="acted_on_your_behalf",
        recipients=[person],
        params={"act": act},
        url=url,
        key=f"acted_on_your_behalf:{key}",
        space=space,
        actor=actor,
    )
