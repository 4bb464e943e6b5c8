"""``equal_shares``: Equal Shares + Add1 + completion, with an explanation for every project."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

from coproduce.lib.pb.election import Election
from coproduce.lib.pb.rules.greedy import by_score, explain, fill
from coproduce.lib.pb.rules.mes.add1 import EqualSharesRun, add1
from coproduce.lib.pb.rules.outcome import Explanation, Outcome, Phase, Reason
from coproduce.lib.pb.rules.support import Support, support_of


def equal_shares(
    election: Election,
    *,
    completion: bool = True,
    increment: Fraction | int = 1,
    support: Support | None = None,
) -> Outcome:
    """Equal Shares + Add1 (+ greedy completion unless ``completion=False``), as cities run it.

    ``Outcome.selected_in(Phase.EQUAL_SHARES)`` is what Equal Shares chose before completion; that is what
    Swiecie 2023 and Assen 2024 funded. Projects that cost nothing are funded first (pabutools leaves them to
    the completion step, with the same final result). ``Outcome.details["money_left"]`` holds what each voter
    had left after Equal Shares (floats, for checks and charts).
    """
    support = support or support_of(election)
    run = add1(election, support, Fraction(increment))
    selected, explanations = _explain_run(election, support, run)
    left = election.budget - sum((election.projects[p].cost for p in run.selected), Fraction(0))
    if completion:
        left = _complete(election, support, selected, explanations, left)
    return Outcome(
        rule="mes-add1" if completion else "mes-add1-only",
        budget=election.budget,
        selected=selected,
        cost=election.budget - left,
        explanations=explanations,
        voter_budget=run.voter_budget,
        details={"money_left": run.money_left},
    )


def _explain_run(
    election: Election, support: Support, run: EqualSharesRun
) -> tuple[list[str], dict[str, Explanation]]:
    """Funded projects in order, and why each project was or was not funded by Equal Shares."""
    explanations: dict[str, Explanation] = {}
    selected: list[str] = []
    left = election.budget
    for p in run.selected:
        left -= election.projects[p].cost
        selected.append(election.projects[p].project_id)
        explanations[selected[-1]] = explain(
            election, support, p, Reason.FUNDED, phase=Phase.EQUAL_SHARES, position=len(selected), left=left
        )
    for p, project in enumerate(election.projects):
        if project.project_id not in explanations:
            money = float(run.money_left[support.supporters(p)].sum()) if len(run.money_left) else 0.0
            explanations[project.project_id] = explain(
                election,
                support,
                p,
                Reason.SHARES_RAN_OUT,
                phase=Phase.EQUAL_SHARES,
                supporters_money=_cents(money),
            )
    return selected, explanations


def _complete(
    election: Election,
    support: Support,
    selected: list[str],
    explanations: dict[str, Explanation],
    left: Fraction,
) -> Fraction:
    """Fund what still fits, by votes (pabutools' ``greedy_utilitarian_welfare`` from the Equal Shares outcome).

    A project Equal Shares could not fund keeps that reason, with what completion found left; a project nobody
    voted for gets completion's reason.
    """
    rest = [p for p, project in enumerate(election.projects) if project.project_id not in selected]
    completed: dict[str, Explanation] = {}
    added, left = fill(
        election,
        support,
        by_score(election, support, rest),
        left,
        Phase.COMPLETION,
        completed,
        position=len(selected),
    )
    selected.extend(added)
    for project_id, explanation in completed.items():
        if explanation.funded or explanations[project_id].supporters == 0:
            explanations[project_id] = explanation
        else:
            explanations[project_id] = dataclasses.replace(explanations[project_id], left=explanation.left)
    return left


def _cents(money: float) -> Fraction:
    """Money rounded to the cent, for explanations only (decisions never use it)."""
    return Fraction(round(money * 100), 100)
