"""The reminder the day before a meeting, to the people with a place."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from coproduce.notifications.services import notify
from coproduce.people.models import User

from ..models import Meeting, Registration, RegistrationStatus

AHEAD = dt.timedelta(hours=24)


def remind_tomorrow(*, now: dt.datetime | None = None) -> int:
    """Remind the people registered for each meeting that starts within the next 24 hours, once per
    meeting and start time. Returns how many meetings were reminded.

    Safe to run twice at once (an hourly task that overlaps a slow run, or two workers): the conditional
    UPDATE claims each meeting's reminder, and only the run whose UPDATE changed the row tells people.
    Moving the meeting clears the claim (services.meetings.meeting_update), so the new date is reminded.
    """
    now = now or timezone.now()
    due = Meeting.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + AHEAD,
        cancelled_at__isnull=True,
        reminder_sent_at__isnull=True,
    ).order_by("starts_at", "pk")
    reminded = 0
    for meeting in due.select_related("space").iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Meeting.objects.filter(
                pk=meeting.pk, reminder_sent_at__isnull=True, starts_at=meeting.starts_at
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            reminded += 1
            notify(
                kind="meeting_reminder",
                # People with a place: those still waiting are not expected yet.
                recipients=User.objects.filter(
                    pk__in=Registration.objects.filter(
                        meeting=meeting, status=RegistrationStatus.REGISTERED
                    ).values("user_id")
                ),
                params={"title": meeting.title, "starts_at": meeting.starts_at.isoformat()},
                url=meeting.get_absolute_url(),
                space=meeting.space,
                key=f"meeting_reminder:{meeting.pk}:{meeting.starts_at.isoformat()}",
            )
    return reminded
