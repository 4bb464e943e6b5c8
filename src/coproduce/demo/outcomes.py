"""Personal outcomes in the space at co-assessment (the review of the peer support service): eight members
agreed to record their outcomes, each talked them through three times over the year with the space's
facilitator, whom they chose to see them; most feel a little better, not all. Two have a plan."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coproduce.outcomes import services as outcomes
from coproduce.outcomes.services import RatingIn
from coproduce.spaces.models import Role

from .network import Cast

# What came up, and a few of the words people used.
TALKED_ABOUT = [
    "seeing_people",
    "feeling_safe",
    "confidence",
    "staying_well",
    "listened_to",
    "dealing_with_stigma",
]
WORDS = {
    "seeing_people": [
        "I hardly saw anyone",
        "I come to the group on Tuesdays now",
        "I have a friend from the group",
    ],
    "feeling_safe": ["I stayed in after dark", "Better with someone to walk back with", "I go out more"],
    "confidence": [
        "I couldn't phone anyone",
        "I made my own GP appointment",
        "I spoke at the review meeting",
    ],
    "staying_well": ["Up and down", "Sleeping better", "Fewer bad weeks"],
    "listened_to": ["Nobody had time", "The peer worker listens", "They remember what I said"],
    "dealing_with_stigma": ["I didn't tell anyone", "I told my sister", "It matters less what people think"],
}


def load(cast: Cast, rng: random.Random) -> None:
    space = cast.spaces[3]
    today = timezone.localdate()
    facilitator = space.memberships.filter(role=Role.FACILITATOR).select_related("user").first()
    helper = facilitator.user if facilitator else space.memberships.get(role=Role.HOST).user
    people = [
        m.user
        for m in space.memberships.filter(role=Role.MEMBER)
        .select_related("user")
        .order_by("user__display_name")
    ][:8]
    for index, person in enumerate(people):
        outcomes.consent_give(actor=person, person=person, space=space)
        outcomes.helpers_set(actor=person, person=person, space=space, helpers=[helper])
        chosen = rng.sample(TALKED_ABOUT, 4)
        scores = {outcome: rng.randint(1, 3) for outcome in chosen}
        for visit, days_ago in enumerate((320, 170, 20)):
            ratings = []
            for outcome in chosen:
                if visit:
                    # Most things get a little better; one person in four finds one thing harder.
                    step = -1 if index % 4 == 3 and outcome == chosen[0] else rng.choice([0, 1, 1])
                    scores[outcome] = min(5, max(1, scores[outcome] + step))
                ratings.append(RatingIn(outcome, scores[outcome], WORDS[outcome][visit]))
            outcomes.conversation_record(
                actor=helper if visit else person,
                person=person,
                space=space,
                held_on=today - dt.timedelta(days=days_ago),
                ratings=ratings,
            )
        if index < 2:
            outcomes.plan_save(
                actor=person,
                person=person,
                space=space,
                outcomes=chosen[:2],
                my_part="Keep coming to the Tuesday group; walk home with someone from it.",
            )
            outcomes.plan_save(
                actor=helper,
                person=person,
                space=space,
                others_part="The peer worker checks in by phone every other week.",
                next_review_on=today + dt.timedelta(days=60),
                last_reviewed_on=today - dt.timedelta(days=20),
            )
