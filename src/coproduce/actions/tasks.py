"""Background tasks (huey): tell the owners of overdue actions every morning."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import periodic_task

from . import services


@periodic_task(crontab(hour=8, minute=0))
def remind_overdue_actions() -> int:
    """Safe beside `coproduce remind_overdue`: each action is reminded at most once a day."""
    return services.remind_overdue()
