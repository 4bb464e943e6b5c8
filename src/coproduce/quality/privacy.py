"""What the quality check holds about a person: the self-assessments they took part in."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import SelfAssessment


def personal_data(person: Any) -> list:
    return [
        section(
            "quality",
            "self_assessments",
            _("Self-assessments you took part in"),
            SelfAssessment.objects.filter(participants=person).select_related("space"),
            ["space__title", "agreed_on"],
        )
    ]


def erase(person: Any) -> dict[str, int]:
    """Who took part stays counted, as a "Former member"."""
    return {"kept_anonymous": SelfAssessment.objects.filter(participants=person).count()}
