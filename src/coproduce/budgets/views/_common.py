"""What every budget page needs: the budget as the person may see it, and what their role lets them do."""

from __future__ import annotations

from .. import access
from ..models import Budget


def budget_for(request, slug: str, budget_id: int, *, need: str | None = None) -> Budget:
    return access.get_budget_in(request.user, slug, budget_id, need=need)


def roles(user, budget: Budget) -> dict:
    """What the templates ask: each from `access`, never worked out again in a template."""
    return {
        "can_manage": access.can_manage(user, budget),
        "can_review": access.can_review(user, budget),
        "can_submit": access.can_submit_project(user, budget),
        "can_record_paper": bool(access.can_record_paper_ballots(user, budget)),
        "can_print_ballots": bool(access.can_print_ballots(user, budget)),
        "can_export": access.can_export(user, budget),
        "can_see_results": access.can_see_results(user, budget),
        "can_reopen": access.can_reopen_voting(user, budget),
    }
