"""Email: one notification straight away, or daily and weekly digests; each with a one-click unsubscribe.

Both claim their rows with a conditional UPDATE (`emailed_at IS NULL`) before sending, so a retried task
or two workers running the same digest send each notification at most once; a failed send gives the
claim back and raises, so that huey retries it.
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import groupby

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.people.models import User

from . import access, kinds, selectors
from .kinds import Delivery
from .models import Notification, Preference

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "coproduce.notifications.unsubscribe"
QUEUED_BACKEND = "coproduce.core.mail.QueuedEmailBackend"
DIGEST_PERIOD: dict[str, dt.timedelta] = {
    Delivery.DAILY: dt.timedelta(days=1),
    Delivery.WEEKLY: dt.timedelta(days=7),
}
# A digest also takes what a missed run left behind, but not notifications older than this.
DIGEST_SLACK = dt.timedelta(days=1)


# --- One-click unsubscribe ----------------------------------------------------------------------


def unsubscribe_token(user, kind_codes) -> str:
    """A signed token naming the person and the kinds; no sign-in needed to use it, and it cannot be
    altered to name someone else."""
    return signing.dumps({"u": user.pk, "k": sorted(set(kind_codes))}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[User, list[str]] | None:
    """The person and kinds a token names, or None when it was altered or names nobody active."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, codes = int(data["u"]), [str(code) for code in data["k"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    return user, [code for code in codes if code in kinds.BY_CODE]


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(user, kind_codes) -> str:
    return _absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind_codes)]))


# --- Building and sending -----------------------------------------------------------------------


def safe_subject(text: str) -> str:
    """One line, not too long: a title holding a line break must not add headers or break the email."""
    line = " ".join(text.split())
    return line if len(line) <= 150 else line[:149] + "…"


def _connection():
    # This already runs in a task: queuing again through QueuedEmailBackend would lose the error (and so
    # the retry and the released claim). Send with the real backend.
    backend = settings.EMAIL_BACKEND
    if backend == QUEUED_BACKEND:
        backend = settings.SENDING_EMAIL_BACKEND
    return get_connection(backend)


