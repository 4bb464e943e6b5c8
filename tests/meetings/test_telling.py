"""What meetings tell people beyond changes and cancellations: a reminder the day before (once), and what a
facilitator did for someone (registered them, proposed an item, placed or took off a dot)."""

from __future__ import annotations

import datetime as dt

from huey.contrib.djhuey import HUEY
from tests.meetings.conftest import when

from coproduce.meetings import services, tasks
from coproduce.meetings.models import Meeting
from coproduce.notifications import selectors
from coproduce.notifications.models import Notification


def told(kind: str) -> dict[int, Notification]:
    return {n.recipient_id: n for n in Notification.objects.filter(kind=kind)}


def test_people_with_a_place_are_reminded_once_the_day_before(
    meeting, facilitator, member, practitioner, host
):
    services.meeting_update(actor=facilitator, meeting=meeting, capacity=1)
    services.registration_create(actor=member, meeting=meeting)
    services.registration_create(actor=practitioner, meeting=meeting)  # waiting: no place yet
    meeting.refresh_from_db()
    assert services.remind_tomorrow() == 0  # a week ahead: not yet
    the_day_before = meeting.starts_at - dt.timedelta(hours=23)
    assert services.remind_tomorrow(now=the_day_before) == 1
    assert services.remind_tomorrow(now=the_day_before) == 0  # run twice: sent once
    assert services.remind_tomorrow(now=the_day_before + dt.timedelta(hours=1)) == 0  # the next hour too
    rows = told("meeting_reminder")
    assert set(rows) == {member.pk}
    assert Notification.objects.filter(kind="meeting_reminder").count() == 1
    assert rows[member.pk].url == meeting.get_absolute_url()
    assert "Reminder: “Design workshop” starts on" in selectors.sentence(rows[member.pk])


def test_a_moved_meeting_is_reminded_again_and_a_cancelled_one_never(meeting, facilitator, member):
    services.registration_create(actor=member, meeting=meeting)
    meeting.refresh_from_db()
    assert services.remind_tomorrow(now=meeting.starts_at - dt.timedelta(hours=2)) == 1
    moved = services.meeting_update(actor=facilitator, meeting=meeting, **when(days=10))
    assert Meeting.objects.get(pk=moved.pk).reminder_sent_at is None
    assert services.remind_tomorrow(now=moved.starts_at - dt.timedelta(hours=2)) == 1
    assert Notification.objects.filter(kind="meeting_reminder", recipient=member).count() == 2
    services.meeting_update(actor=facilitator, meeting=moved, **when(days=12))
    cancelled = services.meeting_cancel(actor=facilitator, meeting=moved, reason="The hall flooded")
    assert services.remind_tomorrow(now=cancelled.starts_at - dt.timedelta(hours=2)) == 0


def test_the_reminder_runs_every_hour(db):
    for hour in (0, 8, 17):
        moment = dt.datetime(2026, 5, 4, hour, 5)
        assert any(
            isinstance(t, tasks.remind_meetings_tomorrow.task_class) for t in HUEY.read_periodic(moment)
        )
    assert tasks.remind_meetings_tomorrow.call_local() == 0


def test_a_facilitator_acting_for_someone_tells_them(meeting, facilitator, margaret, member):
    registration = services.registration_create(actor=facilitator, meeting=meeting, on_behalf_of=margaret)
    item = services.agenda_item_propose(
        actor=facilitator, meeting=meeting, title="Step-free entrance", on_behalf_of=margaret
    )
    services.dot_add(actor=facilitator, item=item, on_behalf_of=margaret)
    services.dot_remove(actor=facilitator, item=item, on_behalf_of=margaret)
    services.registration_cancel(actor=facilitator, registration=registration)
    rows = list(Notification.objects.filter(kind="acted_on_your_behalf").order_by("pk"))
    assert {r.recipient for r in rows} == {margaret}
    assert [r.params["act"] for r in rows] == [
        "registration",
        "agenda_item",
        "dot",
        "dot_removed",
        "registration_cancelled",
    ]
    assert rows[1].url == f"{meeting.get_absolute_url()}#item-{item.pk}"
    assert selectors.sentence(rows[0]) == "On your behalf, Fergus Facilitator registered you for a meeting"
    # Doing it yourself tells nobody.
    services.registration_create(actor=member, meeting=meeting)
    services.dot_add(actor=member, item=item)
    assert Notification.objects.filter(kind="acted_on_your_behalf").count() == 5
    assert not Notification.objects.filter(recipient=member).exists()
