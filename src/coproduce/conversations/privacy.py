"""What conversations hold about a person: the statements they wrote and their votes on others'."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import Statement, Vote


def personal_data(person: Any) -> list:
    return [
        section(
            "conversations",
            "statements",
            _("Statements you wrote in conversations"),
            Statement.objects.filter(author__user=person).select_related("conversation"),
            ["conversation__question", "text", "status", "created_at"],
        ),
        section(
            "conversations",
            "votes",
            _("Your votes on statements"),
            Vote.objects.filter(participant__user=person).select_related("conversation", "statement"),
            ["conversation__question", "statement__text", "value", "voted_at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    """Statements and votes stay, so that the opinion groups do not change; the participant is a "Former
    member" nobody can name."""
    return {"votes_kept_anonymous": Vote.objects.filter(participant__user=person).count()}
