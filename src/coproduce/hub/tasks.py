"""Background tasks (huey): the hub's weekly digest."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import periodic_task

from . import digest


@periodic_task(crontab(day_of_week="1", hour=7, minute=30), retries=2, retry_delay=600)
def send_hub_digests() -> int:
    return digest.send_weekly()
