"""The weekly digest: the week's new public posts, for the people who chose it, with a one-click unsubscribe.

Each person's week is claimed with a conditional UPDATE (`last_sent_week` before this week's Monday) before the
email is built, so two runs at once, or a retried task, send it once; a failed send gives the claim back and
raises, so that huey retries it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.mail import safe_subject
from coproduce.people.models import User

from . import selectors
from .models import DigestChoice

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "coproduce.hub.digest.unsubscribe"
QUEUED_BACKEND = "coproduce.core.mail.QueuedEmailBackend"
DIGEST_POSTS = 30


def week_of(moment: dt.datetime) -> dt.date:
    """The Monday of the week holding `moment` (in the site's time zone)."""
    day = timezone.localdate(moment)
    return day - dt.timedelta(days=day.weekday())


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> User | None:
    try:
        user_id = int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(user) -> str:
    return _absolute(reverse("hub:unsubscribe", args=[unsubscribe_token(user)]))


def _connection():
    # Already in a task: queuing again through QueuedEmailBackend would lose the error and the retry.
    backend = settings.EMAIL_BACKEND
    if backend == QUEUED_BACKEND:
        backend = getattr(settings, "SENDING_EMAIL_BACKEND", backend)
    return get_connection(backend)


def _email(user, posts) -> EmailMessage:
    link = unsubscribe_url(user)
    lines = [_("Hello %(name)s,") % {"name": user.display_name}, "", _("New in the hub this week:"), ""]
    for post in posts:
        lines += [f"* {post.title} ({post.category.name})", f"  {_absolute(post.get_absolute_url())}"]
    lines += [
        "",
        "--",
        _("You get this email because you chose the hub's weekly digest on %(site)s.")
        % {"site": settings.NETWORK_NAME},
        _("Stop it (one click, no need to sign in): %(url)s") % {"url": link},
    ]
    return EmailMessage(
        subject=safe_subject(_("This week in the %(site)s hub") % {"site": settings.NETWORK_NAME}),
        body="\n".join(lines),
        to=[user.email],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def send_weekly(now: dt.datetime | None = None) -> int:
    """Send this week's digest to everyone who chose it and has not had it; returns how many were sent.
    Nobody is sent an empty digest (and their week stays unclaimed)."""
    now = now or timezone.now()
    week = week_of(now)
    posts = list(selectors.published().filter(published_at__gte=now - dt.timedelta(days=7))[:DIGEST_POSTS])
    if not posts:
        return 0
    due = (
        DigestChoice.objects.filter(weekly=True, user__is_active=True)
        .exclude(user__email="")
        .filter(Q(last_sent_week__isnull=True) | Q(last_sent_week__lt=week))
        .select_related("user")
    )
    sent = 0
    for choice in due:
        before = choice.last_sent_week
        # Claim: of two runs, only the one whose UPDATE changed the row sends.
        claimed = (
            DigestChoice.objects.filter(pk=choice.pk, weekly=True)
            .filter(Q(last_sent_week__isnull=True) | Q(last_sent_week__lt=week))
            .update(last_sent_week=week)
        )
        if not claimed:
            continue
        try:
            _connection().send_messages([_email(choice.user, posts)])
        except Exception:
            DigestChoice.objects.filter(pk=choice.pk, last_sent_week=week).update(last_sent_week=before)
            raise
        sent += 1
    return sent
