"""What budgets have waiting for a person, for their home page (the manifest's "waiting_for")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core.registry import Urgency, WaitingItem

from ..models import Budget, Phase, Voter


def _voting_ends(budget: Budget) -> dt.datetime | None:
    """Voting ends when the results are planned (`results_from`, a day): the start of that day, local time."""
    if budget.results_from is None:
        return None
    return timezone.make_aware(dt.datetime.combine(budget.results_from, dt.time.min))


def waiting_items(user: Any) -> list[WaitingItem]:
    """Budgets open for the person's vote in the spaces they are a member of, and whether they have voted
    (a budget they have voted in stays listed, less urgent: they may change their ballot). One query."""
    if not user.is_authenticated:
        return []
    budgets = (
        Budget.objects.filter(phase=Phase.VOTE, space__memberships__user=user)
        .select_related("space")
        .annotate(voted=Exists(Voter.objects.filter(budget=OuterRef("pk"), user=user)))
        .order_by("results_from", "id")
    )
    return [
        WaitingItem(
            module="budgets",
            kind="ballot",
            title=_("Vote in %(budget)s") % {"budget": budget.title},
            url=reverse("budgets:vote", args=[budget.space.slug, budget.pk]),
            urgency=Urgency.OPEN if budget.voted else Urgency.DUE,
            due=_voting_ends(budget),
            detail=_("You have voted") if budget.voted else _("You have not voted yet"),
            space_title=budget.space.title,
        )
        for budget in budgets
    ]
