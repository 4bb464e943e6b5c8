"""Two network events: the national co-production conference, shaped by members (hybrid, with places, a
"help shape this event" survey open before it and a few registrations with access needs), and an online
masterclass on evaluation, full, with a waiting list. Both are planned by the network admin, which makes the
network's events space (the admin its first host)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coproduce.meetings import services as meetings
from coproduce.surveys import services as surveys
from coproduce.surveys.models import Audience, QuestionKind, ResultsTo

from .network import Cast

CONFERENCE_NEEDS = {
    "Jamie": "A quiet room to step out to, please.",
    "Nadia": "I would like to bring my own interpreter (Urdu).",
    "Gordon": "Step-free access and a seat near the front.",
    "Zofia": "Childcare for my son (6) during the afternoon.",
}
MASTERCLASS_NEEDS = {"Ross": "Live captions, please.", "Shona": "The slides a day before, in large print."}


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def load(cast: Cast, rng: random.Random) -> None:
    admin = cast.admin
    conference = meetings.event_create(
        actor=admin,
        event_kind="conference",
        title="Co-production Scotland national conference: shaped by members",
        description=(
            "A day to share what works in co-producing public services, planned with the people who do it. "
            "Members choose the workshops: tell us what you want to talk about in the short survey below.\n\n"
            "Morning: stories from three spaces in the network. Afternoon: workshops chosen by members, then "
            "a panel of people with lived experience and commissioners."
        ),
        format="hybrid",
        starts_at=_at(45, 9, 30),
        ends_at=_at(45, 16, 30),
        place_name="Glasgow City Chambers, Banqueting Hall",
        address="George Square\nGlasgow G2 1DU",
        online_url="https://meet.example.org/national-conference",
        step_free=True,
        hearing_loop=True,
        bsl=True,
        quiet_room=True,
        travel_expenses=True,
        access_notes="Lunch is provided (tell us what you can eat). The online room has live captions.",
        capacity=120,
    )
    survey = surveys.survey_create(
        actor=admin,
        space=conference.space,
        title="Help shape the national conference",
        intro="Three questions: what should the workshops be about, and what would help you come?",
        audience=Audience.PUBLIC,
        results_to=ResultsTo.PUBLIC,
        closes_at=conference.starts_at - dt.timedelta(days=14),
        source_event_id=conference.pk,
    )
    section = survey.sections.get()
    surveys.question_add(
        actor=admin,
        survey=survey,
        section=section,
        kind=QuestionKind.MULTIPLE,
        text="Which workshops would you come to?",
        hint="Choose all that apply.",
        options=[
            "Paying people for their time",
            "Evaluation that keeps the story",
            "Co-producing with young people",
            "Sharing power with commissioners",
        ],
    )
    surveys.question_add(
        actor=admin,
        survey=survey,
        section=section,
        kind=QuestionKind.TEXT,
        text="Who should speak?",
        required=False,
    )
    surveys.question_add(
        actor=admin,
        survey=survey,
        section=section,
        kind=QuestionKind.TEXT,
        text="What would help you take part on the day?",
        required=False,
    )
    surveys.survey_set_status(actor=admin, survey=survey, status="open")
    for name in ["Morag", "Jamie", "Nadia", "Gordon", "Zofia", "Callum", "Priya", "Eilidh", "Kenny"]:
        meetings.registration_create(
            actor=cast[name], meeting=conference, access_needs=CONFERENCE_NEEDS.get(name, "")
        )

    masterclass = meetings.event_create(
        actor=admin,
        event_kind="masterclass",
        title="Masterclass: evaluating co-production without losing the story",
        description=(
            "How to show what changed, for people and for services, with numbers and with people's own words. "
            "Bring an evaluation you are working on."
        ),
        format="online",
        starts_at=_at(18, 14),
        ends_at=_at(18, 16),
        online_url="https://meet.example.org/evaluation-masterclass",
        access_notes="Live captions. The slides are sent the day before to everyone registered.",
        capacity=5,
    )
    for name in ["Fiona", "Ross", "Tariq", "Kirsty", "Euan", "Shona", "Lorna"]:  # the last two wait
        meetings.registration_create(
            actor=cast[name], meeting=masterclass, access_needs=MASTERCLASS_NEEDS.get(name, "")
        )
