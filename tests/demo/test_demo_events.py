"""The demo's two network events: the conference shaped by members (hybrid, places, an open survey to shape
it, registrations with access needs) and the online masterclass, full with a waiting list."""

from __future__ import annotations

from django.test import Client

from coproduce.meetings.models import Meeting, Registration
from coproduce.surveys.models import Survey


def test_the_demo_has_two_network_events(demo):
    conference, masterclass = Meeting.objects.exclude(event_kind="").order_by("-capacity")
    assert (conference.event_kind, conference.format) == ("conference", "hybrid")
    assert (masterclass.event_kind, masterclass.format) == ("masterclass", "online")
    assert Registration.objects.filter(meeting=masterclass, status="waiting").count() == 2
    assert Registration.objects.filter(meeting=conference).exclude(access_needs="").count() == 4
    survey = Survey.objects.get(source_event_id=conference.pk)
    assert survey.status == "open"
    page = Client().get(f"/events/{conference.pk}/").content.decode()
    assert "Help shape this event" in page and survey.get_absolute_url() in page
    listing = Client().get("/events/").content.decode()
    assert conference.title in listing and "Full: join the waiting list" in listing