def _message(user, subject: str, lines: list[str], kind_codes) -> EmailMessage:
    link = unsubscribe_url(user, kind_codes)
    footer = [
        "",
        "--",
        _("You get this email because of your choices on %(site)s.") % {"site": settings.NETWORK_NAME},
        _("Stop these emails (one click, no need to sign in): %(url)s") % {"url": link},
        _("Choose which emails you get: %(url)s") % {"url": _absolute(reverse("notifications:settings"))},
    ]
    return EmailMessage(
        subject=safe_subject(subject),
        body="\n".join([*lines, *footer]),
        to=[user.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show an "unsubscribe" button that POSTs to the link.
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _one_email(notification: Notification) -> EmailMessage:
    user = notification.recipient
    shown = selectors.present([notification], user)[0]
    lines = [_("Hello %(name)s,") % {"name": user.display_name}, "", shown.title]
    if shown.text:
        lines += ["", *(f"> {line}" for line in shown.text.splitlines())]
    lines += ["", _absolute(reverse("notifications:detail", args=[notification.pk]))]
    return _message(user, shown.title, lines, [notification.kind])


def send_one(notification_id: int) -> bool:
    """Email one notification now if its recipient still wants it so. True when this run sent it."""
    notification = (
        Notification.objects.select_related("recipient", "space", "actor").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    user = notification.recipient
    if not access.may_email(user) or selectors.delivery_for(user, notification.kind) != Delivery.IMMEDIATELY:
        return False  # chose otherwise since: a digest (or nothing) takes it
    claimed_at = timezone.now()
    # Claim first: of two runs (a retry, a duplicate in the queue) only the one whose UPDATE changed the
    # row goes on to send.
    if not Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=claimed_at
    ):
        return False
    try:
        with translation.override(selectors.language_for(user)):
            message = _one_email(notification)
        _connection().send_messages([message])
    except Exception:
        Notification.objects.filter(pk=notification.pk, emailed_at=claimed_at).update(emailed_at=None)
        raise
    return True


def _digest_email(user, rows: list[Notification], delivery: str) -> EmailMessage:
    shown = {s.id: s for s in selectors.present(rows, user)}
    hidden = _("Spaces you can no longer see")
    network = _("Across the network")

    def group_of(n: Notification) -> str:
        s = shown[n.pk]
        if n.space_id is None:
            return network
        return s.space_title or hidden

    def kind_order(n: Notification) -> int:
        return kinds.CODES.index(n.kind) if n.kind in kinds.BY_CODE else len(kinds.CODES)

    title = (
        ngettext(
            "Your daily summary: %(n)s notification", "Your daily summary: %(n)s notifications", len(rows)
        )
        if delivery == Delivery.DAILY
        else ngettext(
            "Your weekly summary: %(n)s notification", "Your weekly summary: %(n)s notifications", len(rows)
        )
    ) % {"n": len(rows)}
    lines = [_("Hello %(name)s,") % {"name": user.display_name}, "", title]
    ordered = sorted(rows, key=lambda n: (group_of(n) == network, group_of(n), kind_order(n), n.created_at))
    for space_title, in_space in groupby(ordered, key=group_of):
        lines += ["", space_title, "=" * min(len(space_title), 60)]
        for _code, same_kind in groupby(in_space, key=lambda n: n.kind):
            of_kind = list(same_kind)
            lines += ["", shown[of_kind[0].pk].kind_label or _("Other")]
            for n in of_kind:
                lines.append(f"- {shown[n.pk].title}")
                if shown[n.pk].text:
                    lines.append(f"  “{' '.join(shown[n.pk].text.split())[:200]}”")
                lines.append(f"  {_absolute(reverse('notifications:detail', args=[n.pk]))}")
    lines += ["", _("All your notifications: %(url)s") % {"url": _absolute(reverse("notifications:inbox"))}]
    return _message(user, title, lines, {n.kind for n in rows})


def send_digests(delivery: str, *, now: dt.datetime | None = None) -> int:
    """One email per person who chose `delivery` (daily or weekly) for notifications not emailed yet.
    Returns how many emails were sent. Raises at the end if any failed (their claims are given back)."""
    now = now or timezone.now()
    since = now - DIGEST_PERIOD[delivery] - DIGEST_SLACK
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, created_at__gte=since, created_at__lte=now)
        .filter(access.emailable("recipient__"))
        .values_list("recipient_id", "kind", "pk")
        .order_by("recipient_id", "pk")
    )
    found = list(pending)
    chosen = {
        (user_id, kind_code): choice
        for user_id, kind_code, choice in Preference.objects.filter(
            user_id__in={user_id for user_id, _kind, _pk in found}
        ).values_list("user_id", "kind", "delivery")
    }
    by_person: dict[int, list[int]] = {}
    for user_id, kind_code, pk in found:
        kind = kinds.get(kind_code)
        if kind is not None and chosen.get((user_id, kind_code), kind.default_delivery) == delivery:
            by_person.setdefault(user_id, []).append(pk)
    sent, failed = 0, []
    for user_id, ids in by_person.items():
        # One UPDATE per row, each changing it only if no other run has: the rows this run changed are
        # exactly the ones it sends (a second digest run at the same moment finds nothing left to claim).
        claimed = [
            pk
            for pk in ids
            if Notification.objects.filter(pk=pk, emailed_at__isnull=True).update(emailed_at=now)
        ]
        if not claimed:
            continue
        rows = list(
            Notification.objects.filter(pk__in=claimed)
            .select_related("recipient", "space", "actor")
            .order_by("pk")
        )
        user = rows[0].recipient
        try:
            with translation.override(selectors.language_for(user)):
                message = _digest_email(user, rows, delivery)
            _connection().send_messages([message])
            sent += 1
        except Exception:
            logger.exception("could not send the %s digest to person %s", delivery, user_id)
            Notification.objects.filter(pk__in=claimed, emailed_at=now).update(emailed_at=None)
            failed.append(user_id)
    if failed:
        raise RuntimeError(f"{len(failed)} digest(s) could not be sent; they will be tried again")
    return sent
