"""What surveys hold about a person: their answers (where the survey was not anonymous) and that they took
part. Erasure makes their answers anonymous, like an anonymous survey's, so that results do not change."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from coproduce.core.privacy import section

from .models import Answer, Participation, Response


def personal_data(person: Any) -> list:
    return [
        section(
            "surveys",
            "responses",
            _("Surveys you answered with your name"),
            Response.objects.filter(respondent=person).select_related("survey"),
            ["survey__title", "perspective", "created_at", "submitted_at"],
        ),
        section(
            "surveys",
            "answers",
            _("Your answers to those surveys"),
            Answer.objects.filter(response__respondent=person).select_related("response__survey", "question"),
            ["response__survey__title", "question__text", "number", "text", "date", "option__label"],
        ),
        section(
            "surveys",
            "participations",
            _("Anonymous surveys you answered (what you answered is not linked to you)"),
            Participation.objects.filter(user=person).select_related("survey"),
            ["survey__title", "at"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    return {
        "drafts": Response.objects.filter(respondent=person, submitted_at__isnull=True).delete()[0],
        "answers_made_anonymous": Response.objects.filter(respondent=person).update(respondent=None),
    }
