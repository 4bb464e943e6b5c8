"""Background tasks (huey). Module-level so the consumer finds them when it imports the app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import get_connection
from huey.contrib.djhuey import task


@task(retries=3, retry_delay=60)
def send_emails(messages: list) -> int:
    """Send with the real backend (console or SMTP). Retried, because mail servers have bad minutes."""
    connection = get_connection(settings.SENDING_EMAIL_BACKEND)
    return connection.send_messages(messages) or 0
