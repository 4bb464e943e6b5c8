"""Validators shared by every app: single-line text, and dates in a sensible window.

They sit on model fields, so the web forms (ModelForm), the services (`full_clean`) and the API all
refuse the same values with the same message on the same field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Bidirectional embeddings, overrides and isolates: they make text read differently from what it is
# ("Trojan Source"), and nobody types them on purpose in a title or a name.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that are letters or symbols to Unicode but draw nothing.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")


def _is_control(char: str) -> bool:
    # Cc: C0 controls (NUL, TAB, LF, CR...), DEL and C1 controls; Zl/Zp: the Unicode line and
    # paragraph separators, which some mail and chat clients treat as line breaks.
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS


def _is_visible(char: str) -> bool:
    return unicodedata.category(char)[0] in _VISIBLE_CATEGORIES and char not in _BLANK_GLYPHS


def has_control_characters(value: str) -> bool:
    return any(_is_control(char) for char in value)


def has_visible_characters(value: str) -> bool:
    return any(_is_visible(char) for char in value)


def visible_text(value) -> None:
    """Refuse text made only of spaces or invisible characters (zero-width spaces, no-break spaces...)."""
    if isinstance(value, str) and value and not has_visible_characters(value):
        raise ValidationError(
            _("This is only blank or invisible characters. Write at least one letter or number."),
            code="invisible",
        )


def single_line(value) -> None:
    """For titles, names and other one-line text: no line breaks, tabs or other control characters,
    and something visible.

    A line break in a title would end up in an email subject (where it breaks the email) and in
    calendar files; invisible-only names make people impossible to tell apart.
    """
    if not isinstance(value, str):
        return
    if has_control_characters(value):
        raise ValidationError(
            _(
                "Write this on one line: it contains a line break, a tab or another hidden control "
                "character. Remove it and try again."
            ),
            code="control_characters",
        )
    visible_text(value)


_RUNS_OF_BLANKS = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Collapse line breaks, tabs, control characters and runs of spaces into single spaces.

    For text that must be one line whatever it came from, such as an email subject built from a title
    saved before titles were checked.
    """
    cleaned = "".join(" " if _is_control(char) else char for char in str(text))
    return _RUNS_OF_BLANKS.sub(" ", cleaned).strip()


# --- Dates ---------------------------------------------------------------------------------------

# Nothing recorded here happened before this date: older dates are typing slips (year 0001, 1024).
EARLIEST_DATE = dt.date(2000, 1, 1)


@deconstructible
class SensibleDate:
    """Refuse dates before EARLIEST_DATE or more than `future_days` after today.

    For a DateField or a DateTimeField. Today is the local date, and one day of slack lets someone in
    another time zone record what happened "today" for them.
    """

    def __init__(self, future_days: int = 1):
        self.future_days = future_days

    def __call__(self, value) -> None:
        check_sensible_date(value, future_days=self.future_days)

    def __eq__(self, other) -> bool:
        return isinstance(other, SensibleDate) and other.future_days == self.future_days


def sensible_date_error(value, *, future_days: int = 1) -> str | None:
    """The plain-English reason `value` is outside the window, or None if it is inside."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        try:
            day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        except (OverflowError, ValueError):  # so far from now that the time zone cannot convert it
            day = value.date()
    else:
        day = value
    if day < EARLIEST_DATE:
        return str(
            _("Check the year: the date must be on or after %(date)s.")
            % {"date": EARLIEST_DATE.strftime("%d %B %Y").lstrip("0")}
        )
    latest = timezone.localdate() + dt.timedelta(days=future_days)
    if day > latest:
        if future_days <= 1:
            return str(_("The date cannot be in the future."))
        return str(
            _("Check the year: the date must be before %(date)s.")
            % {"date": latest.strftime("%d %B %Y").lstrip("0")}
        )
    return None


def aware(value):
    """A date and time sent without a time zone (the API allows it) is read as local time, as the web
    forms read it. Values too far away to convert are left as they are, for the date check to refuse."""
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        try:
            return timezone.make_aware(value)
        except (OverflowError, ValueError):
            return value
    return value


def check_sensible_date(value, *, future_days: int = 1) -> None:
    message = sensible_date_error(value, future_days=future_days)
    if message:
        raise ValidationError(message, code="date_out_of_range")


# Meetings are planned ahead, but not decades ahead.
MEETING_FUTURE_DAYS = 10 * 366
sensible_past_date = SensibleDate(future_days=1)
sensible_meeting_date = SensibleDate(future_days=MEETING_FUTURE_DAYS)
