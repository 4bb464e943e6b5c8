"""An email backend that queues messages instead of sending them during the request."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .tasks import send_emails

        messages = list(email_messages)
        if messages:
            # EmailMessage objects pickle (huey's serialiser); the connection they carried does not matter.
            for message in messages:
                message.connection = None
            send_emails(messages)
        return len(messages)
