"""Meetings of the drop-in redesign: a workshop held last week (agenda set by members with dots, one item
left off with a reason, attendance with time credits paid by the partnership, minutes, and decisions with
where each person stood, by perspective) and the next workshop, open for registration and agenda items.

An agenda can only be set before a meeting starts, and attendance only confirmed after, so the past
workshop is planned for tomorrow, its agenda set, and then its date moved to last week (`meeting_update`):
the audit log shows that move, as it would any other.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coproduce.meetings import services as meetings
from coproduce.meetings.models import Stance

from .network import Cast

VENUE = {
    "format": "in_person",
    "place_name": "Paisley Central Library, community room",
    "address": "68 High Street\nPaisley PA1 2BB",
    "step_free": True,
    "hearing_loop": True,
    "travel_expenses": True,
    "childcare": True,
    "access_notes": "The lift is by the front desk. Tea, coffee and soup from 5.30pm. "
    "Tell us about anything else that would help you take part.",
}

PAST_ITEMS = [
    (
        "hours",
        "Jamie",
        "Opening hours: days and evenings",
        "The ideas about evenings and weekends have the most support. Decide the pattern for the pilot.",
    ),
    ("venue", "Kenny", "Where the new drop-in should be", "Abbey Close or staying on the High Street."),
    ("peer", "Eilidh", "Peer workers: how many, and how they are supported", ""),
    ("cook", "Grace", "A Friday cook-and-eat pilot", "Who plans it, who pays for the food."),
    ("hours-again", "Nadia", "Weekend opening", "Same as the opening hours item."),
]
PAST_MINUTES = {
    "hours": "Evenings matter most to people who work or who struggle at night; Saturday afternoons came a "
    "close second. Staff said rotas could cover a noon-to-eight day if mornings close. Agreed below.",
    "venue": "Douglas confirmed Abbey Close is free Tuesday to Friday from the autumn. People liked the "
    "kitchen and the step-free entrance; some worry it is further from the station. Agreed below.",
    "peer": "Two paid peer worker posts, with fortnightly supervision from Open Door. Eilidh and Kirsty will "
    "draft the job description with people who use the drop-in.",
    "cook": "Grace's idea was adopted: a twelve-week pilot, planned by the people who come. The partnership "
    "pays for the food.",
}
NEXT_ITEMS = [
    ("Jamie", "Testing the opening hours in a pilot", "How will we know if the new hours work?"),
    ("Ross", "Designing the quiet room", "Colours, light, what goes in it."),
    ("Eilidh", "The peer worker job description", "A first draft to look at together."),
]
ACCESS_NEEDS = [
    "I use a wheelchair.",
    "Large print papers please.",
    "I may need to step out for a break.",
    "",
    "",
    "",
]


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localtime() + dt.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def load(cast: Cast, rng: random.Random) -> dict:
    space, host, facilitator = cast.drop_in, cast["Morag"], cast["Mhairi"]
    members = [
        m.user for m in space.memberships.select_related("user").order_by("pk") if not m.user.is_assisted
    ]
    hscp = cast.organisations[0]

    # --- The workshop held last week -------------------------------------------------------------------
    past = meetings.meeting_create(
        actor=facilitator,
        space=space,
        title="Co-design workshop 2: what the new drop-in offers",
        description="We go through the ideas with the most support and decide what the pilot will try.",
        bsl=True,
        capacity=30,
        starts_at=_at(1, 18),
        ends_at=_at(1, 20),
        **VENUE,
    )
    meetings.meeting_set_credits(actor=host, meeting=past, organisation=hscp, minutes=120)
    items = {}
    for key, who, title, description in PAST_ITEMS:
        items[key] = meetings.agenda_item_propose(
            actor=cast[who], meeting=past, title=title, description=description
        )
    items["quiet"] = meetings.agenda_item_propose(
        actor=host,
        meeting=past,
        title="Somewhere quiet to sit",
        on_behalf_of=cast.assisted,
        description="Margaret asked for this on her paper form.",
    )
    weights = {"hours": 5, "venue": 3, "peer": 4, "cook": 3, "hours-again": 1, "quiet": 2}
    keys = list(weights)
    for person in rng.sample(members, 15):
        for key in rng.choices(keys, weights=[weights[k] for k in keys], k=rng.randint(1, 3)):
            meetings.dot_add(actor=person, item=items[key])
    meetings.agenda_item_leave_off(
        actor=facilitator,
        item=items["hours-again"],
        reason="Weekend opening is part of the opening hours item, so it is discussed there. Your dots are back.",
    )
    published = {item.pk: item for item in meetings.agenda_publish(actor=facilitator, meeting=past)}
    items = {key: published.get(item.pk, item) for key, item in items.items()}
    past = meetings.meeting_update(
        actor=facilitator, meeting=past, starts_at=_at(-8, 18), ends_at=_at(-8, 20)
    )

    assert cast.assisted is not None, "the network is loaded first, with its assisted member"
    attended = [*rng.sample(members, 14), cast.assisted]
    for person in (
        host,
        facilitator,
        cast["Jamie"],
        cast["Eilidh"],
        cast["Grace"],
        cast["Kenny"],
        cast["Douglas"],
    ):
        if person not in attended:
            attended.append(person)
    meetings.attendance_confirm(actor=facilitator, meeting=past, people=attended)
    for key, text in PAST_MINUTES.items():
        meetings.minutes_record(actor=facilitator, item=items[key], minutes=text)
    meetings.minutes_record(
        actor=facilitator,
        item=items["quiet"],
        minutes="Everyone agreed a quiet room is needed wherever the drop-in goes. Ross will bring ideas "
        "for the room to the next workshop.",
    )

    def voices(disagree=(), abstain=()):
        stances = dict.fromkeys(attended, Stance.AGREE)
        stances.update({cast[name]: Stance.DISAGREE for name in disagree})
        stances.update({cast[name]: Stance.ABSTAIN for name in abstain})
        return stances

    decisions = {
        "hours": meetings.decision_record(
            actor=facilitator,
            meeting=past,
            agenda_item=items["hours"],
            text="The pilot opens Tuesday to Friday from noon to 8pm, and on Saturday afternoons with a "
            "session run by peer workers.",
            voices=voices(abstain=["Douglas"]),
        ),
        "venue": meetings.decision_record(
            actor=facilitator,
            meeting=past,
            agenda_item=items["venue"],
            text="Move the drop-in to the Abbey Close community centre for the pilot, and ask the council "
            "about a Saturday let.",
            dissent="Kenny: Abbey Close is a long walk from the station for people coming from Johnstone. "
            "He asked that lifts home are part of the plan.",
            voices=voices(disagree=["Kenny"], abstain=["Grace"]),
        ),
        "peer": meetings.decision_record(
            actor=facilitator,
            meeting=past,
            agenda_item=items["peer"],
            text="Recruit two paid peer workers, with a job description written with people who use the "
            "drop-in.",
            voices=voices(),
        ),
    }

    # --- The next workshop, in twelve days ----------------------------------------------------------
    upcoming = meetings.meeting_create(
        actor=facilitator,
        space=space,
        title="Co-design workshop 3: testing the plan",
        description="We look at the pilot plan together before it goes to the partnership board.",
        capacity=16,
        starts_at=_at(12, 18),
        ends_at=_at(12, 20),
        **{**VENUE, "format": "hybrid", "online_url": "https://meet.jit.si/strathbrae-drop-in-workshop-3"},
    )
    next_items = [
        meetings.agenda_item_propose(actor=cast[who], meeting=upcoming, title=title, description=description)
        for who, title, description in NEXT_ITEMS
    ]
    for person in rng.sample(members, 8):
        meetings.dot_add(actor=person, item=rng.choice(next_items))
    for person in rng.sample([m for m in members if m != host], 10):
        meetings.registration_create(actor=person, meeting=upcoming, access_needs=rng.choice(ACCESS_NEEDS))
    meetings.registration_create(
        actor=host,
        meeting=upcoming,
        on_behalf_of=cast.assisted,
        access_needs="Paper copies; comes with her son.",
    )
    return decisions
