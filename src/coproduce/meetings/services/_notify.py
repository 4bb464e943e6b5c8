"""Emails about meetings, queued after the transaction commits (the email backend queues them in huey)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from coproduce.people.models import ContactPreference


def email_later(user, subject: str, lines: list[str], path: str = "") -> None:
    """Queue one email to `user` once the transaction commits; nothing for people without email contact."""
    if not user.email or not user.is_active or user.contact_preference != ContactPreference.EMAIL:
        return
    body = "\n".join(
        [*lines, "", f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}" if path else ""]
    ).strip()
    recipient = user.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))
