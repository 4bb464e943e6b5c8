"""A conversation in the Paisley drop-in redesign: "What should replace the drop-in?"

Forty statements, from the host's seeds and members' own. The members fall into three planted opinion
groups, so the map means something: people who want to keep an open drop-in (mostly people with lived
experience and carers), people who would rather have booked appointments and outreach (mostly
practitioners and commissioners), and a middle group who want both, in the evenings. Everyone agrees on a
few things (peer workers, somewhere warm and quiet), which the report shows as common ground. The analysis is
worked out at load, as the task queue would.
"""

from __future__ import annotations

import random

from coproduce.conversations import services
from coproduce.conversations.models import Moderation, Vote
from coproduce.spaces.models import Membership, Role

from .network import Cast

COMMON = [
    "Peer workers who have been through it should be part of whatever comes next.",
    "It needs to be somewhere warm, quiet and easy to get to by bus.",
    "Nobody should be turned away on their worst day.",
    "People who use the service should help decide what replaces it.",
    "Whatever replaces it should be open at least four days a week.",
]
KEEP = [
    "Walking in without an appointment is what made it work.",
    "Booking ahead is a barrier when you are struggling.",
    "The drop-in is the only place some people talk to anyone all week.",
    "A phone line is not the same as a person in the room.",
    "Closing the drop-in will push people to A&E.",
    "Forms and waiting lists put people off.",
    "The drop-in should stay in the town centre.",
    "Regulars should not have to explain themselves again to new staff.",
    "A cup of tea and a chat is support too.",
    "Outreach visits feel like being checked up on.",
]
BOOKED = [
    "Booked appointments would mean shorter waits.",
    "Staff could prepare better if they knew who was coming.",
    "Outreach would reach people who never come into town.",
    "The drop-in is too busy to have a private conversation.",
    "Money should follow the people with the greatest need.",
    "An online booking system would free up staff time.",
    "Some people use the drop-in only to pass the time.",
    "Specialist clinics would help more than a general drop-in.",
    "Home visits are safer for people who find crowds hard.",
    "Fewer, longer sessions would be better than many short ones.",
]
BOTH = [
    "Evening sessions would help people who work.",
    "A mix of drop-in and booked time would suit most people.",
    "Weekends matter: that is when people feel most alone.",
    "There should be a separate session for carers.",
    "Young people need their own time and space.",
    "The service should share a building with the library or a GP.",
    "Texts to remind people of booked times would help.",
    "Transport help should be part of the service.",
    "A pilot of six months before deciding would be sensible.",
    "Volunteers could run the quieter sessions.",
]
MEMBERS_SAID = [
    "Dogs should be welcome; mine keeps me going.",
    "Please keep the same peer worker for each person.",
    "Interpreters should be easy to get without booking.",
    "Signs and leaflets should be in plain English.",
    "The room needs a quiet corner.",
]


def _lean(perspective: str, rng: random.Random) -> int:
    """Which planted group someone leans to: 0 keep, 1 booked, 2 both."""
    if perspective in ("lived_experience", "carer"):
        return rng.choice([0, 0, 0, 2])
    if perspective in ("practitioner", "commissioner"):
        return rng.choice([1, 1, 1, 2])
    return rng.choice([0, 1, 2, 2])


def load(cast: Cast, rng: random.Random) -> None:
    space = cast.drop_in
    memberships = list(Membership.objects.filter(space=space).select_related("user").order_by("user_id"))
    host = next(m.user for m in memberships if m.role == Role.HOST)
    conversation = services.conversation_create(
        actor=host,
        space=space,
        question="What should replace the drop-in?",
        description=(
            "The drop-in's funding ends in March. Before the next meeting decides, tell us what you think of "
            "these statements, and add your own. The report shows where we agree and who we have not heard."
        ),
        moderation=Moderation.BEFORE,
        seeds=[*COMMON, *KEEP, *BOOKED, *BOTH],
    )
    members = [m for m in memberships if m.user.is_active]
    for text, membership in zip(MEMBERS_SAID, members, strict=False):
        statement = services.statement_add(actor=membership.user, conversation=conversation, text=text)
        services.statement_moderate(actor=host, statement=statement, status="accepted")
    spam = services.statement_add(
        actor=members[-1].user, conversation=conversation, text="Buy cheap watches here"
    )
    services.statement_moderate(actor=host, statement=spam, status="rejected", reason=conversation.reasons[0])
    statements = list(conversation.statements.filter(status="accepted").order_by("pk"))
    blocks = {0: set(KEEP), 1: set(BOOKED), 2: set(BOTH)}
    for membership in members:
        person = membership.user
        if person.email is None:
            continue  # the assisted member's votes are entered by a facilitator below
        lean = _lean(membership.perspective, rng)
        for statement in statements:
            if rng.random() < 0.15:
                continue  # nobody votes on everything
            services.vote_cast(
                actor=person,
                conversation=conversation,
                statement=statement,
                value=_vote(statement.text, lean, blocks, rng),
            )
    if cast.assisted is not None:
        facilitator = next((m.user for m in memberships if m.role == Role.FACILITATOR), host)
        votes = {s.pk: _vote(s.text, 0, blocks, rng) for s in statements[:20]}
        services.votes_enter(actor=facilitator, conversation=conversation, person=cast.assisted, votes=votes)
    services.analysis_compute(conversation)


def _vote(text: str, lean: int, blocks: dict[int, set[str]], rng: random.Random) -> int:
    if text in COMMON:
        return Vote.AGREE if rng.random() < 0.9 else Vote.PASS
    for group, texts in blocks.items():
        if text in texts:
            if group == lean:
                return Vote.AGREE if rng.random() < 0.85 else Vote.PASS
            if group == 2 or lean == 2:
                return rng.choice([Vote.AGREE, Vote.DISAGREE, Vote.PASS])
            return Vote.DISAGREE if rng.random() < 0.8 else Vote.PASS
    return rng.choice([Vote.AGREE, Vote.AGREE, Vote.PASS, Vote.DISAGREE])
