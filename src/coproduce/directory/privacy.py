"""What the directory holds about a person: their listing (which may say what they have lived experience of:
special category data), requests for help, messages, blocks and reports."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import registry
from coproduce.core.privacy import section

from .models import Block, HelpRequest, Listing, Message, Report

SEARCH_KIND = "directory.person"


def personal_data(person: Any) -> list:
    return [
        section(
            "directory",
            "listing",
            _("Your listing among people to learn from"),
            Listing.objects.filter(person=person),
            [
                "intro",
                "skills",
                "experience",
                "interests",
                "stages",
                "perspectives",
                "place",
                "offers",
                "lived_experience_of",
                "created_at",
                "updated_at",
            ],
        ),
        section(
            "directory",
            "help_requests",
            _("Your requests for help"),
            HelpRequest.objects.filter(asker=person),
            ["kind", "lived_experience_of", "description", "stage", "place", "is_open", "created_at"],
        ),
        section(
            "directory",
            "messages_sent",
            _("Messages you sent"),
            Message.objects.filter(sender=person),
            ["thread_id", "body", "created_at", "read_at", "removed_at"],
        ),
        section(
            "directory",
            "messages_received",
            _("Messages you were sent (without the sender's name)"),
            Message.objects.filter(recipient=person),
            ["thread_id", "body", "created_at", "read_at", "removed_at"],
        ),
        section(
            "directory",
            "blocks",
            _("People you blocked (their account number)"),
            Block.objects.filter(blocker=person),
            ["blocked_id", "created_at"],
        ),
        section(
            "directory",
            "reports",
            _("What you reported"),
            Report.objects.filter(reporter=person),
            ["message_id", "reason", "created_at", "resolved_at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    """The listing, requests and blocks go; messages the person sent are emptied like removed ones, so that
    the other person's thread still makes sense."""
    done = {
        "listing": Listing.objects.filter(person=person).delete()[0],
        "help_requests": HelpRequest.objects.filter(asker=person).delete()[0],
        "blocks": Block.objects.filter(Q(blocker=person) | Q(blocked=person)).delete()[0],
        "messages_emptied": Message.objects.filter(sender=person).update(body="", removed_at=timezone.now()),
    }
    if done["listing"]:
        registry.search_changed(SEARCH_KIND, [person.pk])
    return done
