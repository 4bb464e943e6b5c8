"""Rows for long list pages, with their words prepared once.

A list page shows the same few perspectives, statuses and days on every row. Formatting them in the
template, row by row (translation lookups, date formats, URL reversing), was most of the idea list's and
the action tracker's render time, so the views prepare each row's text here with per-page caches.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format


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
