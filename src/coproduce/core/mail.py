"""An email backend that queues messages instead of sending them during the request."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

from .validators import one_line


def safe_subject(subject) -> str:
    """A subject on one line. Subjects are built from titles and names; a line break in one would make
    Django refuse the whole email (BadHeaderError) in the worker, and nobody would be told."""
    return one_line(subject)


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .tasks import send_emails

        messages = list(email_messages)
        if messages:
            for message in messages:
                # Every email passes here, whoever built it: the one place subjects are made safe.
                message.subject = safe_subject(message.subject)
                # EmailMessage objects pickle (huey's serialiser); the connection they carried does not matter.
                message.connection = None
            send_emails(messages)
        return len(messages)
