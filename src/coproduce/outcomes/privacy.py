"""What outcomes hold about a person: their consent, who may help them record, their outcomes conversations
(ratings in their own words) and plans: special category data, all of it. Erasure removes it; a plan changed
by the person for someone else no longer names them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from coproduce.core.privacy import FORMER_MEMBER, section

from .models import Consent, Conversation, Helper, Plan, PlanChange, Rating


def personal_data(person: Any) -> list:
    return [
        section(
            "outcomes",
            "consents",
            _("Your consent to record your outcomes"),
            Consent.objects.filter(person=person).select_related("space"),
            ["space__title", "given_at", "withdrawn_at"],
        ),
        section(
            "outcomes",
            "helpers",
            _("Who may record your outcomes with you, and whom you help"),
            Helper.objects.filter(Q(person=person) | Q(helper=person)).select_related("space"),
            ["space__title", "person_id", "helper_id", "granted_at"],
        ),
        section(
            "outcomes",
            "ratings",
            _("Your outcomes conversations"),
            Rating.objects.filter(conversation__person=person).select_related("conversation__space"),
            ["conversation__space__title", "conversation__held_on", "outcome", "score", "own_words"],
        ),
        section(
            "outcomes",
            "plans",
            _("Your outcomes plans"),
            Plan.objects.filter(person=person).select_related("space"),
            ["space__title", "outcomes", "my_part", "others_part", "next_review_on", "last_reviewed_on"],
        ),
    ]


def erase(person: Any) -> dict[str, int]:
    return {
        "conversations": Conversation.objects.filter(person=person).delete()[0],
        "plans": Plan.objects.filter(person=person).delete()[0],
        "helpers": Helper.objects.filter(Q(person=person) | Q(helper=person)).delete()[0],
        "consents": Consent.objects.filter(person=person).delete()[0],
        "named_in_plan_changes": PlanChange.objects.filter(changed_by=person).update(
            changed_by_name=FORMER_MEMBER
        ),
    }


def expire_conversations(cutoff: datetime) -> int:
    """Outcomes conversations held before `cutoff` (with their ratings)."""
    return Conversation.objects.filter(held_on__lt=cutoff.date()).delete()[0]
