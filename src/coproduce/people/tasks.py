"""Background tasks (huey): remove special category data past its retention period, every night."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(hour=2, minute=15))
def expire_special_category() -> dict[str, int]:
    """Safe beside `coproduce privacy expire`: each run removes only what is due."""
    return services.expire_special_category()
