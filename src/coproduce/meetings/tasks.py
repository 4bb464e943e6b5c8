"""Background tasks (huey): the reminder the day before a meeting."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import periodic_task

from .services.reminders import remind_tomorrow


@periodic_task(crontab(minute=5))
def remind_meetings_tomorrow() -> int:
    """Hourly; each meeting is reminded once per start time however often this runs."""
    return remind_tomorrow()
