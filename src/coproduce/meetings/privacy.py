"""What meetings hold about a person: registrations (with access needs, special category data), agenda
items they proposed, dots, attendance, their voice on decisions and their calendar feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    DecisionVoice,
    Dot,
    Registration,
    RegistrationStatus,
)


def personal_data(person: Any) -> list:
    return [
        section(
            "meetings",
            "registrations",
            _("Meetings you registered for, with the access needs you told us"),
            Registration.objects.filter(user=person).select_related("meeting"),
            ["meeting__title", "meeting__starts_at", "status", "access_needs", "registered_at"],
        ),
        section(
            "meetings",
            "agenda_items",
            _("Agenda items you proposed"),
            AgendaItem.objects.filter(proposed_by=person).select_related("meeting"),
            ["meeting__title", "title", "description", "status", "created_at"],
        ),
        section(
            "meetings",
            "dots",
            _("Your dots on agendas"),
            Dot.objects.filter(user=person).select_related("item"),
            ["item__title", "perspective", "created_at"],
        ),
        section(
            "meetings",
            "attendance",
            _("Meetings you attended"),
            Attendance.objects.filter(user=person).select_related("meeting"),
            ["meeting__title", "meeting__starts_at", "perspective", "credit_minutes", "credit_status"],
        ),
        section(
            "meetings",
            "decision_voices",
            _("Where you stood on decisions"),
            DecisionVoice.objects.filter(user=person).select_related("decision"),
            ["decision__text", "perspective", "stance"],
        ),
        section(
            "meetings",
            "calendar_feed",
            _("Your calendar feed"),
            CalendarFeed.objects.filter(user=person),
            ["created_at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    """Access needs are removed and places at meetings to come are given up; who attended, dots and
    voices on decisions stay, so that minutes and counts keep their sense, as a "Former member"'s."""
    return {
        "access_needs": Registration.objects.filter(user=person)
        .exclude(access_needs="")
        .update(access_needs=""),
        "registrations_cancelled": Registration.objects.filter(
            user=person, meeting__starts_at__gt=timezone.now()
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .update(status=RegistrationStatus.CANCELLED),
        "calendar_feeds": CalendarFeed.objects.filter(user=person).delete()[0],
    }


def expire_access_needs(cutoff: datetime) -> int:
    """Access needs told for meetings that ended before `cutoff`."""
    return (
        Registration.objects.filter(meeting__ends_at__lt=cutoff)
        .exclude(access_needs="")
        .update(access_needs="")
    )
