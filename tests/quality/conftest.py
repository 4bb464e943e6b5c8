"""Fixtures for the quality check: huey immediate and in memory, and spaces built with real records through
the services (a co-production space and a consultation-only one), with dated stages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import TestCase
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from coproduce.actions import services as actions
from coproduce.ideas import services as ideas
from coproduce.meetings import services as meetings
from coproduce.quality import services
from coproduce.spaces.models import Stage


@pytest.fixture(autouse=True)
def tasks_now():
    """Run huey tasks as they are queued, in memory (see tests/budgets/conftest.py)."""
    was_immediate, was_storage = HUEY.immediate, HUEY.storage
    HUEY.storage = MemoryStorage("quality-test")
    HUEY.immediate = True
    yield HUEY
    HUEY.immediate, HUEY.storage = was_immediate, was_storage


def date_stages(space) -> None:
    """Co-commissioning last month, co-design the next three days, co-delivery and co-assessment after."""
    today = timezone.localdate()
    spans = {
        "co_commissioning": (today - dt.timedelta(days=30), today - dt.timedelta(days=1)),
        "co_design": (today, today + dt.timedelta(days=3)),
        "co_delivery": (today + dt.timedelta(days=4), today + dt.timedelta(days=4)),
        "co_assessment": (today + dt.timedelta(days=5), today + dt.timedelta(days=60)),
    }
    for kind, (start, end) in spans.items():
        Stage.objects.filter(space=space, kind=kind).update(starts_on=start, ends_on=end, status="open")


def at(days: float, hours: float = 2) -> dict:
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=hours)}


def meeting(space, facilitator, days: float, title: str = "Workshop"):
    return meetings.meeting_create(
        actor=facilitator, space=space, title=title, format="in_person", place_name="Hall", **at(days)
    )


def decide(meeting_, facilitator, voices: dict, text: str = "We will open on Saturdays."):
    with time_machine.travel(meeting_.starts_at + dt.timedelta(hours=1)):
        return meetings.decision_record(actor=facilitator, meeting=meeting_, text=text, voices=voices)


def build_coproduction(space, host, facilitator, member, practitioner):
    """People with lived experience propose, decide, own actions and evaluate, with strong professional
    input in planning and delivery."""
    date_stages(space)
    workshop = meeting(space, facilitator, 1)
    for n in range(2):
        meetings.agenda_item_propose(actor=member, meeting=workshop, title=f"Lived item {n}")
    for n in range(2):
        meetings.agenda_item_propose(actor=practitioner, meeting=workshop, title=f"Practice item {n}")
    meetings.agenda_publish(actor=facilitator, meeting=workshop)
    decide(workshop, facilitator, {member: "agree", practitioner: "agree"})
    mine = ideas.idea_create(actor=member, space=space, title="Saturday opening", body="Open at weekends.")
    ideas.idea_create(actor=member, space=space, title="Peer mentors", body="Pair newcomers.")
    ideas.idea_create(actor=practitioner, space=space, title="Shared rota", body="A rota for staff.")
    ideas.idea_set_status(actor=facilitator, idea=mine, status="adopted", reason="Everyone agreed.")
    done = actions.action_create(actor=facilitator, space=space, title="Find volunteers", owner=member)
    actions.action_create(actor=facilitator, space=space, title="Draft leaflet", owner=member)
    for n in range(3):
        actions.action_create(actor=facilitator, space=space, title=f"Staff task {n}", owner=practitioner)
    actions.action_report(actor=member, action=done, text="Found six.", progress=100, status="done")
    review = meeting(space, facilitator, 6, title="Review")  # in co-assessment
    meetings.agenda_item_propose(actor=member, meeting=review, title="What changed for us")
    return space


def build_consultation(space, host, facilitator, member, practitioner):
    """Professionals propose and decide; the person with lived experience only comments."""
    date_stages(space)
    workshop = meeting(space, facilitator, 1)
    for n in range(3):
        meetings.agenda_item_propose(actor=practitioner, meeting=workshop, title=f"Practice item {n}")
    meetings.agenda_publish(actor=facilitator, meeting=workshop)
    decide(workshop, facilitator, {practitioner: "agree"})
    plan = ideas.idea_create(actor=practitioner, space=space, title="The plan", body="What we will do.")
    ideas.idea_set_status(actor=facilitator, idea=plan, status="adopted", reason="Agreed by the team.")
    for n in range(3):
        ideas.comment_create(actor=member, idea=plan, body=f"Comment {n}")
    for n in range(3):
        actions.action_create(actor=facilitator, space=space, title=f"Staff task {n}", owner=practitioner)
    return space


def computed(space):
    """Ask for the check as a host does, with the commit run so the queued task works it out."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.check_request(actor=None, space=space)
    space.quality_check.refresh_from_db()
    return space.quality_check
