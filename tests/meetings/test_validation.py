"""Titles stay on one line, emails go out whatever a title holds, and meetings happen in a sensible year."""

from __future__ import annotations

import email
import email.policy

import pytest
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage
from tests.api_client import Api

from coproduce.meetings import services
from coproduce.meetings.models import Meeting

from .conftest import when

TITLES_ON_TWO_LINES = ["Workshop\r\nBcc: everyone@example.org", "Workshop\nPart 2", "Tab\there", "Nul\x00"]


def iso(times: dict) -> dict:
    return {k: v.isoformat() for k, v in times.items()}


@pytest.mark.parametrize("title", TITLES_ON_TWO_LINES)
def test_the_api_refuses_a_title_with_a_line_break_or_control_character(space, facilitator, meeting, title):
    api = Api(facilitator)
    made = api.post(f"/spaces/{space.slug}/meetings", {"title": title, "format": "online", **iso(when())})
    assert made.status_code == 422
    # A NUL byte is refused earlier, by the API's guard for every text, with its own message.
    expected = "NUL character" if "\x00" in title else "one line"
    assert expected in made.json()["detail"]["title"][0]
    changed = api.patch(f"/meetings/{meeting.pk}", {"title": title})
    assert changed.status_code == 422 and "title" in changed.json()["detail"]
    assert list(Meeting.objects.values_list("title", flat=True)) == ["Design workshop"]


@pytest.mark.parametrize("title", ["\u200b", "\u00a0\u200c\u200d", "\u2060\ufeff", "\u3000\u2800"])
def test_the_api_refuses_a_title_that_is_only_invisible_characters(space, facilitator, title):
    made = Api(facilitator).post(
        f"/spaces/{space.slug}/meetings", {"title": title, "format": "online", **iso(when())}
    )
    assert made.status_code == 422
    assert "letter or number" in made.json()["detail"]["title"][0]
    assert not Meeting.objects.exists()


def test_the_web_form_refuses_a_title_on_two_lines(client_for, space, facilitator):
    page = client_for(facilitator).post(
        reverse("meetings:create", args=[space.slug]),
        {
            "title": "Workshop\r\nPart 2",
            "format": "online",
            "starts_at": "2030-06-01T17:00",
            "ends_at": "2030-06-01T18:00",
        },
    )
    assert page.status_code == 400
    assert "one line" in page.context["form"].errors["title"][0]
    assert not Meeting.objects.exists()


@pytest.fixture
def queued_email(settings):
    """Email as in production: queued through huey (run at once here) and sent by the real backend."""
    settings.EMAIL_BACKEND = "coproduce.core.mail.QueuedEmailBackend"
    settings.SENDING_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("test")
    HUEY.immediate = True
    yield
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


def test_a_meeting_whose_title_has_a_line_break_can_be_cancelled_and_everyone_is_told(
    meeting, member, practitioner, facilitator, queued_email, mailoutbox, django_capture_on_commit_callbacks
):
    services.registration_create(actor=member, meeting=meeting)
    services.registration_create(actor=practitioner, meeting=meeting)
    # Saved before titles were checked, or by a bulk update that skips validation.
    Meeting.objects.filter(pk=meeting.pk).update(title="Design workshop\r\nBcc: everyone@example.org")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=facilitator, meeting=meeting, reason="The hall flooded")
    assert Meeting.objects.get(pk=meeting.pk).is_cancelled
    assert sorted(m.to[0] for m in mailoutbox) == sorted([member.email, practitioner.email])
    assert {m.subject for m in mailoutbox} == {
        "The meeting “Design workshop Bcc: everyone@example.org” is cancelled"
    }
    for sent in mailoutbox:  # folded as RFC 5322 says, but no header was added and the subject is one line
        parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
        assert parsed["Bcc"] is None and "\n" not in str(parsed["Subject"])


@pytest.mark.parametrize("year", ["0001", "1024", "9999"])
def test_a_meeting_in_a_year_far_away_is_refused_clearly(space, facilitator, meeting, year):
    api = Api(facilitator)
    body = {
        "title": "Workshop",
        "format": "online",
        "starts_at": f"{year}-01-01T10:00:00",
        "ends_at": f"{year}-01-01T12:00:00",
    }
    made = api.post(f"/spaces/{space.slug}/meetings", body)
    assert made.status_code == 422 and "starts_at" in made.json()["detail"]
    moved = api.patch(f"/meetings/{meeting.pk}", {"starts_at": f"{year}-01-01T10:00:00+00:00"})
    assert moved.status_code == 422 and "starts_at" in moved.json()["detail"]
    assert Meeting.objects.count() == 1
    assert Meeting.objects.get().starts_at == meeting.starts_at


def test_a_start_without_a_time_zone_is_taken_as_local_time(space, facilitator):
    made = Api(facilitator).post(
        f"/spaces/{space.slug}/meetings",
        {
            "title": "Workshop",
            "format": "online",
            "starts_at": "2030-06-01T10:00:00",
            "ends_at": "2030-06-01T12:00",
        },
    )
    assert made.status_code == 201
    assert made.json()["starts_at"].startswith("2030-06-01T10:00:00")


@pytest.mark.parametrize("year", ["0001", "1999", "9999"])
def test_the_web_form_refuses_a_meeting_in_a_year_far_away(client_for, space, facilitator, year):
    page = client_for(facilitator).post(
        reverse("meetings:create", args=[space.slug]),
        {
            "title": "Workshop",
            "format": "online",
            "starts_at": f"{year}-06-01T17:00",
            "ends_at": f"{year}-06-01T18:00",
        },
    )
    assert page.status_code == 400
    assert "starts_at" in page.context["form"].errors
    assert not Meeting.objects.exists()
