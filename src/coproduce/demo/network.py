"""The people of the demo: a Scottish area with its partnership, council, charities, a user-led
organisation, about 40 invented people and four spaces at different stages (a fifth is in `quality.py`)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict

from django.utils import timezone

from coproduce.people import services as people_services
from coproduce.people.models import OrganisationKind, OrganisationMembership, User
from coproduce.spaces import services as spaces
from coproduce.spaces.models import Perspective, Role, Space, StageKind, StageStatus

ORGANISATIONS = [
    (
        "Strathbrae Health and Social Care Partnership",
        OrganisationKind.HSCP,
        "Paisley",
        "Runs community health and social care services for Strathbrae.",
    ),
    ("Strathbrae Council", OrganisationKind.COUNCIL, "Paisley", "The local council."),
    (
        "Carers Together Strathbrae",
        OrganisationKind.CHARITY,
        "Renfrew",
        "Support, breaks and a voice for unpaid carers.",
    ),
    ("Open Door Mental Health", OrganisationKind.CHARITY, "Paisley", "Drop-ins, peer support and advice."),
    (
        "Voices of Experience",
        OrganisationKind.USER_LED,
        "Johnstone",
        "Run by and for people with lived experience of mental ill health.",
    ),
]

# (display name, pronouns, perspective, organisation index or None, skills)
PEOPLE = [
    ("Morag Henderson", "she/her", Perspective.FACILITATOR, 0, "facilitation, plain english"),
    ("Callum Reid", "he/him", Perspective.PRACTITIONER, 0, "community nursing"),
    ("Priya Nair", "she/her", Perspective.COMMISSIONER, 0, "budgets, contracts"),
    ("Douglas Fraser", "he/him", Perspective.COMMISSIONER, 1, "transport planning"),
    ("Fiona Campbell", "she/her", Perspective.PRACTITIONER, 1, "social work"),
    ("Aileen MacLeod", "she/her", Perspective.CARER, 2, "caring, organising"),
    ("Jamie Stewart", "they/them", Perspective.LIVED_EXPERIENCE, 4, "peer support, art"),
    ("Tariq Hussain", "he/him", Perspective.PRACTITIONER, 3, "counselling"),
    ("Eilidh Murray", "she/her", Perspective.LIVED_EXPERIENCE, 4, "writing, listening"),
    ("Sandy Paterson", "", Perspective.COMMUNITY, None, "driving, gardening"),
    ("Grace Okafor", "she/her", Perspective.CARER, 2, "cooking"),
    ("Ross Kennedy", "he/him", Perspective.LIVED_EXPERIENCE, None, "music"),
    ("Mhairi Ross", "she/her", Perspective.FACILITATOR, 3, "facilitation, bsl"),
    ("Kenny Watson", "he/him", Perspective.COMMUNITY, None, "diy"),
    ("Helen Thomson", "she/her", Perspective.CARER, None, "admin"),
    ("Euan Robertson", "he/him", Perspective.PRACTITIONER, 0, "occupational therapy"),
    ("Nadia Malik", "she/her", Perspective.LIVED_EXPERIENCE, 4, "translation, urdu"),
    ("Billy Docherty", "he/him", Perspective.COMMUNITY, None, "football coaching"),
    ("Shona Grant", "she/her", Perspective.CARER, 2, "first aid"),
    ("Alasdair Munro", "he/him", Perspective.COMMISSIONER, 1, "procurement"),
    ("Kirsty Hamilton", "she/her", Perspective.PRACTITIONER, 3, "peer work"),
    ("Iain Morrison", "he/him", Perspective.LIVED_EXPERIENCE, None, "cooking, walking"),
    ("Rachel Burns", "she/her", Perspective.COMMUNITY, None, "social media"),
    ("Zofia Nowak", "she/her", Perspective.CARER, 2, "polish, childcare"),
    ("Gordon Millar", "he/him", Perspective.LIVED_EXPERIENCE, 4, "woodwork"),
    ("Lorna Scott", "she/her", Perspective.PRACTITIONER, 0, "pharmacy"),
    ("Ahmed Khan", "he/him", Perspective.COMMUNITY, None, "it support"),
    ("Catriona Duncan", "she/her", Perspective.LIVED_EXPERIENCE, None, "poetry"),
    ("Stuart Walker", "he/him", Perspective.CARER, None, "finance"),
    ("Moira Clark", "she/her", Perspective.COMMUNITY, None, "knitting, befriending"),
    ("Lewis Young", "he/him", Perspective.LIVED_EXPERIENCE, 4, "gaming, design"),
    ("Anne Wilson", "she/her", Perspective.CARER, 2, "listening"),
    ("Craig Anderson", "he/him", Perspective.PRACTITIONER, 1, "housing"),
    ("Rhona Mackay", "she/her", Perspective.FACILITATOR, 4, "facilitation"),
    ("Declan O'Neill", "he/him", Perspective.LIVED_EXPERIENCE, None, "photography"),
    ("Joan Baird", "she/her", Perspective.COMMUNITY, None, "church hall bookings"),
    ("Hamish Gray", "he/him", Perspective.CARER, None, "gardening"),
    ("Yvonne Ferguson", "she/her", Perspective.PRACTITIONER, 3, "advocacy"),
    ("Sam Cooper", "they/them", Perspective.LIVED_EXPERIENCE, None, "podcasting"),
]


class SpaceSpec(TypedDict):
    title: str
    purpose: str
    place: str
    orgs: list[int]  # indexes in ORGANISATIONS
    host: int  # index in PEOPLE
    stages: dict[str, str]  # StageKind -> StageStatus, the others not started
    members: Iterable[int]  # indexes in PEOPLE


SPACES: list[SpaceSpec] = [
    {
        "title": "Redesign of the Paisley mental-health drop-in",
        "purpose": "The drop-in on the High Street is closing in its current form. People who use it, "
        "their families and staff decide together what should replace it.",
        "place": "Paisley",
        "orgs": [0, 3, 4],
        "host": 0,
        "stages": {StageKind.CO_COMMISSIONING: StageStatus.CLOSED, StageKind.CO_DESIGN: StageStatus.OPEN},
        "members": range(1, 22),
    },
    {
        "title": "Carers' short breaks budget 2027",
        "purpose": "£120,000 for short breaks for unpaid carers. Carers propose and choose how it is spent.",
        "place": "Renfrew",
        "orgs": [1, 2],
        "host": 5,
        "stages": {StageKind.CO_COMMISSIONING: StageStatus.OPEN},
        "members": [10, 14, 18, 23, 28, 31, 36, 2, 3],
    },
    {
        "title": "Community transport to clinics",
        "purpose": "Volunteer drivers and patients run a booking and lift service to hospital appointments.",
        "place": "Johnstone",
        "orgs": [1, 0],
        "host": 3,
        "stages": {
            StageKind.CO_COMMISSIONING: StageStatus.CLOSED,
            StageKind.CO_DESIGN: StageStatus.CLOSED,
            StageKind.CO_DELIVERY: StageStatus.OPEN,
        },
        "members": [9, 13, 17, 21, 26, 29, 35, 1, 15],
    },
    {
        "title": "Review of the peer support service",
        "purpose": "A year on: did peer support help? People who used it and peer workers look at what changed.",
        "place": "Johnstone",
        "orgs": [4, 3],
        "host": 33,
        "stages": {
            StageKind.CO_COMMISSIONING: StageStatus.CLOSED,
            StageKind.CO_DESIGN: StageStatus.CLOSED,
            StageKind.CO_DELIVERY: StageStatus.CLOSED,
            StageKind.CO_ASSESSMENT: StageStatus.OPEN,
        },
        "members": [6, 8, 16, 20, 24, 30, 34, 38, 7],
    },
]


@dataclass
class Cast:
    """Who and what the other parts of the demo build on: people by first name, organisations and spaces."""

    admin: User
    people: dict[str, User] = field(default_factory=dict)
    organisations: list = field(default_factory=list)
    spaces: list[Space] = field(default_factory=list)
    assisted: User | None = None

    def __getitem__(self, first_name: str) -> User:
        return self.people[first_name]

    @property
    def drop_in(self) -> Space:
        return self.spaces[0]

    @property
    def carers(self) -> Space:
        return self.spaces[1]

    @property
    def transport(self) -> Space:
        return self.spaces[2]


def _email(name: str) -> str:
    first = name.split()[0].lower().replace("'", "")
    return f"{first}@demo.coproduce.scot"


def load_network(rng: random.Random, password: str) -> Cast:
    admin = User.objects.create_superuser("admin@demo.coproduce.scot", password, display_name="Network admin")
    people = []
    # Hashing with Argon2 is deliberately slow; the demo accounts share one password, so hash it once.
    password_hash = admin.password
    for name, pronouns, perspective, _org, skills in PEOPLE:
        user = User.objects.create(
            email=_email(name), password=password_hash, display_name=name, pronouns=pronouns
        )
        people.append((user, perspective))
        people_services.profile_update(actor=user, user=user, skills=skills, interests=[])
    orgs = []
    for index, (name, kind, place, description) in enumerate(ORGANISATIONS):
        founder = next(user for (user, _p), row in zip(people, PEOPLE, strict=True) if row[3] == index)
        orgs.append(
            people_services.organisation_create(
                actor=founder, name=name, kind=kind, place=place, description=description
            )
        )
    for (user, _p), row in zip(people, PEOPLE, strict=True):
        if (
            row[3] is not None
            and not OrganisationMembership.objects.filter(user=user, organisation=orgs[row[3]]).exists()
        ):
            OrganisationMembership.objects.create(user=user, organisation=orgs[row[3]], approved=True)

    today = timezone.localdate()
    cast = Cast(admin=admin, people={u.display_name.split()[0]: u for u, _p in people}, organisations=orgs)
    for spec in SPACES:
        host, host_perspective = people[spec["host"]]
        space = spaces.space_create(
            actor=host,
            title=spec["title"],
            purpose=spec["purpose"],
            place=spec["place"],
            organisations=[orgs[i] for i in spec["orgs"]],
            perspective=host_perspective,
        )
        cast.spaces.append(space)
        # The organisations' admins agreed to be listed as partners (the host is rarely one of them).
        for request in space.partnership_requests.filter(status="pending").select_related("organisation"):
            org_admin = OrganisationMembership.objects.filter(
                organisation=request.organisation, is_admin=True, approved=True
            ).first()
            assert org_admin is not None  # every demo organisation has its founder as its admin
            spaces.partnership_decide(actor=org_admin.user, request=request, accept=True)
        # Dates put today a month into the open stage (or the first one not yet closed), stages of 60 days.
        kinds = [stage.kind for stage in space.stages.order_by("position")]
        current = next(
            (i for i, kind in enumerate(kinds) if spec["stages"].get(kind) != StageStatus.CLOSED), len(kinds)
        )
        offset = -30 - 61 * current
        for stage in space.stages.order_by("position"):
            status = spec["stages"].get(stage.kind, StageStatus.NOT_STARTED)
            starts = today + dt.timedelta(days=offset)
            spaces.stage_update(
                actor=host,
                stage=stage,
                status=status,
                starts_on=starts,
                ends_on=starts + dt.timedelta(days=60),
            )
            offset += 61
        for index in spec["members"]:
            user, perspective = people[index]
            if index == spec["host"]:
                continue
            asked = spaces.join_request_create(actor=user, space=space, perspective=perspective)
            spaces.join_request_decide(actor=host, join_request=asked, approve=True)
        facilitators = [
            m for m in space.memberships.exclude(user=host) if m.perspective == Perspective.FACILITATOR
        ]
        for membership in facilitators[:1]:
            spaces.membership_update(actor=host, membership=membership, role=Role.FACILITATOR)
        # A few people waiting for an answer, so a host has something to do.
        outsiders = [p for i, p in enumerate(people) if i not in spec["members"] and i != spec["host"]]
        for user, perspective in rng.sample(outsiders, 2):
            spaces.join_request_create(
                actor=user, space=space, perspective=perspective, message="I'd like to help with this."
            )
    cast.assisted = spaces.assisted_person_add(
        actor=people[0][0],
        space=cast.drop_in,
        display_name="Margaret (paper)",
        perspective=Perspective.LIVED_EXPERIENCE,
    ).user
    return cast
