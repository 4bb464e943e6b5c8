"""The hand-written iCalendar (RFC 5545): folding at 75 octets, escaping, UTC times, CRLF."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coproduce.meetings import ical

UTC = dt.UTC


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_escaping_of_text_values():
    assert ical.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"


@given(st.text(min_size=0, max_size=400))
def test_folding_never_makes_a_line_longer_than_75_octets_and_unfolds_to_the_original(value):
    line = "DESCRIPTION:" + ical.escape_text(value)
    folded = ical.fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded) == line


def test_folding_does_not_split_a_multibyte_character():
    line = "SUMMARY:" + "é" * 60  # 2 octets each
    for part in ical.fold(line).split("\r\n"):
        part.encode("utf-8").decode("utf-8")  # would raise on a split character
        assert len(part.encode("utf-8")) <= 75


def test_a_calendar_with_one_event():
    start = dt.datetime(2026, 3, 5, 18, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    event = ical.Event(
        uid="meeting-1@example.org",
        start=start,
        end=start + dt.timedelta(hours=2),
        stamp=dt.datetime(2026, 1, 1, tzinfo=UTC),
        summary="Design workshop, round 2",
        description="Step-free access; hearing loop",
        location="Town Hall",
        sequence=3,
        url="https://example.org/spaces/x/meetings/1/",
    )
    text = ical.calendar("Drop-in redesign", [event])
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines = unfold(text).split("\r\n")
    assert "DTSTART:20260305T173000Z" in lines and "DTEND:20260305T193000Z" in lines
    assert (
        "SUMMARY:Design workshop\\, round 2" in lines
        and "DESCRIPTION:Step-free access\\; hearing loop" in lines
    )
    assert "SEQUENCE:3" in lines and "STATUS:CONFIRMED" in lines and "UID:meeting-1@example.org" in lines
    assert "\n" not in text.replace("\r\n", "")


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        ical.utc(dt.datetime(2026, 1, 1))
