"""Background tasks (huey): counting a vote away from the request that closed it (see services.results), and
the reminder that voting closes in 24 hours."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_task, periodic_task


@db_task(retries=1, retry_delay=30)
def count_budget(budget_id: int) -> int:
    """Count every rule for a budget whose voting has closed; returns how many results were stored."""
    from .models import Budget, Phase
    from .services.results import results_store

    budget = Budget.objects.filter(pk=budget_id, phase__in=[Phase.CLOSED, Phase.RESULTS]).first()
    if budget is None:
        return 0
    return len(results_store(budget))


@periodic_task(crontab(minute=10))
def remind_voting_closing() -> int:
    """Hourly; each budget is reminded once per planned end however often this runs."""
    from .services.reminders import remind_voting_closing as remind

    return remind()
