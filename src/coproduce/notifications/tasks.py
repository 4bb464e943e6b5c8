"""Background tasks (huey): notification emails, and the daily and weekly digests."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import periodic_task, task

from . import mailing
from .kinds import Delivery


@task(retries=3, retry_delay=60)
def send_notification_email(notification_id: int) -> bool:
    """Sends once even when run twice (see mailing.send_one); retried when the mail server fails."""
    return mailing.send_one(notification_id)


@periodic_task(crontab(hour=7, minute=0), retries=2, retry_delay=600)
def send_daily_digests() -> int:
    return mailing.send_digests(Delivery.DAILY)


@periodic_task(crontab(day_of_week="1", hour=7, minute=0), retries=2, retry_delay=600)
def send_weekly_digests() -> int:
    return mailing.send_digests(Delivery.WEEKLY)
