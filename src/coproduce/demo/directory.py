"""The directory in the demo: eight people chose to be listed, with what they know and offer; Rachel, new to
co-production, asked for a mentor on co-design in Paisley, and wrote to Morag, who answered."""

from __future__ import annotations

import random

from coproduce.directory import services as directory

from .network import Cast

LISTINGS = [
    (
        "Morag",
        "Facilitator who has run co-design with people who use mental health services.",
        "facilitation, plain english, co-design workshops",
        ["co_design", "co_assessment"],
        ["mentoring", "critical_friend"],
        ["facilitator"],
        "Paisley",
        "",
    ),
    (
        "Jamie",
        "Peer supporter; I co-led the drop-in redesign.",
        "peer support, art, running groups",
        ["co_design", "co_delivery"],
        ["peer_support", "lived_experience"],
        ["lived_experience"],
        "Paisley",
        "using mental health services",
    ),
    (
        "Aileen",
        "Carer and organiser of the carers' voices group.",
        "organising, carers' rights",
        ["co_commissioning"],
        ["peer_support", "lived_experience"],
        ["carer"],
        "Johnstone",
        "caring for a son with autism",
    ),
    (
        "Priya",
        "Commissioner; I have moved budgets to participatory budgeting.",
        "budgets, contracts, participatory budgeting",
        ["co_commissioning"],
        ["mentoring", "critical_friend"],
        [],
        "Renfrewshire",
        "",
    ),
    (
        "Kirsty",
        "Peer worker and trainer.",
        "peer work, training, safeguarding",
        ["co_delivery"],
        ["mentoring", "peer_support"],
        ["practitioner"],
        "Renfrew",
        "",
    ),
    (
        "Tariq",
        "Counsellor who evaluates services with the people who use them.",
        "counselling, evaluation, surveys",
        ["co_assessment"],
        ["critical_friend"],
        ["practitioner"],
        "Glasgow",
        "",
    ),
    (
        "Nadia",
        "Interpreter; I help services hear from people who speak Urdu.",
        "translation, urdu, outreach",
        ["co_design", "co_assessment"],
        ["lived_experience", "peer_support"],
        ["lived_experience"],
        "Paisley",
        "being new to Scotland",
    ),
    (
        "Mhairi",
        "Facilitator; British Sign Language user.",
        "facilitation, bsl, accessible meetings",
        ["co_design", "co_delivery"],
        ["mentoring"],
        ["facilitator"],
        "Renfrewshire",
        "",
    ),
]


def load(cast: Cast, rng: random.Random) -> None:
    for first, intro, skills, stages, offers, perspectives, place, lived in LISTINGS:
        directory.listing_save(
            actor=cast[first],
            intro=intro,
            skills=skills,
            experience="",
            interests="",
            stages=stages,
            offers=offers,
            perspectives=perspectives,
            place=place,
            lived_experience_of=lived,
        )
    rachel, morag = cast["Rachel"], cast["Morag"]
    request = directory.help_request_create(
        actor=rachel,
        kind="mentoring",
        description="We are starting co-design with young people and I have never run a workshop.",
        stage="co_design",
        place="Paisley",
    )
    opening = directory.message_send(
        actor=rachel,
        recipient=morag,
        body="Hello Morag, the directory suggested you. Could we talk about running a first workshop?",
        help_request=request,
    )
    directory.message_send(
        actor=morag,
        thread=opening.thread,
        body="Of course. Shall we meet for a coffee next week? Bring your plan and we can go through it.",
    )
