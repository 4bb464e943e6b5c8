"""A believable small network for trying coproduce, with content in every module.

A Scottish area (Strathbrae) with its partnership, council, charities, a user-led organisation, about 40
invented people and four spaces at different stages; ideas and meetings in the space at co-design, actions
being delivered, a participatory budget with its results and one open for voting, and a timebank with
exchanges, and surveys (one with paper answers) and a Place Standard round in the space under review. A
fifth space is consultation dressed up as co-production, beside the drop-in redesign that is co-production,
and every space's quality check is worked out (`quality.py`). Everything is made through the apps' services, so
the audit log is real and every invariant holds (`quality.py` dates a few records after).
Random choices come from one seeded generator: the same seed gives the same demo.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from coproduce.actions.models import Action
from coproduce.budgets.models import Budget
from coproduce.ideas.models import Idea
from coproduce.meetings.models import Meeting
from coproduce.notifications.models import Notification
from coproduce.people.models import User
from coproduce.spaces.models import Space
from coproduce.timebank.models import Exchange

from . import (
    actions,
    budgets,
    casestudies,
    conversations,
    directory,
    events,
    hub,
    ideas,
    meetings,
    outcomes,
    quality,
    search,
    sroi,
    surveys,
    timebank,
)
from .network import load_network

DEMO_PASSWORD = "coproduce-demo"  # noqa: S105 - demo accounts only, printed for the person trying it
DEMO_HOST_EMAIL = "morag@demo.coproduce.scot"

__all__ = ["DEMO_HOST_EMAIL", "DEMO_PASSWORD", "demo_loaded", "load_demo"]


def demo_loaded() -> bool:
    return User.objects.exists() or Space.objects.exists()


def _nobody_is_emailed() -> None:
    """The demo's people are invented: what happened to them stays in their inboxes, and no email goes out.
    The emails were queued for when this transaction commits; marking every notification as sent, before the
    commit, makes each of those tasks (and the digests) find nothing left to send."""
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())


@transaction.atomic
def load_demo(*, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    cast = load_network(rng, DEMO_PASSWORD)
    timebank.load(cast, rng)  # first: the meetings pay their time credits into it
    ideas.load(cast, rng)
    decisions = meetings.load(cast, rng)
    actions.load(cast, rng, decisions=decisions)
    budgets.load(cast, rng)
    outcomes.load(cast, rng)
    sroi.load(cast, rng)
    surveys.load(cast, rng)
    directory.load(cast, rng)
    conversations.load(cast, rng)
    hub.load(cast, rng)
    quality.load(cast, rng)  # last: it works out every space's check from all of the above
    events.load(cast, rng)  # network events, in the network's own space (no quality check)
    casestudies.load(cast, rng)  # after the check: the drafted case study gives its level
    search.load(cast, rng)  # after every module: the search index of all of it
    _nobody_is_emailed()
    return {
        "people": User.objects.count(),
        "organisations": len(cast.organisations),
        "spaces": len(cast.spaces),
        "ideas": Idea.objects.count(),
        "meetings": Meeting.objects.count(),
        "actions": Action.objects.count(),
        "budgets": Budget.objects.count(),
        "exchanges": Exchange.objects.count(),
        "admin": cast.admin.pk,
    }
