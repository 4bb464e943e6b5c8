"""Actions: what the drop-in workshop decided (and the adopted idea) turned into owned, dated actions — one
done, some in progress, one overdue — and the community transport service's actions in co-delivery.
Every update is reported by the action's owner."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from coproduce.actions import services as actions
from coproduce.actions.models import ActionStatus
from coproduce.core import registry
from coproduce.core.registry import Source
from coproduce.ideas.models import Idea
from coproduce.people.models import User

from .network import Cast


def load(cast: Cast, rng: random.Random, *, decisions: dict) -> None:
    today = timezone.localdate()

    def days(n: int) -> dt.date:
        return today + dt.timedelta(days=n)

    host, facilitator = cast["Morag"], cast["Mhairi"]
    made = []

    def create(source: str | User, **fields):
        """An action from an "idea", from a "decision", or made directly by a person (`source`)."""
        if isinstance(source, User):
            action = actions.action_create(actor=source, **fields)
        elif source == "idea":
            idea = fields.pop("idea")
            # The demo sits above every module, so it describes the adopted idea itself; a page asks
            # registry.source("ideas.idea", ...), which applies the ideas module's own rules.
            found = Source(
                kind="ideas.idea", pk=idea.pk, space_id=idea.space_id, title=idea.title, ready=True
            )
            action = actions.action_create_from_source(actor=host, source=found, **fields)
        else:
            decision = fields.pop("decision")
            found = registry.source("meetings.decision", facilitator, decision.pk)
            action = actions.action_create_from_source(actor=facilitator, source=found, **fields)
        made.append(action)
        return action

    def report(action, *updates):
        for text, progress, status in updates:
            actions.action_report(
                actor=action.owner, action=action, text=text, progress=progress, status=status
            )

    booked = create(
        "decision",
        decision=decisions["venue"],
        owner=cast["Douglas"],
        due_on=days(-3),
        title="Book the Abbey Close community centre for the pilot",
        description="Tuesday to Friday, noon to 8pm, from the start of the pilot. The kitchen too.",
    )
    report(
        booked,
        (
            "Spoke to the lettings team: the main hall and the small room are free.",
            50,
            ActionStatus.IN_PROGRESS,
        ),
        (
            "Booked for the six months of the pilot, with the kitchen. Invoice goes to the partnership.",
            100,
            ActionStatus.DONE,
        ),
    )
    job = create(
        "decision",
        decision=decisions["peer"],
        owner=cast["Eilidh"],
        due_on=days(20),
        title="Draft the peer worker job description with people who use the drop-in",
    )
    report(
        job,
        (
            "First draft written with Kirsty and four people from the drop-in. Pay grade still to agree "
            "with HR.",
            40,
            ActionStatus.IN_PROGRESS,
        ),
    )
    saturday = create(
        "decision",
        decision=decisions["venue"],
        owner=cast["Fiona"],
        due_on=days(-2),
        title="Ask the council about a Saturday let at Abbey Close",
    )
    report(
        saturday, ("Emailed the lettings manager; no answer yet. Will phone.", 20, ActionStatus.IN_PROGRESS)
    )
    create(
        "decision",
        decision=decisions["hours"],
        owner=cast["Callum"],
        due_on=days(21),
        title="Work out a staff rota for noon-to-8pm opening",
    )
    cook = Idea.objects.get(space=cast.drop_in, title="Cook and eat together on Fridays")
    create(
        "idea",
        idea=cook,
        owner=cast["Grace"],
        due_on=days(35),
        title="Plan the first four Friday meals",
        description="With the people who come: menus, a shopping list and a rota for cooking.",
    )

    lifts = create(
        "decision",
        decision=decisions["venue"],
        owner=cast["Kenny"],
        due_on=days(14),
        title="Ask the bus company about lifts home from Abbey Close",
        description="Kenny's worry at the workshop: it is a long walk from the station for people from "
        "Johnstone.",
    )
    report(
        lifts,
        ("The bus company will look at a late minibus; they want numbers.", 30, ActionStatus.IN_PROGRESS),
    )
    quiet = create(
        host,
        space=cast.drop_in,
        owner=cast["Ross"],
        due_on=days(-1),
        title="Bring three designs for the quiet room to the next workshop",
    )
    report(quiet, ("Three mood boards done, with Margaret's ideas on paper.", 100, ActionStatus.DONE))

    # Community transport, in co-delivery: its host turns the work into actions.
    transport_host = cast["Douglas"]
    drivers = create(
        transport_host,
        space=cast.transport,
        owner=cast["Sandy"],
        due_on=days(30),
        title="Recruit five more volunteer drivers",
        description="So that every clinic morning has two drivers. PVG checks through the council.",
    )
    report(
        drivers,
        ("Stall at the Johnstone gala: eight people interested.", 30, ActionStatus.IN_PROGRESS),
        ("Three drivers have started their PVG checks.", 60, ActionStatus.IN_PROGRESS),
    )
    leaflet = create(
        transport_host,
        space=cast.transport,
        owner=cast["Ahmed"],
        due_on=days(-14),
        title="A booking leaflet in large print and in Urdu",
    )
    report(
        leaflet,
        (
            "Printed 500 of each; Nadia checked the Urdu. Left at the GP surgeries and the library.",
            100,
            ActionStatus.DONE,
        ),
    )
    create(
        transport_host,
        space=cast.transport,
        owner=cast["Joan"],
        due_on=days(45),
        title="Find a second pick-up point in Linwood",
    )
