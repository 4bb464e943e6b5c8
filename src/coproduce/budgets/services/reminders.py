"""The reminder that voting closes in 24 hours, to the members who have not voted yet."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from coproduce.notifications.services import notify
from coproduce.people.models import User

from ..models import Budget, Phase, Voter


def remind_voting_closing(*, now: dt.datetime | None = None) -> int:
    """For each budget whose vote is planned to end at the start of tomorrow (`results_from`, the day the
    results are due), tell the members who have not voted. Returns how many budgets were reminded.

    Safe to run twice at once (the hourly task overlapping a slow run, or two workers): the conditional UPDATE
    claims each budget's reminder, and only the run whose UPDATE changed the row tells people. Changing
    `results_from` clears the claim (services.budgets.budget_update), so the new date is reminded.
    """
    now = now or timezone.now()
    today, in_a_day = timezone.localdate(now), timezone.localdate(now + dt.timedelta(hours=24))
    due = Budget.objects.filter(
        phase=Phase.VOTE,
        results_from__gt=today,  # the planned end (midnight starting that day) is still to come ...
        results_from__lte=in_a_day,  # ... and within 24 hours
        closing_reminder_sent_at__isnull=True,
    ).order_by("results_from", "pk")
    reminded = 0
    for budget in due.select_related("space").iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Budget.objects.filter(
                pk=budget.pk, phase=Phase.VOTE, closing_reminder_sent_at__isnull=True
            ).update(closing_reminder_sent_at=now)
            if not claimed:
                continue
            reminded += 1
            voted = Voter.objects.filter(budget=budget, user__isnull=False).values("user_id")
            notify(
                kind="budget_voting_closing",
                recipients=User.objects.filter(memberships__space_id=budget.space_id).exclude(pk__in=voted),
                params={"title": budget.title},
                url=budget.get_absolute_url(),
                space=budget.space,
                key=f"budget_voting_closing:{budget.pk}:{budget.results_from}",
            )
    return reminded
