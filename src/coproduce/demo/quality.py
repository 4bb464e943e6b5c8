"""The quality check in the demo: one space that is honestly co-production and one that is consultation
dressed up as it, each with the community it says it serves, a National Standards self-assessment, and its check
worked out at load (the service directly, not the task queue).

- The drop-in redesign is co-production: people with lived experience and carers wrote the adopted idea, set
  most of the agenda, have their views recorded in decisions and own actions (one done), alongside
  practitioners and commissioners who plan and deliver too. Before the redesign, people who used the old
  drop-in reviewed it with staff (its co-assessment stage, dated before co-commissioning: the review is what
  started the redesign).
- "Library opening hours consultation" says it co-produces the hours, but council staff opened the budget with
  its three options before anyone with lived experience or a carer joined, wrote the ideas and the agenda, and
  decided and deliver it among themselves; members only commented and voted on the fixed list. Its staff
  rate themselves highly, so the self-assessment and the records disagree.

The demo is made in a few seconds, so every record is dated today. A space's history matters to the check
("did the plans already exist?"), so after the services have made them, the memberships of these two spaces
and the library's budget are dated when they would have happened. These dates are the only values the demo
writes directly; the audit log keeps the day each record was really made.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from coproduce.actions import services as actions
from coproduce.budgets import services as budgets
from coproduce.budgets.models import BallotType, Budget, Phase
from coproduce.ideas import services as ideas
from coproduce.ideas.models import IdeaStatus
from coproduce.meetings import services as meetings
from coproduce.meetings.models import Stance
from coproduce.people.models import OrganisationMembership, User
from coproduce.quality import services as quality
from coproduce.spaces import services as spaces
from coproduce.spaces.models import (
    Membership,
    MembershipChange,
    Perspective,
    Space,
    StageKind,
    StageStatus,
)

from .budgets import AREA
from .meetings import VENUE, _at
from .network import PEOPLE, Cast

LIBRARY_TITLE = "Library opening hours consultation"

# (first name, title, description) of the review of the old drop-in, proposed by the people who used it.
REVIEW_ITEMS = [
    ("Jamie", "What the old drop-in got right", "So the new one keeps it."),
    ("Nadia", "Who never came, and why", "People told us the High Street felt too public."),
    ("Aileen", "What families need from it", "Carers are often the ones who phone first."),
    ("Callum", "What staff saw change over five years", ""),
]
REVIEW_MINUTES = (
    "Twenty-three people who used the drop-in, three family carers and four staff looked back at five years. "
    "Kept: walk-ins, no appointments, tea. Missing: evenings, peer workers, somewhere quiet. This review is why "
    "the partnership opened the redesign."
)

DROP_IN_MIX: dict[str, int | None] = {
    Perspective.LIVED_EXPERIENCE: 40,
    Perspective.CARER: 20,
    Perspective.COMMUNITY: 20,
}
LIBRARY_MIX: dict[str, int | None] = {
    Perspective.COMMUNITY: 70,
    Perspective.LIVED_EXPERIENCE: 15,
    Perspective.CARER: 15,
}

DROP_IN_RATINGS = {
    "inclusion": 5,
    "support": 4,
    "planning": 5,
    "working_together": 5,
    "methods": 4,
    "communication": 4,
    "impact": 3,
}
DROP_IN_NOTES = {
    "inclusion": "People who use the drop-in are the biggest group at every workshop. Still few men under 30.",
    "support": "BSL and large print at workshops; Margaret takes part on paper. Nobody wrote down whether "
    "access needs were met at the last workshop.",
    "impact": "Too early to say: the pilot has not opened yet.",
}
LIBRARY_RATINGS = {
    "inclusion": 6,
    "support": 5,
    "planning": 6,
    "working_together": 6,
    "methods": 5,
    "communication": 6,
    "impact": 6,
}
LIBRARY_NOTES = {
    "inclusion": "Everyone could vote.",
    "working_together": "Staff worked together closely on the options.",
    "impact": "The new hours were agreed on time.",
}

# The council staff who run the library consultation (the host first), then the people who joined later.
LIBRARY_STAFF = ["Alasdair", "Douglas", "Fiona", "Craig"]
LIBRARY_PUBLIC = [
    "Sandy",
    "Kenny",
    "Billy",
    "Rachel",
    "Ahmed",
    "Moira",
    "Joan",
    "Ross",
    "Iain",
    "Catriona",
    "Helen",
    "Hamish",
]
LIBRARY_OPTIONS = [
    ("Fiona", "Option A: close Monday mornings, open Thursdays until 7pm"),
    ("Craig", "Option B: close all day Monday, open Saturdays until 4pm"),
    ("Douglas", "Option C: close Wednesday afternoons, open Sundays from noon to 4pm"),
]
LIBRARY_COMMENTS = [
    ("Moira", "None of these helps people who work till 6. Could it stay open later on two nights?"),
    ("Ross", "Quiet mornings are when I can face coming in. Please don't close Monday mornings."),
    ("Kenny", "Why are these the only three options?"),
    ("Helen", "As a carer I can only come when the day centre has my mum: weekday mornings."),
]


def _days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def _dated(space: Space, people: list[User], days: int) -> None:
    """Date the memberships of `people` in `space` `days` ago (their join history too)."""
    when = timezone.now() - dt.timedelta(days=days)
    ids = [p.pk for p in people]
    Membership.objects.filter(space=space, user_id__in=ids).update(joined_at=when)
    MembershipChange.objects.filter(space=space, user_id__in=ids).update(at=when)


def _drop_in(cast: Cast) -> None:
    """The review of the old drop-in that started the redesign: its co-assessment stage, dated before
    co-commissioning, and a meeting in it where people who used the drop-in set the agenda."""
    space, host, facilitator = cast.drop_in, cast["Morag"], cast["Mhairi"]
    commissioning = space.stages.get(kind=StageKind.CO_COMMISSIONING)
    assert commissioning.starts_on is not None  # the network dates every stage
    review_ends = commissioning.starts_on - dt.timedelta(days=1)
    spaces.stage_update(
        actor=host,
        stage=space.stages.get(kind=StageKind.CO_ASSESSMENT),
        status=StageStatus.CLOSED,
        starts_on=review_ends - dt.timedelta(days=60),
        ends_on=review_ends,
        summary="Before the redesign, people who used the old drop-in and its staff reviewed it together. "
        "The review is why the redesign started; the pilot will be reviewed the same way.",
    )
    # Everyone joined when the review began.
    _dated(
        space,
        [m.user for m in space.memberships.select_related("user")],
        days=(_days(0) - review_ends).days + 61,
    )

    review = meetings.meeting_create(
        actor=facilitator,
        space=space,
        title="Looking back at the old drop-in",
        description="People who use the drop-in, their families and staff: what worked, what did not, and who "
        "never came.",
        bsl=True,
        capacity=40,
        starts_at=_at(1, 14),
        ends_at=_at(1, 16),
        **VENUE,
    )
    items = [
        meetings.agenda_item_propose(actor=cast[who], meeting=review, title=title, description=description)
        for who, title, description in REVIEW_ITEMS
    ]
    published = meetings.agenda_publish(actor=facilitator, meeting=review)
    held = (_days(0) - review_ends).days + 30
    review = meetings.meeting_update(
        actor=facilitator, meeting=review, starts_at=_at(-held, 14), ends_at=_at(-held, 16)
    )
    there = [cast[name] for name in ("Jamie", "Eilidh", "Nadia", "Ross", "Iain", "Aileen", "Grace", "Helen")]
    there += [cast[name] for name in ("Callum", "Tariq", "Kirsty", "Priya")] + [host, facilitator]
    meetings.attendance_confirm(actor=facilitator, meeting=review, people=there)
    meetings.minutes_record(
        actor=facilitator, item=published[0] if published else items[0], minutes=REVIEW_MINUTES
    )


def _library(cast: Cast, rng: random.Random) -> Space:
    """Consultation dressed up as co-production: staff plan and decide; members comment and vote on a list."""
    host = cast["Alasdair"]
    council = cast.organisations[1]
    space = spaces.space_create(
        actor=host,
        title=LIBRARY_TITLE,
        purpose="Strathbrae Council is co-producing new opening hours for its libraries with the people who "
        "use them.",
        place="Paisley",
        organisations=[council],
        perspective=Perspective.COMMISSIONER,
    )
    for request in space.partnership_requests.filter(status="pending"):
        admin = OrganisationMembership.objects.filter(
            organisation=council, is_admin=True, approved=True
        ).first()
        assert admin is not None
        spaces.partnership_decide(actor=admin.user, request=request, accept=True)
    offset = -30
    for stage in space.stages.order_by("position"):
        status = StageStatus.OPEN if stage.kind == StageKind.CO_COMMISSIONING else StageStatus.NOT_STARTED
        starts = _days(offset)
        spaces.stage_update(
            actor=host, stage=stage, status=status, starts_on=starts, ends_on=starts + dt.timedelta(days=60)
        )
        offset += 61

    def join(names: list[str], perspective_of) -> None:
        for name in names:
            asked = spaces.join_request_create(
                actor=cast[name], space=space, perspective=perspective_of(name)
            )
            spaces.join_request_decide(actor=host, join_request=asked, approve=True)

    staff_perspective = {
        "Douglas": Perspective.COMMISSIONER,
        "Fiona": Perspective.PRACTITIONER,
        "Craig": Perspective.PRACTITIONER,
    }
    join(LIBRARY_STAFF[1:], staff_perspective.__getitem__)

    # The staff set the budget and its three options before anyone else joined.
    budget = budgets.budget_create(
        actor=host,
        space=space,
        title="Library opening hours from April",
        amount=Decimal(60000),
        description="The staffing budget for opening hours is fixed. Choose one of the three patterns.",
        collect_from=_days(-42),
        review_from=_days(-35),
        vote_from=_days(-7),
        results_from=_days(7),
        eligibility="residents",
        area=AREA,
        ballot_type=BallotType.APPROVAL,
        min_projects=1,
        max_projects=1,
    )
    options = [
        budgets.project_submit(
            actor=cast[who],
            budget=budget,
            title=title,
            cost=Decimal(60000),
            category="Opening hours",
            area=AREA,
            description="Uses the whole staffing budget.",
        )
        for who, title in LIBRARY_OPTIONS
    ]
    budgets.budget_advance_phase(actor=host, budget=budget, to=Phase.REVIEW)
    for option in options:
        budgets.project_review(actor=host, project=option, feasible=True)

    everyday = {name.split()[0]: perspective for name, _pronouns, perspective, _org, _skills in PEOPLE}
    join(LIBRARY_PUBLIC, everyday.__getitem__)
    budgets.budget_advance_phase(actor=host, budget=budget, to=Phase.VOTE)
    for name in LIBRARY_PUBLIC[:10]:
        budgets.ballot_submit(
            actor=cast[name],
            budget=budget,
            choices=[[rng.choice(options).pk, 1]],
            confirmed_eligibility=True,
        )

    plan = ideas.idea_create(
        actor=cast["Craig"],
        space=space,
        title="Self-service hours with staff on call",
        body="Open the building for returns and study with one member of staff on call, so the hours go "
        "further.",
    )
    for who, text in LIBRARY_COMMENTS:
        ideas.comment_create(actor=cast[who], idea=plan, body=text)
    ideas.idea_set_status(
        actor=host, idea=plan, status=IdeaStatus.ADOPTED, reason="Agreed by the library management team."
    )
    late = ideas.idea_create(
        actor=cast["Joan"],
        space=space,
        title="Two late nights instead of Saturday",
        body="Most people I know work until 6. Open until 8 on Tuesdays and Thursdays.",
    )
    ideas.idea_set_status(
        actor=host, idea=late, status=IdeaStatus.NOT_TAKEN_FORWARD, reason="Not one of the three options."
    )

    meeting = meetings.meeting_create(
        actor=host,
        space=space,
        title="Opening hours: the council's decision",
        description="Library staff go through the vote and agree the new hours.",
        capacity=20,
        starts_at=_at(1, 10),
        ends_at=_at(1, 11),
        **{**VENUE, "place_name": "Paisley Central Library, staff room"},
    )
    for who, title in (("Fiona", "The vote so far"), ("Craig", "Staff rotas for the new hours")):
        meetings.agenda_item_propose(actor=cast[who], meeting=meeting, title=title, description="")
    agenda = list(meetings.agenda_publish(actor=host, meeting=meeting))
    meeting = meetings.meeting_update(actor=host, meeting=meeting, starts_at=_at(-2, 10), ends_at=_at(-2, 11))
    staff = [cast[name] for name in LIBRARY_STAFF]
    meetings.attendance_confirm(actor=host, meeting=meeting, people=[*staff, cast["Kenny"], cast["Moira"]])
    meetings.decision_record(
        actor=host,
        meeting=meeting,
        agenda_item=agenda[0],
        text="Option A from April, with self-service hours on Monday mornings.",
        voices=dict.fromkeys(staff, Stance.AGREE),
    )

    # The staff deliver it too: professionals plan and deliver, a traditional service in Bovaird's matrix.
    for owner, title in (
        ("Fiona", "Change the opening hours on the signs and the website"),
        ("Craig", "A staff rota for the new hours"),
        ("Douglas", "Tell staff and the unions about the new hours"),
    ):
        actions.action_create(actor=host, space=space, title=title, owner=cast[owner], due_on=_days(30))

    # The history: the staff set it up six weeks ago, the public joined a week ago.
    _dated(space, staff, days=42)
    _dated(space, [cast[n] for n in LIBRARY_PUBLIC], days=7)
    Space.objects.filter(pk=space.pk).update(created_at=timezone.now() - dt.timedelta(days=42))
    Budget.objects.filter(pk=budget.pk).update(created_at=timezone.now() - dt.timedelta(days=42))
    return space


def load(cast: Cast, rng: random.Random) -> None:
    _drop_in(cast)
    library = _library(cast, rng)
    cast.spaces.append(library)

    drop_in, assisted = cast.drop_in, cast.assisted
    assert assisted is not None, "the network is loaded first, with its assisted member"
    quality.target_mix_set(actor=cast["Morag"], space=drop_in, shares=DROP_IN_MIX)
    quality.target_mix_set(actor=cast["Alasdair"], space=library, shares=LIBRARY_MIX)
    quality.self_assessment_create(
        actor=cast["Mhairi"],
        space=drop_in,
        agreed_on=_days(-6),
        participants=[cast[n] for n in ("Jamie", "Eilidh", "Grace", "Callum", "Priya")] + [assisted],
        ratings=DROP_IN_RATINGS,
        notes=DROP_IN_NOTES,
    )
    quality.self_assessment_create(
        actor=cast["Alasdair"],
        space=library,
        agreed_on=_days(-1),
        participants=[cast[n] for n in LIBRARY_STAFF],
        ratings=LIBRARY_RATINGS,
        notes=LIBRARY_NOTES,
    )
    for space in cast.spaces:
        quality.check_compute(space=space)
