"""The shared validators: one-line text with something visible, one-line email subjects, sensible dates."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from coproduce.core.validators import (
    EARLIEST_DATE,
    SensibleDate,
    aware,
    one_line,
    sensible_meeting_date,
    single_line,
)

CONTROL = [
    "\n",
    "\r",
    "\t",
    "\x00",
    "\x1b",
    "\x7f",
    "\x85",  # C1: NEXT LINE
    "\x9b",  # C1: control sequence introducer
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u202e",  # right-to-left override
    "\u202d",
    "\u2066",  # left-to-right isolate
    "\u2069",
]
INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c\u200d",  # zero-width non-joiner and joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u00a0",  # no-break space
    "\u2000\u2001\u2002\u2003\u2009\u200a\u202f\u205f\u3000",  # other Unicode spaces
    "\u3164",  # Hangul filler: a "letter" that draws nothing
    "\u2800",  # braille blank
    "\u0301",  # a combining accent on nothing
    " \u200b ",
]
FINE = ["Café – Paisley’s “drop-in”", "O'Brien", "مرحبا", "🌈", "Ōkawa 大川", "1", "?", "Anne-Marie\u200dX"]


@pytest.mark.parametrize("char", CONTROL)
def test_single_line_refuses_control_characters_anywhere(char):
    for value in (f"Title{char}", f"{char}Title", f"Ti{char}tle"):
        with pytest.raises(ValidationError) as caught:
            single_line(value)
        assert caught.value.code == "control_characters"
        assert "one line" in caught.value.messages[0]


@pytest.mark.parametrize("value", INVISIBLE)
def test_single_line_refuses_text_with_nothing_visible(value):
    with pytest.raises(ValidationError) as caught:
        single_line(value)
    assert caught.value.code == "invisible"
    assert "letter or number" in caught.value.messages[0]


@pytest.mark.parametrize("value", FINE)
def test_single_line_accepts_ordinary_names_in_any_script(value):
    single_line(value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Cancelled: Workshop\r\nBcc: everyone@example.org", "Cancelled: Workshop Bcc: everyone@example.org"),
        ("A\tB\x00C\u2028D\x85E", "A B C D E"),
        ("  lots   of   space ", "lots of space"),
        ("Plain", "Plain"),
    ],
)
def test_one_line(text, expected):
    assert one_line(text) == expected


@pytest.fixture
def queued_email(settings):
    settings.EMAIL_BACKEND = "coproduce.core.mail.QueuedEmailBackend"
    settings.SENDING_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("test")
    HUEY.immediate = True
    yield
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


def test_every_queued_email_gets_a_subject_on_one_line(queued_email):
    mail.outbox = []
    mail.send_mail("Hello\r\nBcc: x@example.org\u2028there", "Body", "from@example.org", ["to@example.org"])
    assert [m.subject for m in mail.outbox] == ["Hello Bcc: x@example.org there"]
    assert mail.outbox[0].message()["Subject"] == "Hello Bcc: x@example.org there"
    assert mail.outbox[0].to == ["to@example.org"]


@time_machine.travel(dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC))
def test_sensible_dates():
    past = SensibleDate(future_days=1)
    for fine in (EARLIEST_DATE, dt.date(2026, 5, 1), dt.date(2026, 5, 2)):
        past(fine)
    for wrong in (dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(2026, 5, 3), dt.date(9999, 12, 31)):
        with pytest.raises(ValidationError):
            past(wrong)
    sensible_meeting_date(timezone.make_aware(dt.datetime(2030, 1, 1, 10)))
    for wrong in (
        dt.datetime(1, 1, 1, tzinfo=dt.UTC),
        dt.datetime(1, 1, 1),
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC),  # too far to convert to local time
        dt.datetime(2040, 1, 1, tzinfo=dt.UTC),
    ):
        with pytest.raises(ValidationError) as caught:
            sensible_meeting_date(wrong)
        assert "Check the year" in caught.value.messages[0]


def test_aware_reads_a_naive_time_as_local_and_leaves_the_unconvertible():
    assert timezone.is_aware(aware(dt.datetime(2030, 1, 1, 10)))
    assert aware(dt.date(2030, 1, 1)) == dt.date(2030, 1, 1)
    assert aware("text") == "text"
    aware(dt.datetime(1, 1, 1))  # does not raise, whatever the time zone


# Text the code writes, never a person: keys, hashes, codes and the audit log's own summaries.
MACHINE_TEXT = {
    "core.AuditEvent.action",
    "core.AuditEvent.target_type",
    "core.AuditEvent.summary",
    "people.User.password",
    "people.ClaimCode.token_hash",
    "people.ClaimCode.code_hash",
    "people.ApiToken.key_hash",
    "people.ApiToken.prefix",
    "spaces.Invitation.token_hash",
    "meetings.CalendarFeed.token_hash",
    "meetings.Attendance.credit_note",
    "budgets.Project.external_id",
    "budgets.Ballot.voter_key",
    "timebank.Transfer.key",
    "budgets.Budget.currency",  # a code, held to [A-Z]{3} by its own validator
    "notifications.Notification.kind",  # codes from notifications/kinds.py
    "notifications.Notification.key",
    "notifications.Notification.url",  # a site path the code builds
    "notifications.Preference.kind",
    "conversations.Participant.external_id",  # ids from a Polis export
    "conversations.Statement.external_id",
    "directory.Listing.stages",  # codes the form's checkboxes give, comma-separated
    "directory.Listing.perspectives",
    "directory.Listing.offers",
    "hub.Post.held_reason",  # why the code held a post ("a new member's first post")
    "search.Document.kind",  # copies of what the modules give, never typed here
    "search.Document.title",
    "search.Document.url",
    "search.Document.place",
    "search.Document.stages",
}


def test_every_one_line_text_a_person_writes_has_the_single_line_validator():
    """So that a new title or name field cannot forget it: every CharField that is not a choice, an
    email address, a link, a slug or machine text."""
    from django.apps import apps
    from django.db import models

    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("coproduce."):
            continue
        for field in model._meta.concrete_fields:
            name = f"{model._meta.label}.{field.name}"
            if (
                not isinstance(field, models.CharField)
                or isinstance(field, models.EmailField | models.URLField | models.SlugField)
                or field.choices
                or name in MACHINE_TEXT
            ):
                continue
            if single_line not in field.validators:
                missing.append(name)
    assert missing == []
    labels = {f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in m._meta.concrete_fields}
    assert labels >= MACHINE_TEXT  # the list names real fields
