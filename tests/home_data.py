"""Something waiting in every module, for the personal home's tests (tests/spaces/test_home.py and each
module's test_waiting.py): `fill(person, host, n)` makes `n` spaces that `person` hosts, each with a
budget open for voting, a meeting they are registered for with an open agenda, an action they own, a join
request, a reported comment; and in the timebank an exchange to confirm, a dispute and a newcomer each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count

from django.utils import timezone
from tests.budgets.conftest import add_projects, make_budget, move_to
from tests.conftest import make_person

from coproduce.actions import services as action_services
from coproduce.budgets.models import Phase
from coproduce.ideas import services as idea_services
from coproduce.meetings import services as meeting_services
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective, Role
from coproduce.timebank import services as timebank_services
from coproduce.timebank.models import MemberStatus, TimebankMember

_serial = count()


def approved(user, **extra) -> TimebankMember:
    record, _created = TimebankMember.objects.update_or_create(
        user=user, defaults={"status": MemberStatus.APPROVED, **extra}
    )
    return record


def starts_in(days: float) -> dict:
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=2)}


def fill(person, n: int) -> None:
    """`person` hosts `n` new spaces, each with one of everything waiting for them; the timebank has
    `n` of each thing waiting for a coordinator, and `person` is one."""
    approved(person, is_coordinator=True)
    for _ in range(n):
        i = next(_serial)
        helper = make_person(f"Helper {i}")
        space = space_services.space_create(actor=person, title=f"Space {i}", purpose="Work together.")
        space_services._membership_add(
            actor=person,
            space=space,
            user=helper,
            role=Role.FACILITATOR,
            perspective=Perspective.PRACTITIONER,
        )
        budget = make_budget(space, person, title=f"Fund {i}", ballot_type="approval", max_projects=2)
        add_projects(budget, helper, helper, [Decimal("100"), Decimal("200")])
        move_to(budget, person, Phase.VOTE)
        meeting = meeting_services.meeting_create(
            actor=helper,
            space=space,
            title=f"Meeting {i}",
            format="online",
            online_url="https://meet.example.org/x",
            **starts_in(3 + i % 5),
        )
        meeting_services.registration_create(actor=person, meeting=meeting, access_needs="Large print")
        meeting_services.agenda_item_propose(actor=helper, meeting=meeting, title=f"Item {i}")
        action_services.action_create(
            actor=helper,
            space=space,
            title=f"Action {i}",
            owner=person,
            due_on=timezone.localdate() + dt.timedelta(days=i % 7 + 1),
        )
        asking = make_person(f"Asking {i}")
        space_services.join_request_create(actor=asking, space=space, perspective=Perspective.CARER)
        idea = idea_services.idea_create(actor=helper, space=space, title=f"Idea {i}", body="Try it.")
        comment = idea_services.comment_create(actor=helper, idea=idea, body="Rude words.")
        idea_services.comment_report(actor=person, comment=comment, reason="Breaks the rules.")

        giver, other = make_person(f"Giver {i}"), make_person(f"Other {i}")
        approved(giver)
        approved(other)
        today = timezone.localdate()
        timebank_services.exchange_record(
            actor=giver, gave=giver, received=person, minutes=60, what=f"Gardening {i}", happened_on=today
        )
        disputed = timebank_services.exchange_record(
            actor=giver, gave=giver, received=other, minutes=30, what=f"Shopping {i}", happened_on=today
        )
        timebank_services.exchange_dispute(actor=other, exchange=disputed, reason="It did not happen.")
        TimebankMember.objects.create(user=make_person(f"Newcomer {i}"), status=MemberStatus.PENDING)
