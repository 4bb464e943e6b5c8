"""Rows for long list pages, with their words prepared once.

A list page shows the same few perspectives, statuses and days on every row. Formatting them in the
template, row by row (translation lookups, date formats, URL reversing), was most of the idea list's and
the action tracker's render time, so the views prepare each row's text here with per-page caches.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class Labels:
    def __init__(self) -> None:
        self._choices: dict = {}
        self._days: dict = {}

    def choice(self, choices, value) -> str:
        key = (choices, value)
        if key not in self._choices:
            self._choices[key] = str(choices(value).label) if value in choices.values else str(value)
        return self._choices[key]

    def day(self, moment) -> str:
        if moment is None:
            return ""
        day = timezone.localtime(moment).date() if hasattr(moment, "hour") else moment
        if day not in self._days:
            self._days[day] = date_format(day, "j M Y")
        return self._days[day]


def when_in_words(moment: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """A date as people say it, with how far away it is: "Tuesday 8 December 2026 (in 4 days)", "today at
    14:00", "Thursday 3 December 2026 (yesterday)". The time is said only when it is not midnight (a
    meeting's start, not a day something is due)."""
    local = timezone.localtime(moment)
    today = timezone.localtime(now).date() if now else timezone.localdate()
    days = (local.date() - today).days
    if days == 0:
        relative = _("today")
    elif days == 1:
        relative = _("tomorrow")
    elif days == -1:
        relative = _("yesterday")
    elif days > 1:
        relative = ngettext("in %(n)s day", "in %(n)s days", days) % {"n": days}
    else:
        relative = ngettext("%(n)s day ago", "%(n)s days ago", -days) % {"n": -days}
    said = _("%(day)s (%(relative)s)") % {"day": date_format(local, "l j F Y"), "relative": relative}
    if local.time() != dt.time.min:
        said = _("%(day)s at %(time)s") % {"day": said, "time": date_format(local, "H:i")}
    return said
