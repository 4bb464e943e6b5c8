"""What notifications hold about a person: what they were told and how they like to be told."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import identifiers, scrub_rows, section

from .models import Notification, Preference


def personal_data(person: Any) -> list:
    return [
        section(
            "notifications",
            "notifications",
            _("What you were told"),
            Notification.objects.filter(recipient=person),
            ["kind", "text", "url", "created_at", "read_at", "emailed_at"],
        ),
        section(
            "notifications",
            "preferences",
            _("How you chose to be told"),
            Preference.objects.filter(user=person),
            ["kind", "delivery", "updated_at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    """The person's own notifications and choices go; others' notifications no longer name them."""
    return {
        "notifications": Notification.objects.filter(recipient=person).delete()[0],
        "preferences": Preference.objects.filter(user=person).delete()[0],
        "named_in_others": scrub_rows(Notification.objects.all(), ["text", "params"], identifiers(person)),
    }
