"""Background tasks (huey): counting a vote away from the request that closed it (see services.results)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=1, retry_delay=30)
def count_budget(budget_id: int) -> int:
    """Count every rule for a budget whose voting has closed; returns how many results were stored."""
    from .models import Budget, Phase
    from .services.results import results_store

    budget = Budget.objects.filter(pk=budget_id, phase__in=[Phase.CLOSED, Phase.RESULTS]).first()
    if budget is None:
        return 0
    return len(results_store(budget))
