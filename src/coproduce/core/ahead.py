"""What the busiest pages read first, declared by their URL name, so that it is asked with the session or API
token that says who is asking: one round trip for the page instead of two (core/prepared.py, reading ahead).

    @ahead.reads("budgets:vote")
    def _vote_reads(person, slug, budget_id):
        return access.budget_read(person, slug, budget_id, *selectors.my_ballot_and_voter_reads(person, budget_id))

A plan is given the person the session is guessed to name (`Someone`: only their id is known yet) and the
URL's arguments, and answers the query and values the page will ask first, or None. It must build them with
the same functions the page uses, so that they are the same query with the same values: a plan that drifts
from its page costs a statement, never a wrong answer (what was read ahead answers only the same query with
the same values), and the pages' statement counts are tested.

Only GET and HEAD read ahead: a request that writes reads after writing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Plan = Callable[..., "tuple[Any, tuple] | None"]
_plans: dict[str, Plan] = {}


class Someone:
    """The person a session or token is guessed to name, for a plan: signed in, known by their id alone."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, pk: int) -> None:
        self.pk = self.id = pk


def reads(view_name: str) -> Callable[[Plan], Plan]:
    """Declare what the view of URL name `view_name` ("app:name") reads first."""

    def register(plan: Plan) -> Plan:
        if view_name in _plans and _plans[view_name] is not plan:
            raise ValueError(f"{view_name} already has a plan of what it reads first.")
        _plans[view_name] = plan
        return plan

    return register


def planned(request) -> Callable[[int], tuple[Any, tuple] | None] | None:
    """For the person's id once it is guessed, what this request's view will read first; None when it reads
    nothing ahead (it writes, or has no plan)."""
    if request.method not in ("GET", "HEAD"):
        return None
    match = getattr(request, "resolver_match", None)
    plan = _plans.get(match.view_name) if match is not None else None
    if match is None or plan is None:
        return None
    arguments = match.kwargs

    def ahead(person_id: int) -> tuple[Any, tuple] | None:
        # Arguments the view will refuse (a budget id of letters): nothing read ahead, the view answers them.
        try:
            return plan(Someone(person_id), **arguments)
        except (TypeError, ValueError):
            return None

    return ahead
