"""Meetings on the personal home: meetings the person is going to (with their access needs) and agendas
open for their dots."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coproduce.core.registry import Urgency
from coproduce.meetings import selectors, services


def test_a_meeting_registered_for_waits_with_the_access_needs(meeting, member, practitioner, outsider):
    services.registration_create(actor=member, meeting=meeting, access_needs="A hearing loop, please")
    [item] = selectors.waiting_items(member)
    assert item.kind == "meeting" and item.title == "Meeting: Design workshop"
    assert item.urgency == Urgency.DUE and item.due == meeting.starts_at
    assert item.detail == "You are registered. Your access needs are noted: A hearing loop, please"
    assert selectors.waiting_items(practitioner) == [] and selectors.waiting_items(outsider) == []


def test_no_access_needs_is_said_plainly(meeting, member):
    services.registration_create(actor=member, meeting=meeting)
    [item] = selectors.waiting_items(member)
    assert item.detail == "You are registered. You have noted no access needs."


def test_cancelled_and_past_meetings_wait_for_nobody(meeting, member, facilitator):
    registration = services.registration_create(actor=member, meeting=meeting)
    type(meeting).objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2), ends_at=timezone.now() - dt.timedelta(days=1)
    )
    assert selectors.waiting_items(member) == []
    services.registration_cancel(actor=member, registration=registration)
    assert selectors.waiting_items(member) == []


def test_an_open_agenda_waits_for_members_with_dots_left(meeting, member, practitioner, outsider):
    item = services.agenda_item_propose(actor=practitioner, meeting=meeting, title="Opening hours")
    [waiting] = selectors.waiting_items(member)
    assert waiting.kind == "agenda" and waiting.urgency == Urgency.OPEN
    assert waiting.detail == "1 item proposed. You have 3 dots left."
    assert waiting.url.endswith("#agenda")
    for _ in range(3):
        services.dot_add(actor=member, item=item)
    assert selectors.waiting_items(member) == []  # every dot is used
    assert selectors.waiting_items(outsider) == []


def test_a_private_meeting_waits_only_for_members(private_meeting, member, outsider):
    services.registration_create(actor=member, meeting=private_meeting)
    assert [i.kind for i in selectors.waiting_items(member)] == ["meeting"]
    assert selectors.waiting_items(outsider) == []
