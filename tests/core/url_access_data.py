"""The small data set tests/core/test_url_access.py fills URL parameters from: one object of each kind in a
private space (the conftest cast are its members; `outsider` is not), and a few of the network's own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from tests.budgets.conftest import add_projects, make_budget

from coproduce.actions import services as action_services
from coproduce.conversations import services as conversation_services
from coproduce.ideas import services as idea_services
from coproduce.meetings import services as meeting_services
from coproduce.surveys import services as survey_services


def build(private_space, host, facilitator, member) -> dict:
    space = private_space
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    idea = idea_services.idea_create(actor=member, space=space, title="A quiet room", body="For phone calls.")
    comment = idea_services.comment_create(actor=member, idea=idea, body="Yes please.")
    meeting = meeting_services.meeting_create(
        actor=facilitator,
        space=space,
        title="Planning",
        format="online",
        online_url="https://meet.example.org/x",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    item = meeting_services.agenda_item_propose(actor=member, meeting=meeting, title="Opening hours")
    budget = make_budget(space, host, title="Fund", ballot_type="approval", max_projects=2)
    (project,) = add_projects(budget, member, facilitator, [Decimal("100")])
    action = action_services.action_create(
        actor=facilitator, space=space, title="Book the hall", owner=member
    )
    conversation = conversation_services.conversation_create(
        actor=host, space=space, question="What should replace the drop-in?", seeds=["A café"]
    )
    statement = conversation.statements.get()
    survey = survey_services.survey_create(actor=host, space=space, title="How was it?")
    return {
        "space": space,
        "idea": idea,
        "comment": comment,
        "meeting": meeting,
        "item": item,
        "budget": budget,
        "project": project,
        "action": action,
        "conversation": conversation,
        "statement": statement,
        "survey": survey,
        "membership": space.memberships.get(user=member),
        "member": member,
    }
